import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type Config } from '../config.js';
import { generateKeyRingEntry, KeyRingError, parseKeyRing, type KeyRing } from './keyRing.js';

/** Where the embedded default keeps its generated key ring (mode 0600, like the JWT secret). */
export const keyRingFileName = 'encryption-keys';

const invalid = (line: string) => new ConfigError(`Invalid server configuration:\n  ${line}`);

/**
 * The key ring from ENCRYPTION_KEYS; for the embedded default without it, one generated once and
 * kept in DATA_DIR. With DATABASE_URL it must be configured: every instance must share it, and a
 * key made up on one machine would leave the others unable to read what it encrypted.
 */
export async function loadKeyRing(config: Pick<Config, 'encryptionKeys' | 'databaseUrl' | 'dataDir'>): Promise<KeyRing> {
  if (config.encryptionKeys) {
    try {
      return parseKeyRing(config.encryptionKeys);
    } catch (error) {
      if (error instanceof KeyRingError) throw invalid(`ENCRYPTION_KEYS: ${error.message}`);
      throw error;
    }
  }
  if (config.databaseUrl) {
    throw invalid(
      'ENCRYPTION_KEYS: set it when DATABASE_URL is set: "<id>:<base64 of 32 bytes>", newest first, the same on every ' +
        'instance (a key: openssl rand -base64 32)',
    );
  }
  const file = path.join(config.dataDir, keyRingFileName);
  if (!existsSync(file)) {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await writeFile(file, `${generateKeyRingEntry()}\n`, { mode: 0o600, flag: 'wx' });
  }
  try {
    return parseKeyRing((await readFile(file, 'utf8')).trim());
  } catch (error) {
    if (error instanceof KeyRingError) throw invalid(`${file}: ${error.message}`);
    throw error;
  }
}
