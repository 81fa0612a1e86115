import type { AccessTokenMode } from '../../shared/accessTokens.js';
import { oneRow, type Queryable } from './pool.js';

/** One personal access token row (never the token: only its hash is stored). */
export interface AccessTokenRow {
  id: number;
  partnerId: number;
  userId: number;
  name: string;
  prefix: string;
  mode: AccessTokenMode;
  allowedActions: string[] | null;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const columns = `id, partner_id AS "partnerId", user_id AS "userId", name, token_prefix AS prefix, mode,
  allowed_actions AS "allowedActions", created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

export async function insertAccessToken(
  db: Queryable,
  row: { partnerId: number; userId: number; name: string; hash: string; prefix: string; mode: AccessTokenMode; allowedActions: string[] | null; expiresInDays: number },
): Promise<AccessTokenRow> {
  const result = await db.query<AccessTokenRow>(
    `INSERT INTO personal_access_tokens (partner_id, user_id, name, token_hash, token_prefix, mode, allowed_actions, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(days => $8)) RETURNING ${columns}`,
    [row.partnerId, row.userId, row.name, row.hash, row.prefix, row.mode, row.allowedActions, row.expiresInDays],
  );
  return oneRow(result);
}

/** How many of the user's tokens are neither revoked nor expired. */
export async function countLiveAccessTokens(db: Queryable, partnerId: number, userId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM personal_access_tokens WHERE partner_id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()',
    [partnerId, userId],
  );
  return rows[0]?.n ?? 0;
}

/** The user's tokens, newest first (revoked and expired ones too: the list is their history). */
export async function listAccessTokens(db: Queryable, partnerId: number, userId: number): Promise<AccessTokenRow[]> {
  const { rows } = await db.query<AccessTokenRow>(
    `SELECT ${columns} FROM personal_access_tokens WHERE partner_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC LIMIT 200`,
    [partnerId, userId],
  );
  return rows;
}

/** Revokes one of the user's tokens at once; undefined when the user has no token with this id. */
export async function revokeAccessToken(db: Queryable, partnerId: number, userId: number, id: number): Promise<AccessTokenRow | undefined> {
  const { rows } = await db.query<AccessTokenRow>(
    `UPDATE personal_access_tokens SET revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, $2)
      WHERE partner_id = $1 AND user_id = $2 AND id = $3 RETURNING ${columns}`,
    [partnerId, userId, id],
  );
  return rows[0];
}

/**
 * The token with this hash, whoever's it is. Runs with the connecting role (before the partner is
 * known, like the login lookup); the caller checks revocation and expiry with the database's clock.
 */
export async function findAccessTokenByHash(db: Queryable, hash: string): Promise<(AccessTokenRow & { expired: boolean }) | undefined> {
  const { rows } = await db.query<AccessTokenRow & { expired: boolean }>(
    `SELECT ${columns}, expires_at <= now() AS expired FROM personal_access_tokens WHERE token_hash = $1`,
    [hash],
  );
  return rows[0];
}

/** Stamps the last use, at most once a minute per token (a busy assistant must not write on every call). */
export async function touchAccessToken(db: Queryable, id: number): Promise<void> {
  await db.query(
    `UPDATE personal_access_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}
