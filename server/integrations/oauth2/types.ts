import type { Config } from '../../config.js';
import type { VendorClient } from '../http/vendorClient.js';
import type { PluginSettings } from '../types.js';

/**
 * OAuth2 as plugins declare it (issue 16; design brief "Wave 2"). A plugin says which grants it
 * offers and, from the partner's settings, the endpoints, client and scopes of the one in use;
 * the framework requests, stores (encrypted, per partner + integration + organization), refreshes
 * and revokes tokens. A plugin never sees a refresh token, the database or another partner: it
 * asks its context for an access token (`ctx.oauth.accessToken()`).
 */

/** Where and how tokens are requested (RFC 6749 §3.2). */
export interface TokenEndpoint {
  url: URL;
  clientId: string;
  /** Server-side only: never sent to the desktop, logged or recorded. */
  clientSecret: string;
  /** `basic`: HTTP Basic client authentication (RFC 6749 §2.3.1); `post`: id and secret in the form. */
  clientAuth: 'basic' | 'post';
  /** Exactly the scopes requested, in order; sent space-separated (empty: no `scope` parameter). */
  scopes: string[];
}

export interface ClientCredentialsGrant {
  kind: 'oauth2ClientCredentials';
  token: TokenEndpoint;
}

/** Authorization code with PKCE S256 and `state` (RFC 6749 §4.1, RFC 7636, RFC 8252 for the desktop). */
export interface AuthorizationCodeGrant {
  kind: 'oauth2AuthorizationCode';
  token: TokenEndpoint;
  authorizeUrl: URL;
}

export type OAuth2Grant = ClientCredentialsGrant | AuthorizationCodeGrant;
export type OAuth2GrantKind = OAuth2Grant['kind'];

/** A plugin's OAuth2 declaration (`auth` in its index.ts). */
export interface OAuth2Auth {
  /** The grants the plugin can use, for the catalog and the type checker. */
  grants: readonly OAuth2GrantKind[];
  /**
   * The grant these settings use, or why they cannot (worded for the partner). `organization` is
   * the organization key of a per-organization token (issue 26: a Microsoft 365 customer tenant,
   * whose tokens come from that tenant's own token endpoint); '' or absent: the connection's own.
   */
  grant(settings: PluginSettings, config: Config, organization?: string): OAuth2Grant | { problem: string };
  /** The plugin's vendor client: token requests share its limits and reach the interaction log. */
  http: VendorClient;
  /**
   * Issue 26: where an administrator of one organization (a Microsoft 365 customer tenant) grants
   * the app there, returning to the desktop's loopback redirect with the state; absent when the
   * vendor has no such step. `explain` words that organization's token refusal for the partner.
   */
  adminConsent?: {
    url(settings: PluginSettings, config: Config, organization: string, redirectUri: string, state: string): URL | { problem: string };
    explain(error: unknown): string;
  };
}

/** An access token as a plugin receives it. */
export interface AccessToken {
  value: string;
  /** When the vendor said it expires. */
  expiresAt: Date;
  /** The scopes granted: the token response's `scope`, else the scopes requested (RFC 6749 §5.1). */
  scopes: string[];
}

/** What a plugin's context offers when the plugin declares OAuth2. */
export interface TokenSource {
  /**
   * A token valid for at least the refresh margin (5 minutes), requested or refreshed when
   * needed: one request at a time per connection, across concurrent calls and server instances.
   * Throws `TokenRequestError` when the vendor refuses, `OAuthConnectionError` when there is no
   * usable connection (never connected, reconnect needed, disconnected), or a `VendorError` when
   * the token endpoint could not be reached.
   */
  accessToken(options?: { signal?: AbortSignal }): Promise<AccessToken>;
  /**
   * The vendor refused `token` on an API call (401): it is dropped, so the next `accessToken()`
   * requests a new one instead of reusing it until it expires.
   */
  rejected(token: AccessToken): Promise<void>;
  /**
   * The token source of one organization of this connection (issue 26): tokens asked with
   * `auth.grant(settings, config, organizationKey)`, stored and refreshed apart per (partner,
   * integration, organization), one request at a time per organization across instances. Present
   * on the framework's sources (and the in-memory ones of drafts and tests).
   */
  forOrganization?(organizationKey: string): TokenSource;
}

/** The token endpoint refused (4xx with an OAuth2 error body, RFC 6749 §5.2). */
export class TokenRequestError extends Error {
  override name = 'TokenRequestError';
  constructor(
    readonly vendor: string,
    readonly grantType: string,
    readonly status: number,
    /** `invalid_scope`, `invalid_client`, `invalid_grant`, `unauthorized_client` … or `unknown`. */
    readonly error: string,
    /** The vendor's `error_description`, secrets removed, capped; may name AADSTS codes. */
    readonly description: string | undefined,
  ) {
    super(`${vendor} refused the token request (${grantType}): ${error}${description ? ` — ${description}` : ''}`);
  }

  /** Whether asking again with the same credentials cannot succeed (as opposed to a throttle). */
  get refused(): boolean {
    return this.status === 400 || this.status === 401 || this.status === 403;
  }
}

/** There is no usable connection; `state` says why, the message says what to do. */
export class OAuthConnectionError extends Error {
  override name = 'OAuthConnectionError';
  constructor(
    readonly state: 'not_connected' | 'reconnect_needed' | 'disconnected',
    message: string,
  ) {
    super(message);
  }
}
