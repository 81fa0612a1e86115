import type { StoredSecret } from '../secrets/cipher.js';
import type { Queryable } from './pool.js';

// Issue 16: OAuth2 connections (tokens encrypted, one row per partner + integration +
// organization) and desktop sign-ins waiting for their code. Partner-scoped: every caller runs
// these inside withPartner / readAsPartner.

export type ConnectionStatus = 'connected' | 'reconnect_needed' | 'disconnected';
export type GrantKind = 'oauth2ClientCredentials' | 'oauth2AuthorizationCode';

export interface ConnectionRow {
  partnerId: number;
  integrationKey: string;
  organizationKey: string;
  grantKind: GrantKind;
  status: ConnectionStatus;
  accessToken: StoredSecret | null;
  refreshToken: StoredSecret | null;
  expiresAt: Date | null;
  scopesRequested: string[];
  scopesGranted: string[];
  fingerprint: string;
  refusals: number;
  lastError: string | null;
  connectedAt: Date | null;
  refreshedAt: Date | null;
}

const columns = `partner_id AS "partnerId", integration_key AS "integrationKey", organization_key AS "organizationKey",
  grant_kind AS "grantKind", status, access_token AS "accessToken", refresh_token AS "refreshToken", expires_at AS "expiresAt",
  scopes_requested AS "scopesRequested", scopes_granted AS "scopesGranted", fingerprint, refusals, last_error AS "lastError",
  connected_at AS "connectedAt", refreshed_at AS "refreshedAt"`;

export interface ConnectionRef {
  partnerId: number;
  integrationKey: string;
  organizationKey: string;
}

export async function findConnection(db: Queryable, ref: ConnectionRef, options: { lock?: boolean } = {}): Promise<ConnectionRow | undefined> {
  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${columns} FROM oauth_connections WHERE partner_id = $1 AND integration_key = $2 AND organization_key = $3${options.lock ? ' FOR UPDATE' : ''}`,
    [ref.partnerId, ref.integrationKey, ref.organizationKey],
  );
  return rows[0];
}

/** The integration's connections, for its detail (tokens left out). */
export async function listConnections(db: Queryable, partnerId: number, integrationKey: string): Promise<Omit<ConnectionRow, 'accessToken' | 'refreshToken'>[]> {
  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${columns} FROM oauth_connections WHERE partner_id = $1 AND integration_key = $2 ORDER BY organization_key`,
    [partnerId, integrationKey],
  );
  return rows.map(({ accessToken: _a, refreshToken: _r, ...rest }) => rest);
}

/**
 * The row a client-credentials connection locks while it requests a token: made empty the first
 * time (no token yet), so there is always one row to lock. Existing rows are left as they are.
 */
export async function ensureConnection(db: Queryable, ref: ConnectionRef, init: { grantKind: GrantKind; fingerprint: string; scopesRequested: string[] }): Promise<void> {
  await db.query(
    `INSERT INTO oauth_connections (partner_id, integration_key, organization_key, grant_kind, fingerprint, scopes_requested)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [ref.partnerId, ref.integrationKey, ref.organizationKey, init.grantKind, init.fingerprint, init.scopesRequested],
  );
}

export interface StoredTokens {
  grantKind: GrantKind;
  accessToken: StoredSecret;
  /** Undefined: keep the stored one (a refresh that returned none). */
  refreshToken?: StoredSecret | null;
  expiresAt: Date;
  scopesRequested: string[];
  scopesGranted: string[];
  fingerprint: string;
  /** A new connection (sign-in) rather than a refresh. */
  connectedBy?: number | null;
}

/** A fresh token: the connection is usable again, its refusals forgotten. */
export async function saveTokens(db: Queryable, ref: ConnectionRef, tokens: StoredTokens): Promise<void> {
  const connecting = tokens.connectedBy !== undefined;
  await db.query(
    `INSERT INTO oauth_connections AS c (partner_id, integration_key, organization_key, grant_kind, status, access_token, refresh_token,
            expires_at, scopes_requested, scopes_granted, fingerprint, refusals, last_error, connected_at, refreshed_at, connected_by, updated_at)
     VALUES ($1, $2, $3, $4, 'connected', $5, $6, $7, $8, $9, $10, 0, NULL, now(), now(), $11, now())
     ON CONFLICT (partner_id, integration_key, organization_key) DO UPDATE SET
       grant_kind = EXCLUDED.grant_kind, status = 'connected', access_token = EXCLUDED.access_token,
       refresh_token = CASE WHEN $12 THEN c.refresh_token ELSE EXCLUDED.refresh_token END,
       expires_at = EXCLUDED.expires_at, scopes_requested = EXCLUDED.scopes_requested, scopes_granted = EXCLUDED.scopes_granted,
       fingerprint = EXCLUDED.fingerprint, refusals = 0, last_error = NULL, refreshed_at = now(), updated_at = now(),
       connected_at = CASE WHEN $13 OR c.connected_at IS NULL THEN now() ELSE c.connected_at END,
       connected_by = CASE WHEN $13 THEN EXCLUDED.connected_by ELSE c.connected_by END`,
    [
      ref.partnerId,
      ref.integrationKey,
      ref.organizationKey,
      tokens.grantKind,
      tokens.accessToken,
      tokens.refreshToken ?? null,
      tokens.expiresAt,
      tokens.scopesRequested,
      tokens.scopesGranted,
      tokens.fingerprint,
      tokens.connectedBy ?? null,
      tokens.refreshToken === undefined,
      connecting,
    ],
  );
}

/** The vendor refused: count it and set the status; the access token is dropped. */
export async function recordRefusal(db: Queryable, ref: ConnectionRef, status: ConnectionStatus, message: string): Promise<void> {
  await db.query(
    `UPDATE oauth_connections SET status = $4, refusals = refusals + 1, last_error = left($5, 500), access_token = NULL, expires_at = NULL, updated_at = now()
      WHERE partner_id = $1 AND integration_key = $2 AND organization_key = $3`,
    [ref.partnerId, ref.integrationKey, ref.organizationKey, status, message],
  );
}

/** An API call refused this access token: it is not handed out again (compare-and-clear). */
export async function dropAccessToken(db: Queryable, ref: ConnectionRef, ciphertext: string): Promise<void> {
  await db.query(
    `UPDATE oauth_connections SET access_token = NULL, expires_at = NULL, updated_at = now()
      WHERE partner_id = $1 AND integration_key = $2 AND organization_key = $3 AND access_token->>'ct' = $4`,
    [ref.partnerId, ref.integrationKey, ref.organizationKey, ciphertext],
  );
}

export async function deleteConnections(db: Queryable, partnerId: number, integrationKey: string): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM oauth_connections WHERE partner_id = $1 AND integration_key = $2', [partnerId, integrationKey]);
  return rowCount ?? 0;
}

export interface PendingSignIn {
  integrationKey: string;
  organizationKey: string;
  userId: number | null;
  redirectUri: string;
  codeChallenge: string;
  scopesRequested: string[];
  fingerprint: string;
  expiresAt: Date;
}

export async function insertPending(db: Queryable, partnerId: number, stateHash: string, pending: PendingSignIn): Promise<void> {
  // Abandoned sign-ins of this partner go first: the table holds only live ones.
  await db.query('DELETE FROM oauth_pending WHERE partner_id = $1 AND expires_at < now()', [partnerId]);
  await db.query(
    `INSERT INTO oauth_pending (partner_id, state_hash, integration_key, organization_key, user_id, redirect_uri, code_challenge, scopes_requested, fingerprint, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [partnerId, stateHash, pending.integrationKey, pending.organizationKey, pending.userId, pending.redirectUri, pending.codeChallenge, pending.scopesRequested, pending.fingerprint, pending.expiresAt],
  );
}

/** Takes the sign-in for this state: at most once (a second completion finds nothing). */
export async function takePending(db: Queryable, partnerId: number, stateHash: string): Promise<PendingSignIn | undefined> {
  const { rows } = await db.query<PendingSignIn>(
    `DELETE FROM oauth_pending WHERE partner_id = $1 AND state_hash = $2
     RETURNING integration_key AS "integrationKey", organization_key AS "organizationKey", user_id AS "userId", redirect_uri AS "redirectUri",
               code_challenge AS "codeChallenge", scopes_requested AS "scopesRequested", fingerprint, expires_at AS "expiresAt"`,
    [partnerId, stateHash],
  );
  return rows[0];
}

// Key rotation (`rotate-key`): deployment-wide, through withSystem, never on behalf of a partner.

export interface StaleTokens extends ConnectionRef {
  accessToken: StoredSecret | null;
  refreshToken: StoredSecret | null;
}

const staleTokens = `(access_token IS NOT NULL AND access_token->>'kid' <> $1) OR (refresh_token IS NOT NULL AND refresh_token->>'kid' <> $1)`;

/** Up to `limit` connections holding a token under a key other than `currentKid`, locked (as a renewal would lock them). */
export async function lockConnectionsWithStaleTokens(db: Queryable, currentKid: string, limit: number): Promise<StaleTokens[]> {
  const { rows } = await db.query<StaleTokens>(
    `SELECT partner_id AS "partnerId", integration_key AS "integrationKey", organization_key AS "organizationKey",
            access_token AS "accessToken", refresh_token AS "refreshToken"
       FROM oauth_connections WHERE ${staleTokens}
      ORDER BY partner_id, integration_key, organization_key LIMIT $2 FOR UPDATE`,
    [currentKid, limit],
  );
  return rows;
}

export async function replaceTokens(db: Queryable, ref: ConnectionRef, tokens: { accessToken: StoredSecret | null; refreshToken: StoredSecret | null }): Promise<void> {
  await db.query(
    'UPDATE oauth_connections SET access_token = $4, refresh_token = $5 WHERE partner_id = $1 AND integration_key = $2 AND organization_key = $3',
    [ref.partnerId, ref.integrationKey, ref.organizationKey, tokens.accessToken, tokens.refreshToken],
  );
}

export async function countStaleTokens(db: Queryable, currentKid: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM oauth_connections WHERE ${staleTokens}`, [currentKid]);
  return rows[0]?.n ?? 0;
}
