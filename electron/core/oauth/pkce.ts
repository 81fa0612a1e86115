import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636: a verifier of 32 random bytes (43 base64url characters) and its S256 challenge. */
export function makePkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
