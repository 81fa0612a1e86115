import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The MSPBackups feature's own credentials module, older than server/secrets: AES-256-GCM under
 * ONE key (CREDENTIALS_KEY), a random 96-bit nonce per value, stored in a text column as
 * `v1:<iv>:<tag>:<ciphertext>` (base64). Unlike the integration key ring it names no key (so it
 * cannot rotate) and binds nothing (no AAD). It stays only as long as `mspbackups_config` does:
 * the legacy feature reads and writes with it, and the MSP360 migration decrypts with it and
 * re-encrypts under the key ring.
 */
export interface CredentialsCipher {
  encrypt(plaintext: string): string;
  /** Throws CredentialsDecryptError for a wrong key, an altered value or an unknown format. */
  decrypt(stored: string): string;
}

export class CredentialsKeyError extends Error {
  override name = 'CredentialsKeyError';
}

export class CredentialsDecryptError extends Error {
  override name = 'CredentialsDecryptError';
}

const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Parses CREDENTIALS_KEY: 32 bytes in base64 (standard or URL-safe). The message never quotes it. */
export function parseCredentialsKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = base64Pattern.test(trimmed) ? Buffer.from(trimmed, /[-_]/.test(trimmed) ? 'base64url' : 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new CredentialsKeyError('must be 32 bytes in base64 (44 characters), e.g. from: openssl rand -base64 32');
  return key;
}

export function createCredentialsCipher(key: Buffer): CredentialsCipher {
  if (key.length !== 32) throw new CredentialsKeyError('the key must be 32 bytes');
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
    },
    decrypt(stored) {
      const [version, iv, tag, ct, ...rest] = stored.split(':');
      if (version !== 'v1' || iv === undefined || tag === undefined || ct === undefined || rest.length > 0) {
        throw new CredentialsDecryptError('not a v1 credentials value');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: 16 });
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new CredentialsDecryptError('CREDENTIALS_KEY does not decrypt this value (wrong key, or data altered)');
      }
    },
  };
}
