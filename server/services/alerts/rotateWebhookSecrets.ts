import { ConfigError } from '../../config.js';
import { withSystem, type Db } from '../../db/pool.js';
import { countStaleWebhookSecrets, lockWebhooksWithStaleSecret, replaceWebhookSecret, sampleWebhookSecretPerKeyId } from '../../db/webhooks.js';
import { SecretDecryptError, type SecretCipher } from '../../secrets/cipher.js';
import { webhookSecretAad } from './webhookSecret.js';

/**
 * `rotate-key` for webhook secrets: re-encrypts every one not under the newest key, in small
 * transactions (resumable like the integration secrets). Returns how many moved and how many remain.
 */
export async function rotateWebhookSecrets(db: Db, cipher: SecretCipher, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<{ secrets: number; remaining: number }> {
  const batchSize = options.batchSize ?? 200;
  let secrets = 0;
  while (!options.signal?.aborted) {
    const moved = await withSystem(db, async (tx) => {
      const rows = await lockWebhooksWithStaleSecret(tx, cipher.currentKeyId, batchSize);
      for (const row of rows) {
        const aad = webhookSecretAad(row.partnerId);
        await replaceWebhookSecret(tx, row.partnerId, cipher.reencrypt(row.secret, aad));
      }
      return rows.length;
    });
    secrets += moved;
    if (moved < batchSize) break;
  }
  return { secrets, remaining: await withSystem(db, (tx) => countStaleWebhookSecrets(tx, cipher.currentKeyId)) };
}

/** The boot key check for webhook secrets: every key id in use is in the ring and decrypts one of them. */
export async function verifyWebhookSecrets(db: Db, cipher: SecretCipher): Promise<void> {
  const refuse = (line: string) => new ConfigError(`Invalid server configuration:\n  ENCRYPTION_KEYS: ${line}`);
  for (const sample of await withSystem(db, (tx) => sampleWebhookSecretPerKeyId(tx))) {
    if (!cipher.hasKey(sample.kid)) throw refuse(`no key "${sample.kid}", which encrypts ${sample.secrets} webhook secret(s); add it back after the newest key`);
    try {
      cipher.decrypt(sample.secret, webhookSecretAad(sample.partnerId));
    } catch (error) {
      if (error instanceof SecretDecryptError) throw refuse(`key "${sample.kid}" does not decrypt the webhook secrets made under that id; is its value right?`);
      throw error;
    }
  }
}
