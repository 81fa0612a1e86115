import type { AccessTokenMode } from '../../shared/accessTokens.js';
import type { Role } from '../../shared/auth.js';
import { InvalidTokenError, type VerifiedClaims } from '../auth/tokens.js';
import type { AppDeps } from '../deps.js';

/** The caller of an authenticated request, as the database knows them now. */
export interface Principal {
  userId: number;
  email: string;
  displayName: string;
  partnerId: number;
  partnerName: string;
  /** From partners.is_dev, never from the token. */
  isDev: boolean;
  role: Role;
  /**
   * Issue 25: set when the caller is an AI assistant with a personal access token (/mcp). It can
   * only narrow what the user may do: read-only, or a list of allowed actions.
   */
  accessToken?: { id: number; name: string; mode: AccessTokenMode; allowedActions: readonly string[] | null };
}

/**
 * Verifies a bearer token and loads its user. Unknown or disabled users, and users whose
 * partner is not the token's partner_id, are refused: a valid signature alone is not enough.
 */
export async function authenticate(deps: AppDeps, authorization: string | undefined): Promise<Principal> {
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization?.trim() ?? '');
  if (!match?.[1]) throw new InvalidTokenError('missing bearer token');
  const claims: VerifiedClaims = await deps.tokens.verify(match[1]);
  const user = await deps.principals.find(claims.userId);
  if (!user || user.disabled || user.partnerId !== claims.partnerId) throw new InvalidTokenError('user not valid');
  return {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    partnerId: user.partnerId,
    partnerName: user.partnerName,
    isDev: user.isDev,
    // Least privilege: admin only when both the token and the current record say so, so a
    // demotion takes effect before the token expires.
    role: claims.role === 'partner_admin' && user.role === 'partner_admin' ? 'partner_admin' : 'partner_user',
  };
}
