import { ConfigError } from '../config.js';
import { legacyTablePresent, sampleLegacyPassword } from '../db/mspbackupsConfig.js';
import { withSystem, type Db } from '../db/pool.js';
import { CredentialsDecryptError, type CredentialsCipher } from './credentials.js';

/**
 * Proves at boot that CREDENTIALS_KEY reads the stored MSPBackups passwords (one sample), so a
 * wrong key stops the server with a message instead of failing partners' requests later. Nothing
 * to prove once the legacy table is dropped or holds no password.
 */
export async function verifyCredentialsKey(db: Db, cipher: CredentialsCipher): Promise<void> {
  const sample = await withSystem(db, async (tx) => ((await legacyTablePresent(tx)) ? sampleLegacyPassword(tx) : undefined));
  if (!sample) return;
  try {
    cipher.decrypt(sample.apiPassword);
  } catch (error) {
    if (!(error instanceof CredentialsDecryptError)) throw error;
    throw new ConfigError(
      'Invalid server configuration:\n  CREDENTIALS_KEY: does not decrypt the stored MSPBackups passwords (mspbackups_config); is its value right?',
    );
  }
}
