import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/secrets/secretBox.js';
import { keyFileSecretBox } from '../core/secrets/secretBox.js';
import { memoryTokenStore, storedTokenSchema, type TokenStore } from '../core/session/tokenStore.js';

/**
 * Whether safeStorage really protects data here. On Linux without a keyring Electron falls back
 * to `basic_text` (a hard-coded key): that is obfuscation, not protection, so we do not use it.
 */
export function keyringStatus(): { usable: boolean; note: string | null } {
  if (!safeStorage.isEncryptionAvailable()) {
    return { usable: false, note: 'No OS keyring is available: you will sign in again after each start.' };
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return {
      usable: false,
      note: 'This Linux session offers only plaintext storage (no keyring): the token is kept in memory only, so you will sign in again after each start.',
    };
  }
  return { usable: true, note: null };
}

/** The token encrypted by the OS keyring in `<dataDir>/token.bin` (0600); memory-only without a keyring. */
export function electronTokenStore(dataDir: string): TokenStore {
  const status = keyringStatus();
  if (!status.usable) return memoryTokenStore(status.note);
  const file = path.join(dataDir, 'token.bin');
  return {
    kind: 'safeStorage',
    note: null,
    async load() {
      try {
        const parsed = storedTokenSchema.safeParse(JSON.parse(safeStorage.decryptString(await readFile(file))));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async save(token) {
      await writeFile(file, safeStorage.encryptString(JSON.stringify(token)), { mode: 0o600 });
    },
    async clear() {
      await rm(file, { force: true });
    },
  };
}

/**
 * Draft secrets through the OS keyring. safeStorage has no associated data, so the context is
 * sealed inside and checked on the way out. Without a keyring: the 0600 key file of browser
 * mode, so drafts still survive restarts (a memory-only key would lose them).
 */
export async function electronSecretBox(dataDir: string): Promise<SecretBox> {
  if (!keyringStatus().usable) return keyFileSecretBox(dataDir);
  return {
    kind: 'safeStorage',
    encrypt: (plain, context) => safeStorage.encryptString(JSON.stringify([context, plain])),
    decrypt(sealed, context) {
      const [sealedContext, plain] = JSON.parse(safeStorage.decryptString(sealed)) as [string, string];
      if (sealedContext !== context) throw new Error('Draft secret does not belong here');
      return plain;
    },
  };
}
