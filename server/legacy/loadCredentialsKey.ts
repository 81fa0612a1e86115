import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from '../config.js';
import { createCredentialsCipher, CredentialsKeyError, parseCredentialsKey, type CredentialsCipher } from './credentials.js';

/** Where the embedded default keeps its generated CREDENTIALS_KEY (mode 0600, like the JWT secret). */
export const credentialsKeyFileName = 'credentials-key';

const invalid = (line: string) => new ConfigError(`Invalid server configuration:\n  ${line}`);

/**
 * The legacy credentials cipher from CREDENTIALS_KEY. For the embedded default without it, a key
 * is generated once and kept in DATA_DIR. With DATABASE_URL it must be configured: every
 * instance reads the same `mspbackups_config`, so a key made up on one machine would leave the
 * others unable to read what it wrote.
 */
export async function loadCredentialsCipher(config: Pick<Config, 'credentialsKey' | 'databaseUrl' | 'dataDir'>): Promise<CredentialsCipher> {
  const parse = (text: string, where: string) => {
    try {
      return createCredentialsCipher(parseCredentialsKey(text));
    } catch (error) {
      if (error instanceof CredentialsKeyError) throw invalid(`${where}: ${error.message}`);
      throw error;
    }
  };
  if (config.credentialsKey) return parse(config.credentialsKey, 'CREDENTIALS_KEY');
  if (config.databaseUrl) {
    throw invalid('CREDENTIALS_KEY: set it when DATABASE_URL is set: the base64 of 32 bytes that encrypts the MSPBackups passwords, the same on every instance');
  }
  const file = path.join(config.dataDir, credentialsKeyFileName);
  if (!existsSync(file)) {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parse(await readFile(file, 'utf8'), file);
}
