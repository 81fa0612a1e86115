import type { FieldErrors } from '../../../shared/errors.js';
import { startBudget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { Health, type HealthResult, type IntegrationPlugin, type PluginContext, type PluginSettings } from '../types.js';
import { createMsp360Api, noTokenReason, type Msp360Call } from './client.js';
import { apiLoginProblem, apiPasswordProblem, msp360Fields } from './settings.js';
import { Msp360TokenCache } from './tokenCache.js';

/**
 * MSP360 publishes no rate limit. We stay well inside anything plausible: 55/min plus a burst of
 * 5 (at most 60 in any minute) per server instance; a health check needs three calls at most.
 */
export const msp360RateLimit: RateLimit = { perMinute: 55, burst: 5 };

export interface Msp360PluginOptions {
  /** Hard bound on one health check, login, retries and waits included. Default 15 s. */
  checkTimeoutMs?: number;
  /** Token lifetime when the login answer has no `expires_in`. Default 1 h (the vendor says 2 weeks). */
  defaultTokenTtlMs?: number;
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: RateLimit };
}

export type Msp360Plugin = IntegrationPlugin & { close(): Promise<void>; readonly tokens: Msp360TokenCache };

const loginRejected = 'MSP360 rejected the API login or password';
const readable = { companies: 'Companies', users: 'Users' } as const;

/** MSP360 Managed Backup (wrapped): the legacy MSPBackups feature's credentials in the catalog. */
export function createMsp360Plugin(options: Msp360PluginOptions = {}): Msp360Plugin {
  const checkTimeoutMs = options.checkTimeoutMs ?? 15_000;
  const http = createVendorClient({ vendor: 'MSP360', rateLimit: msp360RateLimit, ...options.http });
  const api = createMsp360Api(http);
  const tokens = new Msp360TokenCache(options.defaultTokenTtlMs);

  function loginFailure(error: unknown, call: Msp360Call): HealthResult {
    // The login's failure status is not documented (one client sees 403); any 4xx but 404/429
    // from the login endpoint means the credentials were not accepted.
    if (error instanceof VendorError && ['unauthorized', 'forbidden', 'client_error'].includes(error.kind)) return Health.error(loginRejected);
    if (error instanceof VendorError && error.kind === 'invalid_response' && error.details.reason === noTokenReason) {
      return Health.error('MSP360 answered the login without a session token; check the API login and password');
    }
    return commonHealth(error, 'MSP360', call.log);
  }

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
      links: [{ label: 'MSPBackups console', url: 'https://mspbackups.com' }],
    },

    validate(settings: PluginSettings): FieldErrors | null {
      const errors: FieldErrors = {};
      const login = apiLoginProblem(settings.api_login);
      if (login) errors.api_login = [login];
      const password = apiPasswordProblem(settings.api_password);
      if (password) errors.api_password = [password];
      return Object.keys(errors).length ? errors : null;
    },

    async healthCheck(ctx: PluginContext): Promise<HealthResult> {
      const { api_login: rawLogin, api_password: password } = ctx.settings;
      const problem = apiLoginProblem(rawLogin) ?? apiPasswordProblem(password);
      if (problem || typeof rawLogin !== 'string' || typeof password !== 'string') return Health.error(`MSP360 settings are not valid: ${problem}`);
      const login = rawLogin.trim();
      const secret: string = password;
      const call: Msp360Call = {
        baseUrl: new URL(ctx.config.msp360BaseUrl),
        budget: startBudget(ctx.signal, checkTimeoutMs),
        log: ctx.log.child({ integration: 'msp360', partnerId: ctx.partnerId }),
        secrets: [password],
      };
      const credential = tokens.credentialKey(login, secret);

      async function signIn(): Promise<string> {
        const session = await api.login(call, login, secret);
        tokens.set(ctx.partnerId, credential, session.token, session.expiresInSeconds);
        return session.token;
      }

      let token = tokens.get(ctx.partnerId, credential);
      if (!token) {
        try {
          token = await signIn();
        } catch (error) {
          tokens.drop(ctx.partnerId);
          return loginFailure(error, call);
        }
      }

      /** One read; on 401 the token is dropped and one fresh login is tried before giving up. */
      async function read<T>(fn: (t: string) => Promise<T>): Promise<T> {
        try {
          return await fn(token as string);
        } catch (error) {
          if (!(error instanceof VendorError && error.kind === 'unauthorized')) throw error;
          tokens.drop(ctx.partnerId);
          try {
            token = await signIn();
          } catch (loginError) {
            throw new LoginFailed(loginError);
          }
          return await fn(token);
        }
      }

      const missing: string[] = [];
      const counts: Partial<Record<keyof typeof readable, number>> = {};
      for (const name of ['companies', 'users'] as const) {
        try {
          counts[name] = (await read((t) => (name === 'companies' ? api.companies(call, t) : api.users(call, t)))).length;
        } catch (error) {
          if (error instanceof LoginFailed) return loginFailure(error.cause, call);
          if (error instanceof VendorError && error.kind === 'forbidden') {
            missing.push(readable[name]);
            continue;
          }
          if (error instanceof VendorError && error.kind === 'unauthorized') {
            tokens.drop(ctx.partnerId);
            return Health.error('MSP360 accepted the API login but refused its session token');
          }
          return commonHealth(error, 'MSP360', call.log);
        }
      }
      if (missing.length) {
        return Health.degraded(`The MSP360 API login may not read ${missing.join(' or ')} (access to ${missing.map((m) => `"${m}"`).join(' and ')} was refused)`);
      }
      const companies = counts.companies ?? 0;
      const users = counts.users ?? 0;
      return Health.ok(`Signed in to MSP360: ${companies} ${companies === 1 ? 'company' : 'companies'} and ${users} user${users === 1 ? '' : 's'} readable`);
    },

    close: () => http.close(),
  };
}

/** A re-login after a 401 failed; carries the login's own error. */
class LoginFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('MSP360 re-login failed');
  }
}

/** The registry's instance: one vendor client and token cache per server process. */
export const msp360Plugin: Msp360Plugin = createMsp360Plugin();
