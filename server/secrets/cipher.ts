import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing, RingKey } from './keyRing.js';

/**
 * A secret as stored in a configuration's settings JSONB: AES-256-GCM ciphertext with its random
 * 96-bit nonce, tag and the id of the key that made it (so keys rotate), plus the last four
 * characters the UI shows (only for secrets long enough that four characters give little away).
 */
export interface StoredSecret {
  v: 1;
  kid: string;
  iv: string;
  ct: string;
  tag: string;
  last4: string | null;
}

/** Where a secret belongs. It is bound into the ciphertext (AAD), so a copy elsewhere won't decrypt. */
export interface SecretScope {
  partnerId: number;
  integrationKey: string;
  fieldKey: string;
}

export class SecretDecryptError extends Error {
  override name = 'SecretDecryptError';
}

/** Secrets shorter than this show no last four characters. */
export const minLengthForLast4 = 12;

export function secretAad(scope: SecretScope): string {
  return `ic-secret:v1|${scope.partnerId}|${scope.integrationKey}|${scope.fieldKey}`;
}

export function isStoredSecret(value: unknown): value is StoredSecret {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.v === 1 && typeof v.kid === 'string' && typeof v.iv === 'string' && typeof v.ct === 'string' && typeof v.tag === 'string';
}

export interface SecretCipher {
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  hasKey(kid: string): boolean;
  /** Encrypts under the newest key (or the named one, for key checks). */
  encrypt(plaintext: string, aad: string, kid?: string): StoredSecret;
  /** Decrypts or throws SecretDecryptError (unknown key id, wrong key, tampering, wrong scope). */
  decrypt(stored: StoredSecret, aad: string): string;
}

export function createSecretCipher(ring: KeyRing): SecretCipher {
  const keyFor = (kid: string): RingKey => {
    const key = ring.keys.get(kid);
    if (!key) throw new SecretDecryptError(`no key "${kid}" in ENCRYPTION_KEYS`);
    return key;
  };
  return {
    currentKeyId: ring.current.id,
    keyIds: [...ring.keys.keys()],
    hasKey: (kid) => ring.keys.has(kid),
    encrypt(plaintext, aad, kid = ring.current.id) {
      const { key } = keyFor(kid);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        v: 1,
        kid,
        iv: iv.toString('base64'),
        ct: ct.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        last4: plaintext.length >= minLengthForLast4 ? plaintext.slice(-4) : null,
      };
    },
    decrypt(stored, aad) {
      const { key } = keyFor(stored.kid);
      try {
        // A fixed 16-byte tag: a shortened tag would weaken the authentication.
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(stored.iv, 'base64'), { authTagLength: 16 });
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(stored.ct, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        // Node's message says nothing secret, but a fixed one keeps it that way.
        throw new SecretDecryptError(`key "${stored.kid}" does not decrypt this secret (wrong key, or data altered)`);
      }
    },
  };
}
