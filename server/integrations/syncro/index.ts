import type { FieldErrors } from '../../../shared/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { readPluginLogo } from '../logoSvg.js';
import type { IntegrationPlugin, PluginContext, PluginSettings } from '../types.js';
import { syncroActions } from './actions/index.js';
import { createSyncroApi, syncroRateLimit } from './client.js';
import { syncroHealthCheck } from './health.js';
import { syncroListOrganizations } from './organizations.js';
import { apiTokenProblem, subdomainProblem, syncroFields, syncroPermissions } from './settings.js';

export interface SyncroPluginOptions {
  /** Hard bound on one health check, retries and waits included. Default 15 s. */
  checkTimeoutMs?: number;
  /** Hard bound on one page of a discovery, waits for the request budget included. Default 60 s. */
  pageTimeoutMs?: number;
  /** Hard bound on one action run, all its vendor calls included. Default 30 s. */
  actionTimeoutMs?: number;
  /**
   * Vendor client options. `rateLimit` fixes the request budget (tests, benchmarks); without it
   * every call draws from the one budget SYNCRO_REQUESTS_PER_MINUTE sets for this instance.
   */
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: RateLimit };
}

export type SyncroPlugin = IntegrationPlugin & { close(): Promise<void> };

const logoSvg = readPluginLogo(import.meta.url);

/** SPEC-002: Syncro PSA, the first plugin built through the catalog. */
export function createSyncroPlugin(options: SyncroPluginOptions = {}): SyncroPlugin {
  const { rateLimit, ...httpOptions } = options.http ?? {};
  // The client's own limit is only a fallback: each call names its bucket and limit (client.ts).
  const http = createVendorClient({ vendor: 'Syncro', rateLimit: rateLimit ?? syncroRateLimit(180), ...httpOptions });
  const api = createSyncroApi(http);

  return {
    meta: {
      key: 'syncro',
      name: 'Syncro PSA',
      provider: 'Syncro',
      category: 'Psa',
      description: 'Tickets and customers from SyncroMSP, the PSA/RMM: read with an API token of your Syncro account.',
      docsUrl: 'https://docs.syncromsp.com/en_US/scripting-apis/syncro-rest-api',
      fields: syncroFields,
      // The permissions the health check and discovery read with (health.ts names a missing one the same way).
      requirements: [
        'An API token (in Syncro: Admin › API › API Tokens)',
        `Token permission “${syncroPermissions.customers}”`,
        `Token permission “${syncroPermissions.tickets}”`,
      ],
    },
    logoSvg,

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

    healthCheck: syncroHealthCheck({ api, checkTimeoutMs: options.checkTimeoutMs ?? 15_000, rateLimit }),

    listOrganizations: syncroListOrganizations({ api, pageTimeoutMs: options.pageTimeoutMs ?? 60_000, rateLimit }),

    actions: syncroActions({ api, timeoutMs: options.actionTimeoutMs ?? 30_000, rateLimit }),

    close: () => http.close(),
  };
}

/** The registry's instance: one vendor client (connection pool, rate limiter) per server process. */
export const syncroPlugin: SyncroPlugin = createSyncroPlugin();
