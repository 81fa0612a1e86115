import type { Logger } from '../../logger.js';
import { startBudget } from '../http/budget.js';
import { requestToken } from './tokenRequest.js';
import { OAuthConnectionError, type AccessToken, type OAuth2Auth, type OAuth2Grant, type TokenSource } from './types.js';

/** Tokens are renewed this long before they expire (issue 16: "5 minutes ahead"). */
export const refreshMarginMs = 5 * 60_000;
/** One token request may take this long, retries included. */
export const tokenRequestTimeoutMs = 15_000;

/**
 * A client-credentials token source that keeps its token in memory only: for a connection test
 * of settings not yet saved (nothing is stored until they are), and for a plugin's own tests.
 * Concurrent callers share one request. An authorization-code grant has nothing to test before
 * the partner connects, so it answers "not connected".
 */
export function memoryTokenSource(auth: Pick<OAuth2Auth, 'http'>, grant: OAuth2Grant, ctx: { signal: AbortSignal; log: Logger; now?: () => number }): TokenSource {
  const now = ctx.now ?? Date.now;
  let current: AccessToken | undefined;
  let inFlight: Promise<AccessToken> | undefined;
  return {
    accessToken(options) {
      if (grant.kind !== 'oauth2ClientCredentials') {
        return Promise.reject(new OAuthConnectionError('not_connected', 'Not connected yet: save the settings, then Connect to sign in at the vendor'));
      }
      if (current && current.expiresAt.getTime() - now() > refreshMarginMs) return Promise.resolve(current);
      inFlight ??= (async () => {
        try {
          const signal = options?.signal ? AbortSignal.any([ctx.signal, options.signal]) : ctx.signal;
          const res = await requestToken(auth.http, grant.token, { grant_type: 'client_credentials' }, { budget: startBudget(signal, tokenRequestTimeoutMs), log: ctx.log, now });
          current = { value: res.accessToken, expiresAt: res.expiresAt, scopes: res.scopes };
          return current;
        } finally {
          inFlight = undefined;
        }
      })();
      return inFlight;
    },
    async rejected(token) {
      if (current?.value === token.value) current = undefined;
    },
  };
}
