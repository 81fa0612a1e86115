import { startBudget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import { noTokenReason, type Msp360Api, type Msp360Call } from './client.js';
import { apiLoginProblem, apiPasswordProblem } from './settings.js';
import type { Msp360TokenCache } from './tokenCache.js';

export const loginRejected = 'MSP360 rejected the API login or password';

/** A login (first or renewed) failed; carries the login's own error. */
class LoginFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('MSP360 login failed');
  }
}

function loginFailure(error: unknown, call: Msp360Call): HealthResult {
  // MSP360 documents 400 {"error":"invalid_grant", …} for bad credentials [M: MSP-GB]; one client
  // sees 403 [L: MSP-MCP]. Any 4xx but 404/429 from the login means the credentials were refused.
  if (error instanceof VendorError && ['unauthorized', 'forbidden', 'client_error'].includes(error.kind)) return Health.error(loginRejected);
  if (error instanceof VendorError && error.kind === 'invalid_response' && error.details.reason === noTokenReason) {
    return Health.error('MSP360 answered the login without a session token; check the API login and password');
  }
  return commonHealth(error, 'MSP360', call.log);
}

/** One partner's MSP360 session for one call (a health check or a read). */
export interface Msp360Session {
  call: Msp360Call;
  /**
   * One read with the cached token or a fresh login. A cached token refused with 401 or 403 is
   * dropped and one fresh login tried: what an expired token gets is not documented (vendor-apis.md
   * §2: "re-login once on either"). A fresh token's refusal is passed on as it is.
   */
  read<T>(fn: (token: string) => Promise<T>): Promise<T>;
  /** What a failed read means, as health (a 403 is the caller's to word: it names the resource). */
  failure(error: unknown): HealthResult;
}

/**
 * Opens a session from the partner's settings, or says why it cannot (`invalid`: nothing is
 * sent). Tokens are cached per partner and credential, so a changed password never reuses one.
 */
export function openMsp360Session(options: { ctx: PluginContext; api: Msp360Api; tokens: Msp360TokenCache; checkTimeoutMs: number }): Msp360Session | { invalid: HealthResult } {
  const { ctx, api, tokens } = options;
  const { api_login: rawLogin, api_password: password } = ctx.settings;
  const problem = apiLoginProblem(rawLogin) ?? apiPasswordProblem(password);
  if (problem || typeof rawLogin !== 'string' || typeof password !== 'string') return { invalid: Health.error(`MSP360 settings are not valid: ${problem}`) };
  const login = rawLogin.trim();
  const secret: string = password;
  const partnerId = ctx.partnerId;
  const call: Msp360Call = {
    baseUrl: new URL(ctx.config.msp360BaseUrl),
    account: `${ctx.config.msp360BaseUrl} ${login.toLowerCase()}`,
    budget: startBudget(ctx.signal, options.checkTimeoutMs),
    log: ctx.log.child({ integration: 'msp360', partnerId }),
    secrets: [password],
  };
  const credential = tokens.credentialKey(login, password);
  let token = tokens.get(partnerId, credential);
  let fresh = false;

  async function signIn(): Promise<string> {
    try {
      const session = await api.login(call, login, secret);
      tokens.set(partnerId, credential, session.token, session.expiresInSeconds);
      fresh = true;
      return session.token;
    } catch (error) {
      tokens.drop(partnerId);
      throw new LoginFailed(error);
    }
  }

  return {
    call,
    async read<T>(fn: (t: string) => Promise<T>): Promise<T> {
      token ??= await signIn();
      try {
        return await fn(token);
      } catch (error) {
        const refused = error instanceof VendorError && (error.kind === 'unauthorized' || error.kind === 'forbidden');
        if (!refused || fresh) throw error;
        tokens.drop(partnerId);
        token = await signIn();
        return await fn(token);
      }
    },
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
