import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import { openHuntressCall } from './call.js';
import type { HuntressAccount, HuntressApi, HuntressCall } from './client.js';
import { keyTypes } from './settings.js';

export const keyRejected = 'Huntress rejected the API key or secret key';
/** The resource the integration reads beyond the account, as Huntress's API reference names it. */
export const incidentReportsPermission = 'Incident Reports (read)';

/**
 * What a failure of `GET /v1/account` means: it is the call that proves the key pair. 401 is
 * "could not be authenticated"; 403 "an issue with your API credential or permissions" on the
 * one call every key may make leaves the key good for nothing [H: HUN-OAS].
 */
function accountFailure(error: unknown, call: HuntressCall): HealthResult {
  if (error instanceof VendorError && (error.kind === 'unauthorized' || error.kind === 'forbidden')) {
    return Health.error(error.details.vendorMessage ? `${keyRejected}: ${error.details.vendorMessage}` : keyRejected);
  }
  return commonHealth(error, 'Huntress', call.log);
}

export interface HuntressHealthOptions {
  api: HuntressApi;
  /** Hard bound on one check, retries and waits included. */
  checkTimeoutMs: number;
  /** A fixed request budget (tests, benchmarks); default: Huntress's 60 in any minute. */
  rateLimit?: RateLimit;
}

/**
 * The Huntress health check: `GET /v1/account` proves the key pair, then one incident report
 * (`GET /v1/incident_reports?limit=1`) proves the read the actions depend on. After the account
 * answered, a 401, 403 or 404 there (404: "doesn't exist, or your account does not hold correct
 * permissions" [H: HUN-OAS]) is a missing permission: Degraded, naming it. Two requests of the
 * key's 60 a minute. Read-only; the secret is never logged.
 */
export function huntressHealthCheck(options: HuntressHealthOptions): (ctx: PluginContext) => Promise<HealthResult> {
  const { api, checkTimeoutMs } = options;
  return async (ctx) => {
    const opened = openHuntressCall(ctx, checkTimeoutMs, options.rateLimit);
    if ('problem' in opened) return Health.error(opened.problem);
    const { call, credentials } = opened;

    let account: HuntressAccount;
    try {
      account = await api.account(call);
    } catch (error) {
      return accountFailure(error, call);
    }
    try {
      await api.incidentReports(call, {}, 1);
    } catch (error) {
      if (error instanceof VendorError && (error.kind === 'unauthorized' || error.kind === 'forbidden' || error.kind === 'not_found')) {
        return Health.degraded(
          `The Huntress API key may not read incident reports (HTTP ${error.status ?? 403}): it is missing the permission "${incidentReportsPermission}". Use a key that can read them (Huntress › API Credentials)`,
        );
      }
      return commonHealth(error, 'Huntress', call.log);
    }

    const name = account.name?.trim() || `account ${account.id}`;
    const actual = account.subdomain?.trim().toLowerCase();
    if (actual && actual !== credentials.subdomain) {
      // The key works, but links built from the setting would open another account's pages.
      return Health.degraded(`The API key belongs to the Huntress account "${name}" at ${actual}.huntress.io, not ${credentials.subdomain}.huntress.io; correct the account subdomain so links open the right account`);
    }
    const readOnly = credentials.keyType === keyTypes.account ? ' (account key: read-only, incident reports cannot be resolved)' : '';
    return Health.ok(`Connected to ${name} (${credentials.subdomain}.huntress.io): incident reports are readable${readOnly}`);
  };
}
