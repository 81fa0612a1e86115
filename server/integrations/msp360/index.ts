import type { FieldErrors } from '../../../shared/errors.js';
import { startBudget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { Health, type HealthResult, type IntegrationPlugin, type PluginContext, type PluginSettings } from '../types.js';
import { createMsp360Api, noTokenReason, type Msp360Call, type Msp360Company } from './client.js';
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

  /**
   * One partner's MSP360 session for one call: the cached token (per partner and credential),
   * or a login; `read` retries once with a fresh login after a 401. Invalid settings are a
   * failure before anything is sent.
   */
  function open(ctx: PluginContext): { failure: HealthResult } | { session: ReturnType<typeof sessionFor>; call: Msp360Call } {
    const { api_login: rawLogin, api_password: password } = ctx.settings;
    const problem = apiLoginProblem(rawLogin) ?? apiPasswordProblem(password);
    if (problem || typeof rawLogin !== 'string' || typeof password !== 'string') return { failure: Health.error(`MSP360 settings are not valid: ${problem}`) };
    const call: Msp360Call = {
      baseUrl: new URL(ctx.config.msp360BaseUrl),
      account: `${ctx.config.msp360BaseUrl} ${rawLogin.trim().toLowerCase()}`,
      budget: startBudget(ctx.signal, checkTimeoutMs),
      log: ctx.log.child({ integration: 'msp360', partnerId: ctx.partnerId }),
      secrets: [password],
    };
    return { session: sessionFor(ctx.partnerId, rawLogin.trim(), password, call), call };
  }

  function sessionFor(partnerId: number, login: string, secret: string, call: Msp360Call) {
    const credential = tokens.credentialKey(login, secret);
    let token = tokens.get(partnerId, credential);

    async function signIn(): Promise<string> {
      try {
        const session = await api.login(call, login, secret);
        tokens.set(partnerId, credential, session.token, session.expiresInSeconds);
        return session.token;
      } catch (error) {
        tokens.drop(partnerId);
        throw new LoginFailed(error);
      }
    }

    return {
      /** One read; on 401 the token is dropped and one fresh login is tried before giving up. */
      async read<T>(fn: (t: string) => Promise<T>): Promise<T> {
        token ??= await signIn();
        try {
          return await fn(token);
        } catch (error) {
          if (!(error instanceof VendorError && error.kind === 'unauthorized')) throw error;
          tokens.drop(partnerId);
          token = await signIn();
          return await fn(token);
        }
      },
      /** What a failed read means, as health. */
      failure(error: unknown): HealthResult {
        if (error instanceof LoginFailed) return loginFailure(error.cause, call);
        if (error instanceof VendorError && error.kind === 'unauthorized') {
          tokens.drop(partnerId);
          return Health.error('MSP360 accepted the API login but refused its session token');
        }
        return commonHealth(error, 'MSP360', call.log);
      },
    };
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
      const started = open(ctx);
      if ('failure' in started) return started.failure;
      const { session, call } = started;
      const missing: string[] = [];
      const counts: Partial<Record<keyof typeof readable, number>> = {};
      for (const name of ['companies', 'users'] as const) {
        try {
          counts[name] = (await session.read((t) => (name === 'companies' ? api.companies(call, t) : api.users(call, t)))).length;
        } catch (error) {
          if (error instanceof VendorError && error.kind === 'forbidden') {
            missing.push(readable[name]);
            continue;
          }
          return session.failure(error);
        }
      }
      if (missing.length) {
        return Health.degraded(`The MSP360 API login may not read ${missing.join(' or ')} (access to ${missing.map((m) => `"${m}"`).join(' and ')} was refused)`);
      }
      const companies = counts.companies ?? 0;
      const users = counts.users ?? 0;
      return Health.ok(`Signed in to MSP360: ${companies} ${companies === 1 ? 'company' : 'companies'} and ${users} user${users === 1 ? '' : 's'} readable`);
    },

    async companies(ctx: PluginContext): Promise<Msp360Read<Msp360Company[]>> {
      const started = open(ctx);
      if ('failure' in started) return { ok: false, failure: started.failure };
      const { session, call } = started;
      try {
        return { ok: true, value: await session.read((t) => api.companies(call, t)) };
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

/** A re-login after a 401 failed; carries the login's own error. */
class LoginFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('MSP360 re-login failed');
  }
}

/** The registry's instance: one vendor client and token cache per server process. */
export const msp360Plugin: Msp360Plugin = createMsp360Plugin();
