import type { Logger } from '../../logger.js';
import type { Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { VendorClient } from '../http/vendorClient.js';
import { TokenRequestError, type TokenEndpoint } from './types.js';

/** A token response (RFC 6749 §5.1), checked. */
export interface TokenResponse {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: Date;
  /** Granted scopes: the response's `scope`, else the ones requested. */
  scopes: string[];
}

/** When a vendor sends no `expires_in`: an hour, the figure NinjaOne and Entra document. */
const defaultLifetimeSeconds = 3600;

export type GrantParams =
  | { grant_type: 'client_credentials' }
  | { grant_type: 'authorization_code'; code: string; redirect_uri: string; code_verifier: string }
  | { grant_type: 'refresh_token'; refresh_token: string };

/**
 * One token request through the plugin's vendor client (so it is rate limited, timed out and
 * recorded in the interaction log with only its grant type and scopes). A 4xx with an OAuth2
 * error body becomes a `TokenRequestError`; network trouble and 5xx stay `VendorError`s.
 */
export async function requestToken(
  http: VendorClient,
  endpoint: TokenEndpoint,
  params: GrantParams,
  call: { budget: Budget; log: Logger; now?: () => number },
): Promise<TokenResponse> {
  const form: Record<string, string> = { ...params };
  // RFC 6749 §6: a refresh may omit the scope (the original grant's); the others name it.
  if (endpoint.scopes.length && params.grant_type !== 'authorization_code') form.scope = endpoint.scopes.join(' ');
  const headers: Record<string, string> = {};
  if (endpoint.clientAuth === 'basic') {
    // RFC 6749 §2.3.1: both halves form-encoded before Basic.
    const user = encodeURIComponent(endpoint.clientId);
    const pass = encodeURIComponent(endpoint.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  } else {
    form.client_id = endpoint.clientId;
    form.client_secret = endpoint.clientSecret;
  }
  const secrets = [endpoint.clientSecret, ...('code' in params ? [params.code, params.code_verifier] : []), ...('refresh_token' in params ? [params.refresh_token] : [])];
  const vendor = http.settings.vendor;
  let data: unknown;
  try {
    ({ data } = await http.request({
      method: 'POST',
      url: endpoint.url,
      operation: `POST ${endpoint.url.pathname}`,
      headers,
      form,
      budget: call.budget,
      log: call.log,
      secrets,
      // A token request has no side effect at the vendor worth guarding: asking twice is safe.
      idempotent: true,
    }));
  } catch (error) {
    if (error instanceof VendorError && error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429) {
      throw new TokenRequestError(vendor, params.grant_type, error.status, error.details.vendorCode ?? 'unknown', error.details.vendorMessage);
    }
    throw error;
  }
  return parseTokenResponse(vendor, endpoint, data, call.now?.() ?? Date.now());
}

function parseTokenResponse(vendor: string, endpoint: TokenEndpoint, data: unknown, now: number): TokenResponse {
  const body = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const invalid = (reason: string) => new VendorError('invalid_response', { vendor, operation: `POST ${endpoint.url.pathname}`, reason });
  if (typeof body.access_token !== 'string' || body.access_token === '') throw invalid('the token response has no access_token');
  if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') throw invalid(`the token type is ${body.token_type.slice(0, 20)}, not Bearer`);
  const expiresIn = Number(body.expires_in ?? defaultLifetimeSeconds);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw invalid('expires_in is not a positive number');
  const scopes = typeof body.scope === 'string' ? body.scope.split(/\s+/).filter(Boolean) : endpoint.scopes;
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined,
    expiresAt: new Date(now + expiresIn * 1000),
    scopes,
  };
}
