import { ConfigError } from '../../config.js';
import { countStaleEndpointSecrets, lockEndpointsWithStaleSecret, replaceEndpointSecret, sampleEndpointSecretPerKeyId } from '../../db/inboundWebhooks.js';
import { withSystem, type Db } from '../../db/pool.js';
import { SecretDecryptError, type SecretCipher } from '../../secrets/cipher.js';
import { inboundSecretAad } from './secret.js';

/**
 * `rotate-key` for inbound endpoint secrets (issue 18 §5): re-encrypted under the newest key in
 * small locked batches, resumable like the other secrets; the value (and so every sender's
 * signature) is unchanged. Returns how many moved and how many remain.
 */
export async function rotateInboundSecrets(db: Db, cipher: SecretCipher, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<{ secrets: number; remaining: number }> {
  const batchSize = options.batchSize ?? 200;
  let secrets = 0;
  while (!options.signal?.aborted) {
    const moved = await withSystem(db, async (tx) => {
      const rows = await lockEndpointsWithStaleSecret(tx, cipher.currentKeyId, batchSize);
      for (const row of rows) {
        const aad = inboundSecretAad(row.partnerId, row.integrationKey);
        await replaceEndpointSecret(tx, row.partnerId, row.integrationKey, cipher.reencrypt(row.secret, aad));
      }
      return rows.length;
    });
    secrets += moved;
    if (moved < batchSize) break;
  }
  return { secrets, remaining: await withSystem(db, (tx) => countStaleEndpointSecrets(tx, cipher.currentKeyId)) };
}

/** The boot key check for inbound secrets: every key id in use is in the ring and decrypts one of them. */
export async function verifyInboundSecrets(db: Db, cipher: SecretCipher): Promise<void> {
  const refuse = (line: string) => new ConfigError(`Invalid server configuration:\n  ENCRYPTION_KEYS: ${line}`);
  for (const sample of await withSystem(db, (tx) => sampleEndpointSecretPerKeyId(tx))) {
    if (!cipher.hasKey(sample.kid)) throw refuse(`no key "${sample.kid}", which encrypts ${sample.secrets} inbound webhook secret(s); add it back after the newest key`);
    try {
      cipher.decrypt(sample.secret, inboundSecretAad(sample.partnerId, sample.integrationKey));
    } catch (error) {
      if (error instanceof SecretDecryptError) throw refuse(`key "${sample.kid}" does not decrypt the inbound webhook secrets made under that id; is its value right?`);
      throw error;
    }
  }
}
