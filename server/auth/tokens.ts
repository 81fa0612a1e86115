import { createSecretKey } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { roleSchema, type Role } from '../../shared/auth.js';
import type { Config } from '../config.js';

/** The claims the server relies on; anything else in the token is ignored. */
const claimsSchema = z.object({
  sub: z.string().regex(/^[1-9][0-9]{0,15}$/, 'sub must be a user id'),
  partner_id: z.union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]{0,15}$/).transform(Number)]),
  role: roleSchema,
  exp: z.number(),
});

export interface VerifiedClaims {
  userId: number;
  partnerId: number;
  role: Role;
  expiresAt: Date;
}

const verifiedCacheSize = 10_000;
const verifiedCacheMs = 60_000;

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export interface TokenService {
  /** Whether this server can mint tokens (HS256 with JWT_SECRET); JWKS mode only verifies. */
  readonly canSign: boolean;
  verify(token: string): Promise<VerifiedClaims>;
  sign(claims: { userId: number; partnerId: number; role: Role }, ttlMs?: number): Promise<{ token: string; expiresAt: Date }>;
}

export function createTokenService(jwt: Config['jwt']): TokenService {
  // A KeyObject made once: jose then skips re-importing the secret on every verification.
  const secret = jwt.secret ? createSecretKey(Buffer.from(jwt.secret, 'utf8')) : undefined;
  const jwks: JWTVerifyGetKey | undefined = jwt.jwksUrl ? createRemoteJWKSet(new URL(jwt.jwksUrl)) : undefined;
  if (!secret && !jwks) throw new Error('JWT_SECRET or JWT_JWKS_URL is required');

  // The algorithm is pinned to the key type: an HS256 server never accepts RS/ES tokens (and so
  // never treats a public key as an HMAC secret), a JWKS server never accepts HS256 or "none".
  const algorithms = secret ? ['HS256'] : ['RS256', 'ES256'];

  // jose verifies through WebCrypto (~0.3 ms per call); a client sends the same token on every
  // request, so a verified token is remembered briefly. Only the signature and claims are cached:
  // the user is still loaded (and can be refused) on every request.
  const verified = new Map<string, { claims: VerifiedClaims; until: number }>();
  const remember = (token: string, claims: VerifiedClaims) => {
    if (verified.size >= verifiedCacheSize) verified.delete(verified.keys().next().value as string);
    verified.set(token, { claims, until: Math.min(claims.expiresAt.getTime(), Date.now() + verifiedCacheMs) });
  };

  return {
    canSign: secret !== undefined,
    async verify(token) {
      const hit = verified.get(token);
      if (hit && hit.until > Date.now()) return hit.claims;
      if (hit) verified.delete(token);
      try {
        const verifyOptions = {
          algorithms,
          issuer: jwt.issuer,
          audience: jwt.audience,
          requiredClaims: jwt.maxLifetimeMs > 0 ? ['exp', 'sub', 'iat'] : ['exp', 'sub'],
        };
        const { payload } = secret
          ? await jwtVerify(token, secret, verifyOptions)
          : await jwtVerify(token, jwks as JWTVerifyGetKey, verifyOptions);
        const claims = claimsSchema.parse(payload);
        // A token minted to outlive JWT_MAX_LIFETIME is refused whole, not trusted until then.
        if (jwt.maxLifetimeMs > 0 && (typeof payload.iat !== 'number' || (claims.exp - payload.iat) * 1000 > jwt.maxLifetimeMs)) {
          throw new InvalidTokenError('token invalid');
        }
        const result: VerifiedClaims = {
          userId: Number(claims.sub),
          partnerId: claims.partner_id,
          role: claims.role,
          expiresAt: new Date(claims.exp * 1000),
        };
        remember(token, result);
        return result;
      } catch (error) {
        if (error instanceof joseErrors.JOSEError || error instanceof z.ZodError || error instanceof TypeError) {
          throw new InvalidTokenError(error instanceof joseErrors.JWTExpired ? 'token expired' : 'token invalid');
        }
        throw error;
      }
    },
    async sign(claims, ttlMs = jwt.ttlMs) {
      if (!secret) throw new Error('tokens are issued by the identity provider (JWT_JWKS_URL), not by this server');
      if (jwt.maxLifetimeMs > 0 && ttlMs > jwt.maxLifetimeMs) throw new RangeError('a token may not live longer than JWT_MAX_LIFETIME');
      const expiresAt = new Date(Math.floor((Date.now() + ttlMs) / 1000) * 1000);
      let builder = new SignJWT({ partner_id: claims.partnerId, role: claims.role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(claims.userId))
        .setIssuedAt()
        .setExpirationTime(expiresAt);
      if (jwt.issuer) builder = builder.setIssuer(jwt.issuer);
      if (jwt.audience) builder = builder.setAudience(jwt.audience);
      return { token: await builder.sign(secret), expiresAt };
    },
  };
}
