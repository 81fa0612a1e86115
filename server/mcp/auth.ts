import { findAccessTokenByHash, touchAccessToken } from '../db/accessTokens.js';
import type { AppDeps } from '../deps.js';
import { accessTokenPrefix, hashAccessToken } from '../services/accessTokens/tokens.js';
import type { Principal } from '../services/principal.js';

/** Why a request to /mcp was refused before any MCP message was read: an HTTP status and words for the person setting it up. */
export class McpAuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'McpAuthError';
  }
}

const tokenPattern = new RegExp(`^Bearer (${accessTokenPrefix}[A-Za-z0-9_-]{43})$`);

/**
 * The caller of an MCP request: the personal access token's user, as the database knows them now,
 * with the token attached (issue 25). A token carries its user's partner and role and never more:
 * a read-write token of a user since demoted is a technician's; a disabled user's token is refused.
 * Nothing is cached: a revocation holds from the next request, on every instance.
 */
/** The token of an `Authorization: Bearer icp_…` header, or null. */
export const tokenOf = (authorization: string | undefined): string | null => tokenPattern.exec(authorization?.trim() ?? '')?.[1] ?? null;

/** The rate-limit bucket of a token: named by its hash, so it is counted while the token is still being looked up. */
export const rateBucketOf = (token: string) => `mcp:token:${hashAccessToken(token).slice(0, 32)}`;

export async function authenticateAccessToken(deps: AppDeps, authorization: string | undefined): Promise<Principal> {
  const token = tokenOf(authorization);
  if (!token) throw new McpAuthError(401, 'Send a personal access token (Settings → AI assistants) as "Authorization: Bearer icp_…"');
  const row = await findAccessTokenByHash(deps.db.pool, hashAccessToken(token));
  if (!row) throw new McpAuthError(401, 'This access token is not valid');
  if (row.revokedAt) throw new McpAuthError(401, `This access token ("${row.name}") was revoked`);
  if (row.expired) throw new McpAuthError(401, `This access token ("${row.name}") expired on ${row.expiresAt.toISOString()}: make a new one`);
  const user = await deps.principals.find(row.userId);
  if (!user || user.disabled || user.partnerId !== row.partnerId) throw new McpAuthError(401, 'The user of this access token cannot sign in');
  if (user.isDev) throw new McpAuthError(403, 'The platform operator runs no actions');
  // Off the answer's path, at most once a minute per token: the row just read says whether it is due,
  // so a busy assistant costs no query here (touchAccessToken re-checks, for other instances).
  if (row.lastUsedAt === null || Date.now() - row.lastUsedAt.getTime() > 60_000) touchAccessToken(deps.db.pool, row.id).catch((error: unknown) => deps.log.warn({ accessTokenId: row.id, errorType: error instanceof Error ? error.name : typeof error }, 'could not stamp the last use of an access token'));
  return {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    partnerId: user.partnerId,
    partnerName: user.partnerName,
    isDev: false,
    role: user.role === 'partner_admin' ? 'partner_admin' : 'partner_user',
    accessToken: { id: row.id, name: row.name, mode: row.mode, allowedActions: row.allowedActions },
  };
}
