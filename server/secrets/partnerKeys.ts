import { insertDataKeys, listDataKeys, lockStaleDataKeys, partnersWithoutDataKey, replaceWrappedKeys } from '../db/partnerDataKeys.js';
import { withSystem, type Db } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { SecretDecryptError, type SecretCipher } from './cipher.js';
import { newDataKey } from './dataKeys.js';
import { rotateSecrets, type RotationReport } from './rotate.js';

// Issue 18 §3: the database side of the partners' data keys: making them, loading them into the
// cipher's cache, rewrapping them when the ring rotates, and moving format-1 secrets onto them.

/** Loads every data key into the cipher (drops those no longer in the table). */
export async function refreshDataKeys(db: Db, cipher: SecretCipher): Promise<{ loaded: number; unreadable: number }> {
  const rows = await withSystem(db, (tx) => listDataKeys(tx));
  return cipher.dataKeys.apply(rows, true);
}

/**
 * Gives every partner without one a data key (32 random bytes, wrapped under the newest ring
 * key), in batches; safe to run on several instances at once (a partner keeps the first key
 * stored). Loads the result into this cipher.
 */
export async function ensureDataKeys(db: Db, cipher: SecretCipher, options: { batchSize?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 1_000;
  let created = 0;
  for (;;) {
    const partnerIds = await withSystem(db, (tx) => partnersWithoutDataKey(tx, batchSize));
    if (partnerIds.length === 0) break;
    created += await withSystem(db, (tx) => insertDataKeys(tx, partnerIds.map((partnerId) => ({ partnerId, ...cipher.wrapDataKey(partnerId, newDataKey()) }))));
  }
  await refreshDataKeys(db, cipher);
  return created;
}

export class DataKeyRewrapError extends Error {
  override name = 'DataKeyRewrapError';
}

/**
 * Ring rotation for the data keys: each key not wrapped under the newest ring key is unwrapped
 * and wrapped again (the key itself, and so every secret under it, is unchanged). Locked batches
 * with SKIP LOCKED, each its own transaction: resumable, and concurrent runs share the work.
 */
export async function rewrapDataKeys(db: Db, cipher: SecretCipher, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<{ rewrapped: number }> {
  const batchSize = options.batchSize ?? 1_000;
  let rewrapped = 0;
  while (!options.signal?.aborted) {
    const moved = await withSystem(db, async (tx) => {
      const rows = await lockStaleDataKeys(tx, cipher.currentKeyId, batchSize);
      const again = rows.map((row) => {
        const result = cipher.unwrapDataKey(row.partnerId, row);
        if ('error' in result) throw new DataKeyRewrapError(`partner ${row.partnerId}: ${result.error}; add that key back after the newest key and run again`);
        return { partnerId: row.partnerId, ...cipher.wrapDataKey(row.partnerId, result.key) };
      });
      if (again.length) await replaceWrappedKeys(tx, again);
      return again.length;
    });
    rewrapped += moved;
    if (moved < batchSize) break;
  }
  if (rewrapped > 0) await refreshDataKeys(db, cipher);
  return { rewrapped };
}

/** The full ring rotation: format-1 secrets under an older key re-encrypted (onto data keys where usable), data keys rewrapped. */
export async function rotateRing(db: Db, cipher: SecretCipher, options: Parameters<typeof rotateSecrets>[2] = {}): Promise<RotationReport & { dataKeysRewrapped: number }> {
  const secrets = await rotateSecrets(db, cipher, options);
  const { rewrapped } = await rewrapDataKeys(db, cipher, { batchSize: 1_000, signal: options.signal });
  return { ...secrets, dataKeysRewrapped: rewrapped, interrupted: options.signal?.aborted === true };
}

export class DataKeyNotReadyError extends SecretDecryptError {
  override name = 'DataKeyNotReadyError';
}

/**
 * The upgrade migration: every format-1 secret (integration settings, saved versions, OAuth
 * tokens, webhook secrets) re-encrypted under its partner's data key, in the rotation's locked,
 * resumable batches. It is rotate-key with "current" meaning "a data key": no kid matches '',
 * so every format-1 secret is due, and an encryption that would not land on a data key (the
 * key is newer than the delay every instance needs to load it) stops the run, to be resumed.
 */
export async function migrateSecretsToDataKeys(db: Db, cipher: SecretCipher, options: Parameters<typeof rotateSecrets>[2] = {}): Promise<RotationReport> {
  await ensureDataKeys(db, cipher);
  const onlyDataKeys: SecretCipher = {
    ...cipher,
    currentKeyId: '',
    reencrypt(stored, aad) {
      const sealed = cipher.reencrypt(stored, aad);
      if (sealed.v !== 2) throw new DataKeyNotReadyError(`a secret (${aad.split('|')[0]}) has no usable data key yet; run again in ${Math.ceil(cipher.dataKeys.delayMs / 1000)} s`);
      return sealed;
    },
  };
  return rotateSecrets(db, onlyDataKeys, options);
}

/**
 * One background pass of a serving instance: partners without a data key get one, every data
 * key (and only those still in the table) is held, and format-1 secrets move onto data keys.
 * Looking for format-1 secrets scans every stored secret (0.5 s at 10,000 partners), so it is
 * skipped while the last scan found none and this instance has written none since (the cipher
 * counts its ring fallbacks); every `fullEvery`-th pass scans anyway, for secrets another
 * process (a CLI command, another instance) wrote under the ring.
 */
export function createDataKeyMaintenance(deps: { db: Db; secrets: SecretCipher; log: Logger }, options: { fullEvery?: number; signal?: AbortSignal } = {}) {
  const fullEvery = options.fullEvery ?? 40;
  let passes = 0;
  let clean = false;
  let fallbacksSeen = -1;
  return {
    /** Returns whether it scanned for format-1 secrets. */
    async pass(): Promise<boolean> {
      const created = await ensureDataKeys(deps.db, deps.secrets);
      const fallbacks = deps.secrets.dataKeys.ringFallbacks;
      const full = passes++ % fullEvery === 0;
      if (clean && created === 0 && fallbacks === fallbacksSeen && !full) return false;
      clean = false;
      const report = await migrateSecretsToDataKeys(deps.db, deps.secrets, { batchSize: 200, signal: options.signal });
      if (report.secrets > 0) deps.log.info({ secrets: report.secrets, remaining: report.remaining }, 'secrets moved onto partner data keys');
      clean = report.remaining === 0 && !report.interrupted;
      fallbacksSeen = fallbacks;
      return true;
    },
  };
}

/** Runs createDataKeyMaintenance's pass every `intervalMs`; a pass that fails (a key not usable yet, the database briefly away) is retried at the next. */
export function startDataKeyMaintenance(deps: { db: Db; secrets: SecretCipher; log: Logger }, options: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 15_000;
  let running: Promise<void> | undefined;
  let stopped = false;
  const controller = new AbortController();
  const maintenance = createDataKeyMaintenance(deps, { signal: controller.signal });
  const tick = async () => {
    try {
      await maintenance.pass();
    } catch (error) {
      if (stopped) return;
      // A key younger than DATA_KEY_DELAY is the expected case; anything else is worth a look.
      const level = error instanceof DataKeyNotReadyError ? 'debug' : 'warn';
      deps.log[level]({ err: error instanceof Error ? error.message : String(error) }, 'data-key maintenance failed; retrying at the next tick');
    }
  };
  const timer = setInterval(() => {
    if (!running) running = tick().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      controller.abort();
      await running;
    },
  };
}
