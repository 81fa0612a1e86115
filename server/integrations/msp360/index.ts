import type { FieldErrors } from '../../../shared/errors.js';
import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { readPluginLogo } from '../logoSvg.js';
import { Health, type HealthResult, type IntegrationPlugin, type PluginContext, type PluginSettings } from '../types.js';
import { msp360Actions } from './actions/index.js';
import { createMsp360Api, type Msp360Company } from './client.js';
import { msp360HealthCheck } from './health.js';
import { msp360ListOrganizations } from './organizations.js';
import { openMsp360Session } from './session.js';
import { apiLoginProblem, apiPasswordProblem, msp360Fields } from './settings.js';
import { Msp360TokenCache } from './tokenCache.js';

/**
 * MSP360 publishes no rate limit. We stay well inside anything plausible: 55/min plus a burst of
 * 5 (at most 60 in any minute) per MSP360 account (API login) and server instance; a health check needs three calls at most.
 */
export const msp360RateLimit: RateLimit = { perMinute: 55, burst: 5 };

export interface Msp360PluginOptions {
  /** Hard bound on one health check, login, retries and waits included. Default 15 s. */
  checkTimeoutMs?: number;
  /** Hard bound on one action run, login and retries included. Default 30 s. */
  actionTimeoutMs?: number;
  /** Token lifetime when the login answer has no `expires_in`. Default 1 h (the vendor says 2 weeks). */
  defaultTokenTtlMs?: number;
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: RateLimit };
}

/** A read's value, or why it failed, worded as health (secrets already kept out). */
export type Msp360Read<T> = { ok: true; value: T } | { ok: false; failure: HealthResult };

export type Msp360Plugin = IntegrationPlugin & {
  close(): Promise<void>;
  readonly tokens: Msp360TokenCache;
  /** The backup companies of the API login, on the same token cache as the health check (the legacy MSPBackups page reads them). */
  companies(ctx: PluginContext): Promise<Msp360Read<Msp360Company[]>>;
};

/** Whether a registry entry's plugin is the MSP360 one (it is looked up by key, typed by shape). */
export const isMsp360Plugin = (plugin: IntegrationPlugin): plugin is Msp360Plugin =>
  typeof (plugin as Partial<Msp360Plugin>).companies === 'function';

const logoSvg = readPluginLogo(import.meta.url);

/** MSP360 Managed Backup (wrapped): the legacy MSPBackups feature's credentials in the catalog. */
export function createMsp360Plugin(options: Msp360PluginOptions = {}): Msp360Plugin {
  const checkTimeoutMs = options.checkTimeoutMs ?? 15_000;
  const http = createVendorClient({ vendor: 'MSP360', rateLimit: msp360RateLimit, ...options.http });
  const api = createMsp360Api(http);
  const tokens = new Msp360TokenCache(options.defaultTokenTtlMs);
  const open = (ctx: PluginContext) => openMsp360Session({ ctx, api, tokens, checkTimeoutMs });

  return {
    tokens,
    meta: {
      key: 'msp360',
      name: 'MSP360 Managed Backup',
      provider: 'MSP360',
      category: 'Backup',
      description: 'Backup companies, users and plan status from MSP360 Managed Backup (MSPBackups), with the API credentials of your MBS console.',
      docsUrl: 'https://help.mspbackups.com/mbs-api-specification',
      fields: msp360Fields,
      // MSP360 has no per-resource permissions; the health check reads Companies and Users with the API login.
      requirements: [
        'The API login and password from the MBS console (Settings › General › API credentials), not the portal sign-in',
        'Read access to Companies and Users',
      ],
    },
    logoSvg,

    validate(settings: PluginSettings): FieldErrors | null {
      const errors: FieldErrors = {};
      const login = apiLoginProblem(settings.api_login);
      if (login) errors.api_login = [login];
      const password = apiPasswordProblem(settings.api_password);
      if (password) errors.api_password = [password];
      return Object.keys(errors).length ? errors : null;
    },

    healthCheck: msp360HealthCheck({ api, open }),

    listOrganizations: msp360ListOrganizations({ api, open }),

    actions: msp360Actions({ api, open: (ctx) => openMsp360Session({ ctx, api, tokens, checkTimeoutMs: options.actionTimeoutMs ?? 30_000 }) }),

    async companies(ctx: PluginContext): Promise<Msp360Read<Msp360Company[]>> {
      const session = open(ctx);
      if ('invalid' in session) return { ok: false, failure: session.invalid };
      try {
        return { ok: true, value: await session.read((t) => api.companies(session.call, t)) };
      } catch (error) {
        if (error instanceof VendorError && error.kind === 'forbidden') {
          return { ok: false, failure: Health.degraded('The MSP360 API login may not read Companies (access to "Companies" was refused)') };
        }
        return { ok: false, failure: session.failure(error) };
      }
    },

    close: () => http.close(),
  };
}

/** The registry's instance: one vendor client and token cache per server process. */
export const msp360Plugin: Msp360Plugin = createMsp360Plugin();
