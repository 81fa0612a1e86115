import { withSystem, type Db } from '../db/pool.js';
import { configsWithStaleSecrets, countStaleSecrets, lockSettingsBatch, replaceSettings, type ConfigRef } from '../db/storedSecrets.js';
import { rotateWebhookSecrets } from '../services/alerts/rotateWebhookSecrets.js';
import { rotateOAuthTokens } from '../services/oauth/rotateTokens.js';
import { rotateVersionSecrets } from '../services/integrations/rotateVersions.js';
import { rotateInboundSecrets } from '../services/inboundWebhooks/rotateSecrets.js';
import { isRingSecret, secretAad, type SecretCipher } from './cipher.js';

export interface RotationReport {
  keyId: string;
  configurations: number;
  secrets: number;
  /** Secrets still under an older key: 0 unless interrupted (run again to resume). */
  remaining: number;
  interrupted: boolean;
}

/**
 * Re-encrypts every stored secret that is not under the newest key of the ring. Works in small
 * batches, each its own transaction with the rows locked, in (partner, id) order; the state is
 * self-describing (each ciphertext names its key), so stopping at any point loses nothing and
 * a second run resumes where the first stopped. Values, row versions and last4 are unchanged.
 */
export async function rotateSecrets(
  db: Db,
  cipher: SecretCipher,
  options: { batchSize?: number; signal?: AbortSignal; onBatch?: (done: { configurations: number; secrets: number }) => void } = {},
): Promise<RotationReport> {
  const current = cipher.currentKeyId;
  const batchSize = options.batchSize ?? 200;
  const done = { configurations: 0, secrets: 0 };
  // A second pass picks up rows an application write put back under an older key meanwhile
  // (an edit keeping a secret it read before this run re-encrypted it).
  for (let pass = 0; pass < 3 && !options.signal?.aborted; pass++) {
    let after: ConfigRef = { partnerId: 0, id: 0 };
    for (;;) {
      if (options.signal?.aborted) break;
      const refs = await withSystem(db, (tx) => configsWithStaleSecrets(tx, current, after, batchSize));
      if (refs.length === 0) break;
      await withSystem(db, async (tx) => {
        const lockedById = await lockSettingsBatch(tx, refs);
        for (const ref of refs) {
          const locked = lockedById.get(ref.id);
          if (!locked) continue;
          let changed = 0;
          const settings = { ...locked.settings };
          for (const [fieldKey, value] of Object.entries(settings)) {
            if (!isRingSecret(value) || value.kid === current) continue;
            const aad = secretAad({ partnerId: ref.partnerId, integrationKey: locked.integrationKey, fieldKey });
            settings[fieldKey] = cipher.reencrypt(value, aad);
            changed++;
          }
          if (changed === 0) continue;
          await replaceSettings(tx, ref, settings);
          done.configurations++;
          done.secrets += changed;
        }
      });
      options.onBatch?.({ ...done });
      after = refs.at(-1) as ConfigRef;
    }
    if ((await withSystem(db, (tx) => countStaleSecrets(tx, current))) === 0) break;
  }
  // Partners' alert webhook secrets are under the same ring (counted with the secrets).
  const webhooks = await rotateWebhookSecrets(db, cipher, { batchSize, signal: options.signal });
  // And OAuth2 tokens (issue 16), counted with the secrets too.
  const tokens = await rotateOAuthTokens(db, cipher, { batchSize, signal: options.signal });
  // And the secrets of saved configuration versions (issue 18), so older versions stay restorable.
  const versions = await rotateVersionSecrets(db, cipher, { batchSize, signal: options.signal });
  // And inbound webhook secrets (issue 18 §5): senders' signatures keep verifying.
  const inbound = await rotateInboundSecrets(db, cipher, { batchSize, signal: options.signal });
  done.secrets += webhooks.secrets + tokens.secrets + versions.secrets + inbound.secrets;
  const remaining = (await withSystem(db, (tx) => countStaleSecrets(tx, current))) + webhooks.remaining + tokens.remaining + versions.remaining + inbound.remaining;
  return { keyId: current, ...done, remaining, interrupted: options.signal?.aborted === true };
}
