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
export function memoryTokenSource(
  auth: Pick<OAuth2Auth, 'http'>,
  grant: OAuth2Grant,
  ctx: { signal: AbortSignal; log: Logger; now?: () => number },
  /** Issue 26: the per-organization sources (`forOrganization`), when the caller can build them. */
  forOrganization?: (organizationKey: string) => TokenSource,
): TokenSource {
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
    ...(forOrganization ? { forOrganization } : {}),
  };
}

/**
 * In-memory sources of one partner-level grant and its organizations (issue 26), each organization
 * built once and kept: a draft's test or a plugin test asks each tenant for one token.
 */
export function memoryTokenSources(auth: OAuth2Auth, grantFor: (organization: string) => OAuth2Grant | { problem: string }, ctx: { signal: AbortSignal; log: Logger; now?: () => number }): TokenSource {
  const byOrganization = new Map<string, TokenSource>();
  const build = (organization: string): TokenSource => {
    const grant = grantFor(organization);
    if ('problem' in grant) return { accessToken: () => Promise.reject(new OAuthConnectionError('not_connected', grant.problem)), rejected: async () => undefined };
    return memoryTokenSource(auth, grant, ctx, organization === '' ? forOrganization : undefined);
  };
  function forOrganization(organization: string): TokenSource {
    let source = byOrganization.get(organization);
    if (!source) byOrganization.set(organization, (source = build(organization)));
    return source;
  }
  return forOrganization('');
}
