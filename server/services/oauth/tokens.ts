import { createHash } from 'node:crypto';
import { ensureConnection, findConnection, dropAccessToken, recordRefusal, saveTokens, type ConnectionRef, type ConnectionRow } from '../../db/oauthConnections.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner } from '../../db/pool.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../db/pool.js';
import { startBudget } from '../../integrations/http/budget.js';
import { refreshMarginMs, tokenRequestTimeoutMs } from '../../integrations/oauth2/memoryTokenSource.js';
import { requestToken, type TokenResponse } from '../../integrations/oauth2/tokenRequest.js';
import { OAuthConnectionError, TokenRequestError, type AccessToken, type OAuth2Auth, type OAuth2Grant, type TokenSource } from '../../integrations/oauth2/types.js';
import type { RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import { Health, type PluginSettings } from '../../integrations/types.js';
import { systemActor } from '../integrations/actor.js';
import { recordHealthResult } from '../integrations/health.js';
import { secretAad, type SecretCipher, type StoredSecret } from '../../secrets/cipher.js';
import type { Config } from '../../config.js';

/** Refused renewals after which a connection is disconnected (the specification: automated revocation on repeated failures). */
export const refusalsBeforeDisconnect = 3;

/**
 * Which client, endpoint and scopes a token was issued to. Stored beside the tokens so a settings
 * change never reuses them. A SHA-256 over a high-entropy client secret among other fields; the
 * secret itself is never stored here.
 */
export function grantFingerprint(grant: OAuth2Grant): string {
  const parts = [grant.kind, grant.token.url.href, grant.token.clientId, grant.token.clientSecret, grant.token.scopes.join(' '), grant.kind === 'oauth2AuthorizationCode' ? grant.authorizeUrl.href : ''];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export const tokenAad = (ref: ConnectionRef, which: 'access' | 'refresh') =>
  secretAad({ partnerId: ref.partnerId, integrationKey: ref.integrationKey, fieldKey: `oauth:${ref.organizationKey}:${which}` });

export interface OAuthTokens {
  /** The token source of one connection, for a plugin context; undefined for a plugin without OAuth2. */
  source(integration: RegisteredIntegration, partnerId: number, settings: PluginSettings, organizationKey?: string): TokenSource | undefined;
  /** Stores the tokens of a completed sign-in (the connect service, after the code exchange). */
  saveSignIn(ref: ConnectionRef, grant: OAuth2Grant, res: TokenResponse, userId: number): Promise<void>;
}

/** A token as handed out, with its ciphertext (what `rejected` compares before dropping it). */
interface Cached {
  token: AccessToken;
  ciphertext: string;
}

type Locked = Cached | { fail: Error };

/**
 * The framework's token store (issue 16): tokens encrypted under the key ring in
 * `oauth_connections`, requested or refreshed 5 minutes before they expire. Each call reads the
 * row (no copy in memory: a disconnect or a refusal on another instance counts at once). One
 * request at a time per connection: concurrent callers in this process share one promise, and across instances the
 * refresh happens while holding the row FOR UPDATE, so an instance that waited finds the token the
 * other one stored and asks for nothing. A refused refresh (authorization code) marks the
 * connection "reconnect needed"; `refusalsBeforeDisconnect` refusals disconnect it.
 */
export function createOAuthTokens(deps: { db: Db; secrets: SecretCipher; log: Logger; config: Config }, options: { now?: () => number } = {}): OAuthTokens {
  const now = options.now ?? Date.now;
  const flights = new Map<string, Promise<Cached>>();
  const fresh = (expiresAt: Date | null) => expiresAt !== null && expiresAt.getTime() - now() > refreshMarginMs;
  const keyOf = (ref: ConnectionRef) => `${ref.partnerId}|${ref.integrationKey}|${ref.organizationKey}`;

  function decryptAccess(ref: ConnectionRef, row: ConnectionRow): Cached {
    const stored = row.accessToken as StoredSecret;
    const value = deps.secrets.decrypt(stored, tokenAad(ref, 'access'));
    return { token: { value, expiresAt: row.expiresAt as Date, scopes: row.scopesGranted }, ciphertext: stored.ct };
  }

  /** The stored token, when it was issued for these settings and lives past the refresh margin. */
  const storedToken = (ref: ConnectionRef, row: ConnectionRow | undefined, fingerprint: string): Cached | undefined =>
    row?.accessToken && row.fingerprint === fingerprint && row.status === 'connected' && fresh(row.expiresAt) ? decryptAccess(ref, row) : undefined;

  /** Why this row cannot give a token without a request; null when a request may be made. */
  function unusable(vendor: string, grant: OAuth2Grant, row: ConnectionRow | undefined, fingerprint: string): OAuthConnectionError | null {
    if (grant.kind === 'oauth2ClientCredentials') return null;
    if (!row) return new OAuthConnectionError('not_connected', `Not connected to ${vendor} yet: Connect to sign in`);
    if (row.status === 'disconnected') return new OAuthConnectionError('disconnected', `Disconnected from ${vendor} after ${row.refusals} refused renewals: Connect again to restore access`);
    if (row.fingerprint !== fingerprint) return new OAuthConnectionError('reconnect_needed', `The ${vendor} settings changed since it was connected: Connect again`);
    return null;
  }

  async function underLock(integration: RegisteredIntegration, auth: OAuth2Auth, grant: OAuth2Grant, ref: ConnectionRef, fingerprint: string): Promise<Locked> {
    const vendor = integration.entry.name;
    return withPartner(deps.db, ref.partnerId, async (tx): Promise<Locked> => {
      if (grant.kind === 'oauth2ClientCredentials') await ensureConnection(tx, ref, { grantKind: grant.kind, fingerprint, scopesRequested: grant.token.scopes });
      const row = await findConnection(tx, ref, { lock: true });
      const problem = unusable(vendor, grant, row, fingerprint);
      if (problem) return { fail: problem };
      // Another caller (this instance or another) renewed it while we waited for the lock.
      const renewed = storedToken(ref, row, fingerprint);
      if (renewed) return renewed;

      let refreshToken: string | undefined;
      if (grant.kind === 'oauth2AuthorizationCode') {
        refreshToken = row?.refreshToken ? deps.secrets.decrypt(row.refreshToken, tokenAad(ref, 'refresh')) : undefined;
        if (!refreshToken) {
          await recordRefusal(tx, ref, 'reconnect_needed', 'no refresh token');
          return { fail: new OAuthConnectionError('reconnect_needed', `${vendor} gave no refresh token: reconnect needed (Connect again, allowing offline access)`) };
        }
      }
      const call = { budget: startBudget(new AbortController().signal, tokenRequestTimeoutMs), log: deps.log, now };
      let res: TokenResponse;
      try {
        res = refreshToken
          ? await requestToken(auth.http, grant.token, { grant_type: 'refresh_token', refresh_token: refreshToken }, call)
          : await requestToken(auth.http, grant.token, { grant_type: 'client_credentials' }, call);
      } catch (error) {
        if (!(error instanceof TokenRequestError && error.refused)) return { fail: error as Error };
        if (grant.kind === 'oauth2ClientCredentials') {
          // The partner fixes the settings (secret, scopes); there is nothing to reconnect.
          await recordRefusal(tx, ref, 'connected', error.message);
          return { fail: error };
        }
        const refusals = (row?.refusals ?? 0) + 1;
        const status = refusals >= refusalsBeforeDisconnect ? 'disconnected' : 'reconnect_needed';
        await recordRefusal(tx, ref, status, error.message);
        const said = error.description ? `: ${error.description}` : '';
        const fail =
          status === 'disconnected'
            ? new OAuthConnectionError('disconnected', `Disconnected from ${vendor}: it refused to renew access ${refusals} times (${error.error}${said}). Connect again to restore access`)
            : new OAuthConnectionError('reconnect_needed', `${vendor} refused to renew access (${error.error}${said}): reconnect needed — Connect again to sign in`);
        // The integration turns Error at once, whichever call found out (an action, discovery,
        // the sweep): its screens, alerts and the fleet view say so without waiting for a check.
        await recordHealthResult(tx, ref.partnerId, ref.integrationKey, Health.error(fail.message), systemActor, { log: deps.log });
        return { fail };
      }
      const access = deps.secrets.encrypt(res.accessToken, tokenAad(ref, 'access'));
      await saveTokens(tx, ref, {
        grantKind: grant.kind,
        accessToken: access,
        // A refresh without a new refresh token keeps the old one (RFC 6749 §6).
        ...(res.refreshToken ? { refreshToken: deps.secrets.encrypt(res.refreshToken, tokenAad(ref, 'refresh')) } : {}),
        expiresAt: res.expiresAt,
        scopesRequested: grant.token.scopes,
        scopesGranted: res.scopes,
        fingerprint,
      });
      return { token: { value: res.accessToken, expiresAt: res.expiresAt, scopes: res.scopes }, ciphertext: access.ct };
    });
  }

  async function obtain(integration: RegisteredIntegration, auth: OAuth2Auth, grant: OAuth2Grant, ref: ConnectionRef, fingerprint: string): Promise<Cached> {
    const row = await readAsPartner(deps.db, ref.partnerId, (q) => findConnection(q, ref));
    const problem = unusable(integration.entry.name, grant, row, fingerprint);
    if (problem) throw problem;
    const stored = storedToken(ref, row, fingerprint);
    if (stored) return stored;
    const locked = await underLock(integration, auth, grant, ref, fingerprint);
    if ('fail' in locked) throw locked.fail;
    return locked;
  }

  const source: OAuthTokens['source'] = (integration, partnerId, settings, organizationKey = '') => {
      const auth = integration.plugin.auth;
      if (!auth) return undefined;
      const ref: ConnectionRef = { partnerId, integrationKey: integration.entry.key, organizationKey };
      const key = keyOf(ref);
      let last: Cached | undefined;
      return {
        async accessToken() {
          const grant = auth.grant(settings, deps.config, organizationKey);
          if ('problem' in grant) throw new OAuthConnectionError('not_connected', grant.problem);
          const fingerprint = grantFingerprint(grant);
          const flightKey = `${key}|${fingerprint}`;
          let flight = flights.get(flightKey);
          if (!flight) {
            flight = obtain(integration, auth, grant, ref, fingerprint).finally(() => flights.delete(flightKey));
            flights.set(flightKey, flight);
          }
          last = await flight;
          return last.token;
        },
        async rejected(token) {
          // Compare-and-clear: a token another caller has renewed meanwhile is left alone.
          if (last?.token.value === token.value) await withPartner(deps.db, partnerId, (tx) => dropAccessToken(tx, ref, last?.ciphertext ?? ''));
        },
        // Issue 26: one row, lock and flight per organization (tenant); same settings, own endpoint.
        forOrganization: (key) => source(integration, partnerId, settings, key) as TokenSource,
      };
  };

  return {
    source,

    async saveSignIn(ref, grant, res, userId) {
      await withPartner(deps.db, ref.partnerId, (tx) =>
        saveTokens(tx, ref, {
          grantKind: grant.kind,
          accessToken: deps.secrets.encrypt(res.accessToken, tokenAad(ref, 'access')),
          refreshToken: res.refreshToken ? deps.secrets.encrypt(res.refreshToken, tokenAad(ref, 'refresh')) : null,
          expiresAt: res.expiresAt,
          scopesRequested: grant.token.scopes,
          scopesGranted: res.scopes,
          fingerprint: grantFingerprint(grant),
          connectedBy: userId,
        }),
      );
    },
  };
}
