import type { FieldErrors } from '../../../shared/errors.js';
import { startBudget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import { commonHealth, worst } from '../http/healthMapping.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { Health, type HealthResult, type IntegrationPlugin, type PluginContext, type PluginSettings } from '../types.js';
import { createSyncroApi, type SyncroCall } from './client.js';
import { syncroPermissions } from './permissions.js';
import { apiTokenProblem, subdomainProblem, SyncroUrlError, syncroBaseUrl, syncroFields } from './settings.js';

/**
 * Syncro documents 180 requests per minute per IP address. Read as "per vendor host + our
 * address": our limiter lives in memory with one bucket per Syncro account (its host, i.e. its
 * subdomain), so the figure holds per server instance and account. Several instances behind one
 * egress address share Syncro's budget between them; the 429 handling absorbs the excess.
 * 170/min plus a burst of 10 keeps any 60 s window at or below 180.
 */
export const syncroRateLimit: RateLimit = { perMinute: 170, burst: 10 };

export interface SyncroPluginOptions {
  /** Hard bound on one health check, retries and waits included. Default 15 s. */
  checkTimeoutMs?: number;
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: RateLimit };
}

export type SyncroPlugin = IntegrationPlugin & { close(): Promise<void> };

const tokenRejected = 'Syncro rejected the API token';

/** SPEC-002: Syncro PSA, the first plugin built through the catalog. */
export function createSyncroPlugin(options: SyncroPluginOptions = {}): SyncroPlugin {
  const checkTimeoutMs = options.checkTimeoutMs ?? 15_000;
  const http = createVendorClient({ vendor: 'Syncro', rateLimit: syncroRateLimit, ...options.http });
  const api = createSyncroApi(http);

  /** What a failure of `GET /me` means: it is the call that proves the token and the subdomain. */
  function meFailure(error: unknown, subdomain: string, call: SyncroCall): HealthResult {
    if (error instanceof VendorError) {
      // 403 on /me: the token is known but may do nothing at all, which is a rejected token to us.
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

  async function probe(call: SyncroCall, name: keyof typeof syncroPermissions): Promise<HealthResult | { missing: string }> {
    try {
      await (name === 'customers' ? api.customers(call) : api.tickets(call));
      return Health.ok();
    } catch (error) {
      if (error instanceof VendorError && error.kind === 'forbidden') return { missing: syncroPermissions[name] };
      if (error instanceof VendorError && error.kind === 'unauthorized') return Health.error(tokenRejected);
      return commonHealth(error, 'Syncro', call.log);
    }
  }

  return {
    meta: {
      key: 'syncro',
      name: 'Syncro PSA',
      provider: 'Syncro',
      category: 'Psa',
      description: 'Tickets and customers from SyncroMSP, the PSA/RMM: read with an API token of your Syncro account.',
      docsUrl: 'https://docs.syncromsp.com/en_US/scripting-apis/syncro-rest-api',
      fields: syncroFields,
    },

    validate(settings: PluginSettings): FieldErrors | null {
      const errors: FieldErrors = {};
      const subdomain = subdomainProblem(settings.subdomain);
      if (subdomain) errors.subdomain = [subdomain];
      const token = apiTokenProblem(settings.api_token);
      if (token) errors.api_token = [token];
      return Object.keys(errors).length ? errors : null;
    },

    async configure(ctx: PluginContext): Promise<PluginSettings> {
      const subdomain = ctx.settings.subdomain;
      return typeof subdomain === 'string' ? { ...ctx.settings, subdomain: subdomain.trim().toLowerCase() } : ctx.settings;
    },

    async healthCheck(ctx: PluginContext): Promise<HealthResult> {
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
      };

      try {
        await api.me(call);
      } catch (error) {
        return meFailure(error, label, call);
      }
      const outcomes = await Promise.all([probe(call, 'customers'), probe(call, 'tickets')]);
      const failed = worst(outcomes.filter((o): o is HealthResult => 'status' in o));
      if (failed) return failed;
      const missing = outcomes.flatMap((o) => ('missing' in o ? [o.missing] : []));
      if (missing.length) {
        const names = missing.map((m) => `"${m}"`).join(' and ');
        return Health.degraded(`The Syncro API token is missing the permission${missing.length > 1 ? 's' : ''} ${names}; add ${missing.length > 1 ? 'them' : 'it'} under Admin › API Tokens`);
      }
      return Health.ok(`Connected to ${label}: customers and tickets are readable`);
    },

    close: () => http.close(),
  };
}

/** The registry's instance: one vendor client (connection pool, rate limiter) per server process. */
export const syncroPlugin: SyncroPlugin = createSyncroPlugin();
