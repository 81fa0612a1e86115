import pg from 'pg';
import { createSecretCipher, isStoredSecret, secretAad, type SecretCipher } from '../server/secrets/cipher.js';
import { generateKeyRingEntry, parseKeyRing } from '../server/secrets/keyRing.js';
import { createDataKeyMaintenance, migrateSecretsToDataKeys, refreshDataKeys, rotateRing } from '../server/secrets/partnerKeys.js';
import { rotateSecrets } from '../server/secrets/rotate.js';
import type { Benchmark } from './lib/types.js';
import { startBenchServer } from './lib/server.js';

const partnerCount = 10_000;
const fields = ['api_token', 'webhook_secret'] as const; // 2 secrets per partner

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** 10,000 partners with one configuration each holding 2 secrets, all under the ring (format 1). */
async function seed(client: pg.Client, cipher: SecretCipher): Promise<void> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO partners (name) SELECT 'Rotation ' || lpad(g::text, 5, '0') FROM generate_series(1, ${partnerCount}) g RETURNING id`,
  );
  const ids = rows.map((r) => r.id);
  for (let start = 0; start < ids.length; start += 1_000) {
    const slice = ids.slice(start, start + 1_000);
    const settings = slice.map((partnerId) =>
      JSON.stringify({
        subdomain: `p${partnerId}`,
        ...Object.fromEntries(fields.map((f) => [f, cipher.encrypt(`${f}-${partnerId}-rotation-benchmark`, secretAad({ partnerId, integrationKey: 'bench', fieldKey: f }))])),
      }),
    );
    await client.query(`INSERT INTO integration_configurations (partner_id, integration_key, settings) SELECT * FROM unnest($1::bigint[], $2::text[], $3::jsonb[])`, [
      slice,
      slice.map(() => 'bench'),
      settings,
    ]);
  }
  await client.query('ANALYZE');
}

/** Every secret's format, and a fingerprint of all ciphertexts (to show what a run left alone). */
async function secretsState(client: pg.Client) {
  const { rows } = await client.query<{ settings: Record<string, unknown> }>("SELECT settings FROM integration_configurations WHERE integration_key = 'bench' ORDER BY partner_id");
  const formats: Record<string, number> = {};
  let fingerprint = '';
  for (const r of rows) {
    for (const f of fields) {
      const s = r.settings[f];
      if (!isStoredSecret(s)) throw new Error('a secret is missing');
      const format = s.v === 1 ? `ring:${s.kid}` : 'dataKey';
      formats[format] = (formats[format] ?? 0) + 1;
      fingerprint += s.ct.slice(0, 6);
    }
  }
  return { formats, fingerprint };
}

/**
 * Issue 18 §3: key-ring rotation over 10,000 partners × 2 secrets. Baseline: the scheme before
 * data keys, where rotate-key decrypts and re-encrypts all 20,000 secrets (locked batches of
 * 200). Then the same secrets move onto per-partner data keys (the upgrade migration), and the
 * ring rotates again: now only the 10,000 wrapped data keys are rewrapped, the secrets untouched.
 * Also: loading (unwrapping) every data key, as each instance does at boot.
 */
export const keyRotationBench: Benchmark = {
  name: 'key-rotation',
  async run() {
    // No background work (job workers, data-key maintenance) racing the runs measured.
    const server = await startBenchServer({ jobWorkers: false });
    const client = new pg.Client({ connectionString: server.runtime.databaseUrl });
    await client.connect();
    const { db } = server.runtime.deps;
    const k1 = server.runtime.deps.config.encryptionKeys as string;
    const k2 = generateKeyRingEntry();
    const k3 = generateKeyRingEntry();
    const cipher = (ring: string) => createSecretCipher(parseKeyRing(ring), { dataKeyDelayMs: 0 });
    try {
      await seed(client, cipher(k1));
      const total = partnerCount * fields.length;

      // Baseline: ring rotation as it was, every secret re-encrypted.
      const baseline = await timed(() => rotateSecrets(db, cipher(`${k2},${k1}`)));
      if (baseline.value.secrets !== total || baseline.value.remaining !== 0) throw new Error(`baseline rotated ${baseline.value.secrets} of ${total}`);

      // The upgrade: a data key per partner, every secret moved onto it.
      const upgraded = cipher(`${k2},${k1}`);
      const migration = await timed(() => migrateSecretsToDataKeys(db, upgraded));
      if (migration.value.secrets !== total || migration.value.remaining !== 0) throw new Error(`migrated ${migration.value.secrets} of ${total}`);
      const beforeRewrap = await secretsState(client);
      if (beforeRewrap.formats.dataKey !== total) throw new Error(`after migration: ${JSON.stringify(beforeRewrap.formats)}`);

      // What each serving instance's 15-second maintenance pass costs when there is nothing to
      // move: a full one (the first, and every 40th) scans every secret; the others do not.
      const maintenance = createDataKeyMaintenance({ db, secrets: upgraded, log: server.runtime.deps.log });
      const fullPass = await timed(() => maintenance.pass());
      const idlePass = await timed(() => maintenance.pass());
      if (!fullPass.value || idlePass.value) throw new Error('expected one scanning pass, then one without');

      // Boot: every instance unwraps every data key once.
      const next = cipher(`${k3},${k2},${k1}`);
      const load = await timed(() => refreshDataKeys(db, next));
      if (load.value.loaded !== partnerCount) throw new Error(`loaded ${load.value.loaded} data keys`);

      // Ring rotation with data keys: a rewrap of 10,000 keys, not one secret touched.
      const rewrap = await timed(() => rotateRing(db, next));
      if (rewrap.value.dataKeysRewrapped !== partnerCount || rewrap.value.secrets !== 0) throw new Error(`rewrapped ${rewrap.value.dataKeysRewrapped}, re-encrypted ${rewrap.value.secrets}`);
      const afterRewrap = await secretsState(client);
      if (afterRewrap.fingerprint !== beforeRewrap.fingerprint) throw new Error('a secret ciphertext changed during the rewrap');
      const onlyNewest = cipher(k3);
      await refreshDataKeys(db, onlyNewest);
      const probe = 1 + Math.floor(partnerCount / 2);
      const [row] = (await client.query<{ settings: Record<string, unknown>; partner_id: number }>("SELECT partner_id, settings FROM integration_configurations WHERE integration_key = 'bench' ORDER BY partner_id OFFSET $1 LIMIT 1", [probe])).rows;
      const sample = row?.settings.api_token;
      if (!row || !isStoredSecret(sample) || onlyNewest.decrypt(sample, secretAad({ partnerId: row.partner_id, integrationKey: 'bench', fieldKey: 'api_token' })) !== `api_token-${row.partner_id}-rotation-benchmark`) {
        throw new Error('the newest key alone does not read a secret after the rewrap');
      }

      const speedup = Number((baseline.ms / rewrap.ms).toFixed(1));
      return {
        rows: [
          { case: `baseline: rotate-key re-encrypting ${total} secrets (${partnerCount} partners × 2)`, seconds: seconds(baseline.ms), perSecond: Math.round(total / (baseline.ms / 1000)) },
          { case: `upgrade: ${partnerCount} data keys made, ${total} secrets moved onto them`, seconds: seconds(migration.ms), perSecond: Math.round(total / (migration.ms / 1000)) },
          { case: 'background pass, nothing to move, scanning (1 in 40)', seconds: seconds(fullPass.ms) },
          { case: 'background pass, nothing to move (each instance, every 15 s)', seconds: seconds(idlePass.ms) },
          { case: `boot: unwrap ${partnerCount} data keys`, seconds: seconds(load.ms), perSecond: Math.round(partnerCount / (load.ms / 1000)) },
          { case: `rotate-key with data keys: rewrap ${partnerCount} keys, 0 secrets touched`, seconds: seconds(rewrap.ms), perSecond: Math.round(partnerCount / (rewrap.ms / 1000)), timesFasterThanBaseline: speedup },
        ],
        figures: {
          partners: partnerCount,
          secrets: total,
          baselineReencryptSeconds: seconds(baseline.ms),
          upgradeMigrationSeconds: seconds(migration.ms),
          loadDataKeysSeconds: seconds(load.ms),
          maintenanceScanSeconds: seconds(fullPass.ms),
          maintenanceIdleSeconds: seconds(idlePass.ms),
          rewrapSeconds: seconds(rewrap.ms),
          /** Baseline time ÷ rewrap time. */
          rewrapSpeedup: speedup,
        },
      };
    } finally {
      await client.end();
      await server.stop();
    }
  },
};
