import type { FieldErrors } from '../../../shared/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { readPluginLogo } from '../logoSvg.js';
import type { IntegrationPlugin, PluginSettings } from '../types.js';
import { levelActions } from './actions/index.js';
import { createLevelApi, levelRateLimit } from './client.js';
import { levelHealthCheck } from './health.js';
import { levelListOrganizations } from './organizations.js';
import { apiKeyProblem, keyAccessLabels, keyAccessProblem, levelFields } from './settings.js';

export interface LevelPluginOptions {
  /** Hard bound on one health check, retries and waits included. Default 15 s. */
  checkTimeoutMs?: number;
  /** Hard bound on one discovery (every group page: see organizations.ts). Default 90 s. */
  pageTimeoutMs?: number;
  /** Hard bound on one action run, all its vendor calls included. Default 30 s. */
  actionTimeoutMs?: number;
  /** Vendor client options; `rateLimit` replaces Level's per-key pace (tests). */
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: RateLimit };
}

export type LevelPlugin = IntegrationPlugin & { close(): Promise<void> };

const logoSvg = readPluginLogo(import.meta.url);

/** Level (level.io) RMM: groups as organizations, devices, alerts and automations, with an API key. */
export function createLevelPlugin(options: LevelPluginOptions = {}): LevelPlugin {
  const { rateLimit, retry, ...httpOptions } = options.http ?? {};
  // Level's rate limit is unknown: a 429's Retry-After is honoured up to 30 s (as ALGA caps it,
  // vendor-apis.md §6), within the run's own bound; longer waits give up and say Level is limiting.
  const http = createVendorClient({ vendor: 'Level', rateLimit: rateLimit ?? levelRateLimit, retry: { maxRetryAfterMs: 30_000, ...retry }, ...httpOptions });
  const api = createLevelApi(http);

  return {
    meta: {
      key: 'levelio',
      name: 'Level RMM',
      provider: 'Level',
      category: 'Rmm',
      description: 'Groups, devices, alerts and automations from Level (level.io), the RMM: read with an API key, and resolve alerts or run automations with a Read & write key.',
      docsUrl: 'https://docs.level.io/en/articles/13909289-api-keys-settings',
      fields: levelFields,
      requirements: [
        'An API key (in Level: Settings › API keys; the key is shown once)',
        `Key access “${keyAccessLabels.read_only}” to read groups, devices, alerts and automations`,
        `For resolving alerts and running automations: key access “${keyAccessLabels.read_write}”, and a webhook trigger on each automation to run`,
      ],
    },
    logoSvg,

    validate(settings: PluginSettings): FieldErrors | null {
      const errors: FieldErrors = {};
      const key = apiKeyProblem(settings.api_key);
      if (key) errors.api_key = [key];
      const access = keyAccessProblem(settings.key_access);
      if (access) errors.key_access = [access];
      return Object.keys(errors).length ? errors : null;
    },

    async configure(ctx) {
      // A pasted key may carry spaces or a line break around it; the key itself has none.
      const key = ctx.settings.api_key;
      return typeof key === 'string' ? { ...ctx.settings, api_key: key.trim() } : ctx.settings;
    },

    healthCheck: levelHealthCheck({ api, checkTimeoutMs: options.checkTimeoutMs ?? 15_000 }),

    listOrganizations: levelListOrganizations({ api, pageTimeoutMs: options.pageTimeoutMs ?? 90_000 }),

    actions: levelActions({ api, timeoutMs: options.actionTimeoutMs ?? 30_000 }),

    close: () => http.close(),
  };
}

/** The registry's instance: one vendor client (connection pool, per-key buckets) per server process. */
export const levelPlugin: LevelPlugin = createLevelPlugin();
