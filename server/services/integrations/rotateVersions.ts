import { countVersionsWithStaleSecrets, lockVersionsWithStaleSecrets, replaceVersionSettings } from '../../db/configVersions.js';
import { withSystem, type Db } from '../../db/pool.js';
import { isRingSecret, secretAad, type SecretCipher } from '../../secrets/cipher.js';

/**
 * `rotate-key` for saved configuration versions (issue 18): their secrets are re-encrypted under
 * the newest key like the live settings, so an older version stays restorable after a key is
 * retired. Small locked batches; resumable (each ciphertext names its key).
 */
export async function rotateVersionSecrets(db: Db, cipher: SecretCipher, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<{ secrets: number; remaining: number }> {
  const batchSize = options.batchSize ?? 200;
  const current = cipher.currentKeyId;
  let secrets = 0;
  while (!options.signal?.aborted) {
    const moved = await withSystem(db, async (tx) => {
      const rows = await lockVersionsWithStaleSecrets(tx, current, batchSize);
      for (const row of rows) {
        const settings = { ...row.settings };
        for (const [fieldKey, value] of Object.entries(settings)) {
          if (!isRingSecret(value) || value.kid === current) continue;
          const aad = secretAad({ partnerId: row.partnerId, integrationKey: row.integrationKey, fieldKey });
          settings[fieldKey] = cipher.reencrypt(value, aad);
          secrets++;
        }
        await replaceVersionSettings(tx, row, settings);
      }
      return rows.length;
    });
    if (moved < batchSize) break;
  }
  return { secrets, remaining: await withSystem(db, (tx) => countVersionsWithStaleSecrets(tx, current)) };
}
