import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { tokenHealth } from '../oauth2/health.js';
import { TokenRequestError } from '../oauth2/types.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import { openNinjaCall, type NinjaApi, type NinjaCall } from './client.js';
import { ninjaInstances } from './settings.js';

const appsPage = 'NinjaOne › Administration › Apps › API';

/**
 * `invalid_scope`: the app was not granted a scope we asked for [M: vendor-apis.md §3]. NinjaOne's
 * description names it in one report ("Invalid scope control for client", ALGA PRs #1398/#1401);
 * when it does we name that one, otherwise every scope requested.
 */
export function invalidScopeMessage(error: TokenRequestError, requested: readonly string[]): string {
  const named = requested.filter((s) => new RegExp(`\\b${s}\\b`, 'i').test(error.description ?? ''));
  const scopes = named.length ? named : [...requested];
  const one = scopes.length === 1;
  const list = scopes.map((s) => `"${s}"`).join(', ');
  return `NinjaOne refused the scope${one ? '' : 's'} ${list} (invalid_scope): this app was not granted ${one ? 'it' : 'all of them'}: request only what the NinjaOne app was granted — remove ${one ? 'it' : 'what it lacks'} from Scopes or grant ${one ? 'it' : 'them'} in ${appsPage}`;
}

/** What a failure to get a token means for health; the framework's `tokenHealth` for the rest. */
export function ninjaTokenHealth(error: unknown, call: Pick<NinjaCall, 'settings' | 'log'>): HealthResult {
  if (error instanceof TokenRequestError) {
    if (error.error === 'invalid_scope') return Health.error(invalidScopeMessage(error, call.settings.scopes));
    if (error.error === 'invalid_client') {
      return Health.error(`NinjaOne did not accept the client ID or client secret (invalid_client): copy both again from ${appsPage} (the secret is shown only when the app is created; generate a new one if it was lost)`);
    }
    if (error.error === 'unauthorized_client') {
      const kind = call.settings.grant === 'client_credentials' ? 'API Services (machine-to-machine) app with the Client Credentials grant' : 'regular web app with the Authorization Code and Refresh Token grants';
      return Health.error(`NinjaOne does not allow this app to use the ${error.grantType.replace('_', ' ')} grant (unauthorized_client): make it an ${kind} in ${appsPage}, or change App type`);
    }
  }
  return tokenHealth(error, 'NinjaOne', call.log);
}

export interface NinjaHealthOptions {
  api: NinjaApi;
  checkTimeoutMs: number;
  rateLimit?: RateLimit;
}

/**
 * The NinjaOne health check: a token for the scopes set (proves the app, its secret and its
 * scopes), then `GET /v2/organizations?pageSize=1` (ALGA's testConnection, a bare array
 * [H: NJ-OAS getOrganizations]). A 401 there gets one new token (the client does that); a second
 * 401 or a 403 is Error. Read-only: one token request at most and one or two API requests.
 */
export function ninjaHealthCheck(options: NinjaHealthOptions): (ctx: PluginContext) => Promise<HealthResult> {
  return async (ctx) => {
    const opened = openNinjaCall(ctx, options.checkTimeoutMs, options.rateLimit);
    if ('problem' in opened) return Health.error(opened.problem);
    const { call } = opened;
    try {
      await call.oauth.accessToken({ signal: call.budget.signal });
    } catch (error) {
      return ninjaTokenHealth(error, call);
    }
    try {
      await options.api.organizations(call, 1, null);
    } catch (error) {
      if (error instanceof TokenRequestError || !(error instanceof VendorError)) return ninjaTokenHealth(error, call);
      if (error.kind === 'unauthorized') {
        return Health.error('NinjaOne refused a new access token for GET /v2/organizations (HTTP 401): check that the app is enabled and has the monitoring scope');
      }
      if (error.kind === 'forbidden') {
        return Health.error(`NinjaOne refused to list organizations (HTTP 403): the app needs the monitoring scope (${appsPage})`);
      }
      return commonHealth(error, 'NinjaOne', call.log);
    }
    const where = ninjaInstances[call.settings.instance].host.replace('https://', '');
    return Health.ok(`Connected to NinjaOne (${where}) with the scope${call.settings.scopes.length > 1 ? 's' : ''} ${call.settings.scopes.join(' ')}: organizations are readable`);
  };
}
