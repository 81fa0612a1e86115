import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import { htmlBodyReason } from '../http/vendorClient.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import { openCall, TacticalSettingsError } from './call.js';
import type { TacticalApi, TacticalCall } from './client.js';
import { apiUrlText, tacticalPermissions } from './settings.js';

export const dashboardAddress =
  'This is the dashboard address, not the API address: it answers with the web app. Enter the API host instead (usually https://api.<your domain>)';
export const keyRejected = 'Tactical RMM rejected the API key';

/**
 * What a failure means wherever it happens (health, discovery, actions), for the failures that
 * are about the address or the key rather than one call: an HTML 200 is the dashboard (its
 * nginx serves index.html for every path [H: TRMM install.sh]); a 404 or a redirect is a host
 * that is not the API; a refused address gets netGuard's words. Null: not one of those.
 */
export function addressFailure(error: unknown, call: TacticalCall): string | null {
  if (!(error instanceof VendorError)) return null;
  if (error.kind === 'invalid_response' && error.details.reason === htmlBodyReason) return dashboardAddress;
  if (error.kind === 'not_found' || error.kind === 'redirect') {
    return `No Tactical RMM API answered at ${apiUrlText(call.baseUrl)} (HTTP ${error.status ?? 404}); check the API URL (the API host, e.g. https://api.example.com)`;
  }
  if (error.kind === 'dns') return `The host name ${call.baseUrl.hostname} does not resolve; check the API URL`;
  if (error.kind === 'blocked') {
    const reason = error.details.reason ?? 'a private network address';
    const hint = /private or loopback/.test(reason) ? ' (an on-premises instance needs INTEGRATIONS_ALLOW_PRIVATE_NETWORK on this server)' : '';
    return `Tactical RMM's address is not allowed: ${reason}${hint}`;
  }
  return null;
}

/** `GET /core/version/` proves the key: any authenticated user may read it [H: TRMM core/views.py]. */
function versionFailure(error: unknown, call: TacticalCall): HealthResult {
  const address = addressFailure(error, call);
  if (address) return Health.error(address);
  if (error instanceof VendorError && (error.kind === 'unauthorized' || error.kind === 'forbidden')) {
    // "Invalid token." / "The token has expired." / "User inactive or deleted." [H: TRMM auth.py]
    const said = error.details.vendorMessage;
    return Health.error(said ? `${keyRejected}: ${said}` : keyRejected);
  }
  return commonHealth(error, 'Tactical RMM', call.log);
}

export interface TacticalHealthOptions {
  api: TacticalApi;
  checkTimeoutMs: number;
}

/**
 * The health check: `GET /core/version/` proves the address and the key (`GET /` would not: it
 * answers `{"status":"ok"}` to anyone [H: TRMM core/views.py `home`]); then `GET /core/dashinfo/`
 * for the release to show, and `GET /clients/`, the read discovery needs — refused, it is
 * Degraded naming the role permission. Read-only.
 */
export function tacticalHealthCheck(options: TacticalHealthOptions): (ctx: PluginContext) => Promise<HealthResult> {
  const { api, checkTimeoutMs } = options;
  return async (ctx) => {
    let call: TacticalCall;
    try {
      call = openCall(ctx, checkTimeoutMs);
    } catch (error) {
      if (error instanceof TacticalSettingsError) return Health.error(error.message);
      throw error;
    }
    try {
      await api.version(call);
    } catch (error) {
      return versionFailure(error, call);
    }
    // The release is only shown; a dashinfo that fails does not make the integration unhealthy.
    const [release, clients] = await Promise.all([
      api.release(call).catch(() => null),
      api.clients(call).then(
        (items) => ({ items }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if ('error' in clients) {
      const { error } = clients;
      if (error instanceof VendorError && error.kind === 'forbidden') {
        return Health.degraded(
          `The API key's user may not list clients: its role lacks the permission "${tacticalPermissions.clients}"; add it in Tactical RMM under Settings › Permissions Manager`,
        );
      }
      return versionFailure(error, call);
    }
    const version = release ? ` ${release}` : '';
    return Health.ok(`Connected to Tactical RMM${version} at ${call.baseUrl.host}: ${clients.items.length} client${clients.items.length === 1 ? '' : 's'} readable`);
  };
}
