import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { findConfig } from '../db/integrationConfigs.js';
import { withPartner, withSystem } from '../db/pool.js';
import { makePartner } from '../test/factories.js';
import { testEncryptionKeys } from '../test/harness.js';
import { createSecretCipher, secretAad } from './cipher.js';
import { parseKeyRing } from './keyRing.js';
import { rotateSecrets } from './rotate.js';

const newKey = `k2:${Buffer.alloc(32, 42).toString('base64')}`;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** Resolves once some session of this database waits for a lock (the rotation, blocked by the check). */
async function someoneWaitsForALock() {
  for (let i = 0; i < 200; i++) {
    const { rows } = await database.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the rotation never waited for the locked configuration');
}

describe('rotate-key beside a health check being recorded', () => {
  it('waits for the configuration the check holds instead of deadlocking on the partner sync version', async () => {
    const partner = await makePartner(database.db);
    const old = createSecretCipher(parseKeyRing(testEncryptionKeys));
    // Two configurations of one partner, both with a secret under the old key: the rotation takes
    // `alpha` first (lower id), the check holds `beta`.
    await withSystem(database.db, async (tx) => {
      for (const key of ['alpha', 'beta']) {
        const token = old.encrypt(`tok_${key}_abcdefgh`, secretAad({ partnerId: partner.id, integrationKey: key, fieldKey: 'api_token' }));
        await tx.query('INSERT INTO integration_configurations (partner_id, integration_key, settings) VALUES ($1, $2, $3)', [partner.id, key, JSON.stringify({ api_token: token })]);
      }
    });

    let locked!: () => void;
    const checkHoldsBeta = new Promise<void>((resolve) => (locked = resolve));
    // What recordHealthResult does: lock the configuration, then write (stamping the partner's sync version).
    const check = withPartner(database.db, partner.id, async (tx) => {
      await findConfig(tx, partner.id, 'beta', { lock: true });
      locked();
      await someoneWaitsForALock();
      await tx.query(`UPDATE integration_configurations SET error_message = 'checked' WHERE partner_id = $1 AND integration_key = 'beta'`, [partner.id]);
    });
    await checkHoldsBeta;
    const both = createSecretCipher(parseKeyRing(`${newKey},${testEncryptionKeys}`));
    const rotation = rotateSecrets(database.db, both, { batchSize: 10 });

    const [checked, rotated] = await Promise.allSettled([check, rotation]);
    expect(checked).toEqual({ status: 'fulfilled', value: undefined });
    expect(rotated).toMatchObject({ status: 'fulfilled', value: { configurations: 2, secrets: 2, remaining: 0 } });
    const { rows } = await database.db.pool.query<{ integration_key: string; error_message: string | null; kid: string }>(
      `SELECT integration_key, error_message, settings->'api_token'->>'kid' AS kid FROM integration_configurations WHERE partner_id = $1 ORDER BY integration_key`,
      [partner.id],
    );
    expect(rows).toEqual([
      { integration_key: 'alpha', error_message: null, kid: 'k2' },
      { integration_key: 'beta', error_message: 'checked', kid: 'k2' },
    ]);
  });
});
