import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Encrypts secrets typed into drafts before they reach SQLite. In Electron this is
 * `safeStorage` (the OS keyring); in browser mode (and where Electron has no keyring) it is
 * AES-256-GCM with a key file only the user can read.
 */
export interface SecretBox {
  readonly kind: 'safeStorage' | 'keyFile';
  /** `context` is bound to the ciphertext (e.g. "draft:7:api_token") so rows cannot be swapped. */
  encrypt(plain: string, context: string): Buffer;
  decrypt(sealed: Buffer, context: string): string;
}

const formatVersion = 1;
const keyFileName = 'draft-secrets.key';

/** AES-256-GCM with a random 96-bit nonce; layout: version(1) | nonce(12) | tag(16) | ciphertext. */
export function aesGcmSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The draft secret key must be 32 bytes');
  return {
    kind: 'keyFile',
    encrypt(plain, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([formatVersion]), nonce, cipher.getAuthTag(), body]);
    },
    decrypt(sealed, context) {
      if (sealed.length < 29 || sealed[0] !== formatVersion) throw new Error('Unreadable draft secret');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(sealed.subarray(13, 29));
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * The browser-mode SecretBox: the key lives in `<dataDir>/draft-secrets.key`, mode 0600, made
 * on first use. A key file others can read is narrowed to the user rather than trusted as is.
 */
export async function keyFileSecretBox(dataDir: string): Promise<SecretBox> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, keyFileName);
  let key: Buffer;
  try {
    key = await readFile(file);
    if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    key = randomBytes(32);
    // 'wx': if another process made the key meanwhile, fail rather than overwrite it.
    await writeFile(file, key, { mode: 0o600, flag: 'wx' });
  }
  return aesGcmSecretBox(key);
}
