import { startBudget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import { commonHealth, worst } from '../http/healthMapping.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import { syncroRateLimit, type SyncroApi, type SyncroCall } from './client.js';
import { apiTokenProblem, subdomainProblem, SyncroUrlError, syncroBaseUrl, syncroPermissions } from './settings.js';

const tokenRejected = 'Syncro rejected the API token';

/** What a failure of `GET /me` means: it is the call that proves the token and the subdomain. */
function meFailure(error: unknown, subdomain: string, call: SyncroCall): HealthResult {
  if (error instanceof VendorError) {
    // Nothing has proved the token yet, so a 401 is a token Syncro does not know. A 403 (STITCH
    // reports 403 where Syncro's document says 401) on /me leaves the token good for nothing.
    if (error.kind === 'unauthorized' || error.kind === 'forbidden') return Health.error(tokenRejected);
    if (error.kind === 'not_found' || error.kind === 'redirect' || error.kind === 'dns') {
      return Health.error(`No Syncro account was found at the subdomain "${subdomain}"; check the subdomain`);
    }
    if (error.kind === 'invalid_response') {
      // Something answered that is not Syncro's API (a parked or wildcard host serves HTML):
      // as likely a wrong subdomain as a vendor fault, so the message names it.
      const { message } = commonHealth(error, 'Syncro', call.log);
      return Health.error(`${message}; check that "${subdomain}" is your Syncro subdomain`);
    }
  }
  return commonHealth(error, 'Syncro', call.log);
}

/**
 * One read the integration needs. After `/me` accepted the token, a refusal is a permission the
 * token lacks: Syncro's document answers it with 401 "Not authorized. Please ask account admin to
 * update your group permissions." on every list operation [H: SYN-SW26]; 403 is taken the same
 * way for the one guide that reports it [L: STITCH].
 */
async function probe(api: SyncroApi, call: SyncroCall, name: keyof typeof syncroPermissions): Promise<HealthResult | { missing: string }> {
  try {
    await (name === 'customers' ? api.customers(call) : api.tickets(call));
    return Health.ok();
  } catch (error) {
    if (error instanceof VendorError && (error.kind === 'unauthorized' || error.kind === 'forbidden')) return { missing: syncroPermissions[name] };
    return commonHealth(error, 'Syncro', call.log);
  }
}

export interface SyncroHealthOptions {
  api: SyncroApi;
  /** Hard bound on one check, retries and waits included. */
  checkTimeoutMs: number;
  /** A fixed request budget (tests, benchmarks); default: SYNCRO_REQUESTS_PER_MINUTE. */
  rateLimit?: RateLimit;
}

/**
 * The Syncro health check: `GET /me` proves the subdomain and the token, then one page each of
 * customers and tickets proves the permissions the integration uses (Degraded naming the missing
 * ones). Read-only; the token is never logged.
 */
export function syncroHealthCheck(options: SyncroHealthOptions): (ctx: PluginContext) => Promise<HealthResult> {
  const { api, checkTimeoutMs } = options;
  return async (ctx) => {
    const { subdomain, api_token: token } = ctx.settings;
    const problem = subdomainProblem(subdomain) ?? apiTokenProblem(token);
    if (problem || typeof subdomain !== 'string' || typeof token !== 'string') return Health.error(`Syncro settings are not valid: ${problem}`);
    const label = subdomain.trim().toLowerCase();
    let baseUrl: URL;
    try {
      baseUrl = syncroBaseUrl(ctx.config.syncroBaseUrl, label);
    } catch (error) {
      if (error instanceof SyncroUrlError) return Health.error(error.message);
      throw error;
    }
    const call: SyncroCall = {
      baseUrl,
      token: token.trim(),
      budget: startBudget(ctx.signal, checkTimeoutMs),
      log: ctx.log.child({ integration: 'syncro', partnerId: ctx.partnerId }),
      rateLimit: options.rateLimit ?? syncroRateLimit(ctx.config.syncroRequestsPerMinute),
    };

    try {
      await api.me(call);
    } catch (error) {
      return meFailure(error, label, call);
    }
    const outcomes = await Promise.all([probe(api, call, 'customers'), probe(api, call, 'tickets')]);
    const failed = worst(outcomes.filter((o): o is HealthResult => 'status' in o));
    if (failed) return failed;
    const missing = outcomes.flatMap((o) => ('missing' in o ? [o.missing] : []));
    if (missing.length) {
      const names = missing.map((m) => `"${m}"`).join(' and ');
      return Health.degraded(`The Syncro API token is missing the permission${missing.length > 1 ? 's' : ''} ${names}; add ${missing.length > 1 ? 'them' : 'it'} under Admin › API Tokens`);
    }
    return Health.ok(`Connected to ${label}: customers and tickets are readable`);
  };
}
