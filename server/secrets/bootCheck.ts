import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config.js';
import { insertKeyCheck, listKeyChecks } from '../db/keyChecks.js';
import { countDataKeysByKid } from '../db/partnerDataKeys.js';
import { withSystem, type Db } from '../db/pool.js';
import { sampleSecretPerKeyId } from '../db/storedSecrets.js';
import { verifyWebhookSecrets } from '../services/alerts/rotateWebhookSecrets.js';
import { verifyInboundSecrets } from '../services/inboundWebhooks/rotateSecrets.js';
import { isStoredSecret, secretAad, SecretDecryptError, type SecretCipher } from './cipher.js';

const keyCheckAad = (kid: string) => `ic-key-check:v1|${kid}`;
const refuse = (line: string) => new ConfigError(`Invalid server configuration:\n  ENCRYPTION_KEYS: ${line}`);

const decrypts = (cipher: SecretCipher, value: unknown, aad: string) => {
  if (!isStoredSecret(value)) return false;
  try {
    cipher.decrypt(value, aad);
    return true;
  } catch (error) {
    if (error instanceof SecretDecryptError) return false;
    throw error;
  }
};

/**
 * Proves the key ring fits this database before the server answers anyone, instead of returning
 * garbage or failing requests later:
 * - each ring key decrypts the check value recorded for its id (by whichever instance saw the id
 *   first), so two instances with different keys under one id cannot both start;
 * - every key id used by a stored secret is in the ring, and one secret of each decrypts.
 * Throws ConfigError naming key ids and counts, never key material or secrets.
 */
export async function verifyKeyRing(db: Db, cipher: SecretCipher): Promise<void> {
  await withSystem(db, async (tx) => {
    const known = new Set((await listKeyChecks(tx)).map((c) => c.kid));
    for (const kid of cipher.keyIds) {
      if (!known.has(kid)) await insertKeyCheck(tx, kid, cipher.encrypt(randomBytes(16).toString('hex'), keyCheckAad(kid), kid));
    }
  });
  const checks = await withSystem(db, (tx) => listKeyChecks(tx));
  for (const check of checks) {
    if (cipher.hasKey(check.kid) && !decrypts(cipher, check.sample, keyCheckAad(check.kid))) {
      throw refuse(`key "${check.kid}" is not the key this database knows under that id; fix its value (or give the new key a new id)`);
    }
  }
  const samples = await withSystem(db, (tx) => sampleSecretPerKeyId(tx));
  for (const sample of samples) {
    if (!cipher.hasKey(sample.kid)) {
      throw refuse(`no key "${sample.kid}", which encrypts ${sample.secrets} stored secret(s); add it back after the newest key (then rotate-key can retire it)`);
    }
    const aad = secretAad({ partnerId: sample.partnerId, integrationKey: sample.integrationKey, fieldKey: sample.fieldKey });
    if (!decrypts(cipher, sample.value, aad)) {
      throw refuse(`key "${sample.kid}" does not decrypt the stored secrets made under that id; is its value right?`);
    }
  }
  await verifyWebhookSecrets(db, cipher);
  // Partners' data keys (issue 18 §3): a ring key that wraps some must stay until rotate-key has
  // rewrapped them, or every secret of those partners is lost at once. (Each key is unwrapped,
  // and checked, when the runtime loads them.)
  for (const { kid, keys } of await withSystem(db, (tx) => countDataKeysByKid(tx))) {
    if (!cipher.hasKey(kid)) throw refuse(`no key "${kid}", which wraps ${keys} partner data key(s); add it back after the newest key (then rotate-key rewraps them)`);
  }
  // Inbound webhook secrets (issue 18 §5) are under the same ring.
  await verifyInboundSecrets(db, cipher);
}
