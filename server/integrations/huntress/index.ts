import type { FieldErrors } from '../../../shared/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { readPluginLogo } from '../logoSvg.js';
import type { IntegrationPlugin, PluginContext, PluginSettings } from '../types.js';
import { huntressActions } from './actions/index.js';
import { createHuntressApi, huntressRateLimit } from './client.js';
import { huntressHealthCheck, incidentReportsPermission } from './health.js';
import { huntressListOrganizations } from './organizations.js';
import { apiKeyProblem, apiSecretProblem, huntressFields, keyTypeProblem, subdomainProblem } from './settings.js';

export interface HuntressPluginOptions {
  /** Hard bound on one health check, retries and waits included. Default 15 s. */
  checkTimeoutMs?: number;
  /** Hard bound on one page of a discovery, waits for the key's request budget included. Default 75 s (a full window waits up to 62 s). */
  pageTimeoutMs?: number;
  /** Hard bound on one action run. Default 30 s. */
  actionTimeoutMs?: number;
  /** Organizations a discovery page (default 500, Huntress's maximum). */
  discoveryPageSize?: number;
  /** Vendor client options; `rateLimit` replaces Huntress's 60 in any minute (tests only). */
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: RateLimit };
}

export type HuntressPlugin = IntegrationPlugin & { close(): Promise<void> };

const logoSvg = readPluginLogo(import.meta.url);

/** Huntress (managed EDR): organizations, agents and incident reports, with an API key pair. */
export function createHuntressPlugin(options: HuntressPluginOptions = {}): HuntressPlugin {
  const { rateLimit, ...httpOptions } = options.http ?? {};
  const limit = rateLimit ?? huntressRateLimit;
  const http = createVendorClient({ vendor: 'Huntress', rateLimit: limit, ...httpOptions });
  const api = createHuntressApi(http);

  return {
    meta: {
      key: 'huntress',
      name: 'Huntress',
      provider: 'Huntress',
      category: 'Security',
      description: 'Organizations, agents and incident reports from Huntress managed EDR, with an API key pair of your Huntress account; resolve incident reports with a user-based key.',
      docsUrl: 'https://api.huntress.io/docs',
      fields: huntressFields,
      requirements: [
        'An API key and secret key (in Huntress: API Credentials, under your account menu)',
        `Read access to the account, Organizations and ${incidentReportsPermission.replace(' (read)', '')}`,
        'To resolve incident reports: a user-based API key with permission to resolve them (the account key is read-only)',
      ],
    },
    logoSvg,

    validate(settings: PluginSettings): FieldErrors | null {
      const errors: FieldErrors = {};
      const problems = {
        subdomain: subdomainProblem(settings.subdomain),
        api_key: apiKeyProblem(settings.api_key),
        api_secret: apiSecretProblem(settings.api_secret),
        key_type: keyTypeProblem(settings.key_type),
      };
      for (const [field, problem] of Object.entries(problems)) if (problem) errors[field] = [problem];
      return Object.keys(errors).length ? errors : null;
    },

    async configure(ctx: PluginContext): Promise<PluginSettings> {
      const subdomain = ctx.settings.subdomain;
      return typeof subdomain === 'string' ? { ...ctx.settings, subdomain: subdomain.trim().toLowerCase() } : ctx.settings;
    },

    healthCheck: huntressHealthCheck({ api, checkTimeoutMs: options.checkTimeoutMs ?? 15_000, rateLimit: limit }),

    listOrganizations: huntressListOrganizations({ api, pageTimeoutMs: options.pageTimeoutMs ?? 75_000, rateLimit: limit, pageSize: options.discoveryPageSize }),

    actions: huntressActions({ api, timeoutMs: options.actionTimeoutMs ?? 30_000, rateLimit: limit }),

    close: () => http.close(),
  };
}

/** The registry's instance: one vendor client (connection pool, per-key sliding windows) per server process. */
export const huntressPlugin: HuntressPlugin = createHuntressPlugin();
