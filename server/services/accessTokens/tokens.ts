import { createHash, randomBytes } from 'node:crypto';
import {
  maxAccessTokensPerUser,
  type AccessTokenCreated,
  type AccessTokenView,
  type CreateAccessTokenInput,
} from '../../../shared/accessTokens.js';
import { AppError } from '../../../shared/errors.js';
import { countLiveAccessTokens, insertAccessToken, listAccessTokens, revokeAccessToken, type AccessTokenRow } from '../../db/accessTokens.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { Principal } from '../principal.js';

/**
 * Personal access tokens for AI assistants (issue 25): made, listed and revoked by their own user.
 * The rules: the platform operator gets none (it runs no actions); read-write only for partner
 * admins; allowed actions must be actions this server has; at most 20 live tokens per user.
 * Tokens are `icp_` + 32 random bytes (base64url); only their sha256 is stored.
 */
export const accessTokenPrefix = 'icp_';

export const hashAccessToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function toAccessTokenView(row: AccessTokenRow, now = new Date()): AccessTokenView {
  const status = row.revokedAt ? 'revoked' : row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    mode: row.mode,
    allowedActions: row.allowedActions,
    status,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createAccessToken(deps: AppDeps, principal: Principal, input: CreateAccessTokenInput): Promise<AccessTokenCreated> {
  if (principal.isDev) throw new AppError('FORBIDDEN', 'The platform operator runs no actions, so it has no assistant tokens');
  if (input.mode === 'read_write' && principal.role !== 'partner_admin') {
    throw new AppError('FORBIDDEN', 'Only partner admins can make read-write tokens', { fields: { mode: ['Technicians can make read-only tokens only'] } });
  }
  const allowed = input.allowedActions ? [...new Set(input.allowedActions)] : null;
  const unknown = allowed?.filter((id) => !deps.registry.get(id.split('.')[0] as string)?.actions.has(id)) ?? [];
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Some allowed actions do not exist', { fields: { allowedActions: [`Unknown actions: ${unknown.slice(0, 10).join(', ')}`] } });
  }
  const token = `${accessTokenPrefix}${randomBytes(32).toString('base64url')}`;
  const row = await withPartner(deps.db, principal.partnerId, async (tx) => {
    // Serialises one user's creations, so two at once cannot both pass the cap.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`access-tokens:${principal.userId}`]);
    if ((await countLiveAccessTokens(tx, principal.partnerId, principal.userId)) >= maxAccessTokensPerUser) {
      throw new AppError('CONFLICT', `You have ${maxAccessTokensPerUser} live tokens: revoke one first`);
    }
    return insertAccessToken(tx, {
      partnerId: principal.partnerId,
      userId: principal.userId,
      name: input.name,
      hash: hashAccessToken(token),
      prefix: token.slice(0, accessTokenPrefix.length + 6),
      mode: input.mode,
      allowedActions: allowed,
      expiresInDays: input.expiresInDays,
    });
  });
  deps.log.info({ partnerId: principal.partnerId, userId: principal.userId, accessTokenId: row.id, mode: row.mode }, 'assistant token created');
  return { ...toAccessTokenView(row), token };
}

export async function listOwnAccessTokens(deps: AppDeps, principal: Principal): Promise<{ items: AccessTokenView[] }> {
  const rows = await withPartner(deps.db, principal.partnerId, (tx) => listAccessTokens(tx, principal.partnerId, principal.userId));
  return { items: rows.map((row) => toAccessTokenView(row)) };
}

/** Revoked at once: the next request with it is refused on every instance (no cache holds tokens). */
export async function revokeOwnAccessToken(deps: AppDeps, principal: Principal, id: number): Promise<AccessTokenView> {
  const row = await withPartner(deps.db, principal.partnerId, (tx) => revokeAccessToken(tx, principal.partnerId, principal.userId, id));
  if (!row) throw new AppError('NOT_FOUND', 'You have no token with this id');
  deps.log.info({ partnerId: principal.partnerId, userId: principal.userId, accessTokenId: row.id }, 'assistant token revoked');
  return toAccessTokenView(row);
}
