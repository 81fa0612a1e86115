import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDueChecks } from '../../db/healthSchedule.js';
import { withSystem } from '../../db/pool.js';
import { makePartner } from '../../test/factories.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../../test/catalogWorld.js';
import { systemActor } from '../integrations/actor.js';
import { configureIntegration } from '../integrations/mutations.js';
import { createHealthScheduler, type HealthScheduler } from './scheduler.js';

// Per-vendor bounds are applied when claiming: an instance never holds claims that wait for a
// vendor slot, so the rows of a vendor that hangs cannot use up the instance's global slots.
// Two controllable vendors: `testvendor` (made to hang) and `otherbackup` (answers at once).

const waitFor = async (what: string, condition: () => Promise<boolean>, timeoutMs = 15_000) => {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('per-vendor claims', () => {
  let w: CatalogWorld;
  const partners: number[] = [];
  let scheduler: HealthScheduler | undefined;
  const query = async <T>(sql: string, params: unknown[] = []) => (await w.server.deps.db.pool.query(sql, params)).rows as T[];

  beforeAll(async () => {
    // A budget far longer than the test: a hanging check stays in flight throughout.
    w = await createCatalogWorld({ pluginTimeoutMs: 120_000 });
    for (let i = 0; i < 10; i++) {
      const { id } = await makePartner(w.server.deps.db);
      await configureIntegration(w.server.deps, id, systemActor, 'testvendor', validSettings());
      await configureIntegration(w.server.deps, id, systemActor, 'otherbackup', { login: `user${id}`, password: 'pw-123456789' });
      partners.push(id);
    }
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    w.vendor.outcome = 'ok';
    w.vendor.checks.length = 0;
    w.backupVendor.checks.length = 0;
    await query("UPDATE integration_configurations SET status = 'Configured', health = 'unknown', last_health_check = NULL");
    await query('UPDATE integration_health_schedule SET next_check_at = NULL, lease_id = NULL, lease_owner = NULL, claimed_at = NULL');
  });
  afterEach(async () => {
    await scheduler?.stop({ graceMs: 0 });
    scheduler = undefined;
  });

  it('a hanging vendor holds only its own slots: the other vendor’s due checks all complete meanwhile', async () => {
    w.vendor.outcome = 'hang';
    // The hanging vendor's rows are due first, so a claim in due order takes them before the others.
    await query("UPDATE integration_health_schedule SET next_check_at = now() - interval '10 minutes' WHERE integration_key = 'testvendor'");
    await query("UPDATE integration_health_schedule SET next_check_at = now() - interval '1 minute' WHERE integration_key = 'otherbackup'");
    scheduler = createHealthScheduler(w.server.deps, { concurrency: 4, perKeyConcurrency: 2, pollMs: 50 });
    scheduler.start();

    await waitFor('every otherbackup check recorded', async () =>
      (await query("SELECT 1 FROM integration_configurations WHERE integration_key = 'otherbackup' AND last_health_check IS NOT NULL")).length === 10,
    );
    expect(w.backupVendor.checks).toHaveLength(10);
    // Meanwhile the hanging vendor got exactly its two slots, and only those two rows are leased:
    // the other eight are still due, free for any instance with room for that vendor.
    expect(w.vendor.checks).toHaveLength(2);
    // (A recorded check leaves the in-flight set just after its transaction commits.)
    const s = scheduler;
    await waitFor('only the hanging checks in flight', async () => s.inFlight === 2);
    const leased = await query<{ integration_key: string; n: number }>(
      'SELECT integration_key, count(*)::int AS n FROM integration_health_schedule WHERE lease_id IS NOT NULL GROUP BY 1',
    );
    expect(leased).toEqual([{ integration_key: 'testvendor', n: 2 }]);
    expect(await query("SELECT 1 FROM integration_configurations WHERE integration_key = 'testvendor' AND last_health_check IS NOT NULL")).toEqual([]);

    // A clean stop hands the two hanging checks back instead of recording them as failures.
    expect(await scheduler.stop({ graceMs: 0 })).toEqual({ finished: 0, released: 2 });
  });

  it('claims of each key stop at its free slots, earliest due first, within the overall limit, and never twice', async () => {
    await query(
      `UPDATE integration_health_schedule SET next_check_at = now() - make_interval(secs => partner_id::double precision)`,
    );
    const claim = (perKey: Record<string, number>, limit: number) =>
      withSystem(w.server.deps.db, (tx) => claimDueChecks(tx, { owner: 'test', limit, leaseMs: 60_000, keys: ['testvendor', 'otherbackup'], perKey }));
    const byKey = (claims: { integrationKey: string; partnerId: number }[], key: string) => claims.filter((c) => c.integrationKey === key).map((c) => c.partnerId).sort((a, b) => a - b);

    const first = await claim({ testvendor: 3, otherbackup: 0 }, 10);
    // The earliest due are the highest partner ids (due `partner_id` seconds ago).
    expect(byKey(first, 'testvendor')).toEqual(partners.slice(-3));
    expect(byKey(first, 'otherbackup')).toEqual([]);

    const second = await claim({ testvendor: 2, otherbackup: 5 }, 4);
    expect(second).toHaveLength(4);
    expect(byKey(second, 'testvendor').length).toBeLessThanOrEqual(2);
    expect(byKey(second, 'otherbackup').length).toBeLessThanOrEqual(5);
    // Claimed rows are no longer due: nothing is handed out twice, and the leases are distinct.
    const everything = [...first, ...second, ...(await claim({ testvendor: 20, otherbackup: 20 }, 100))];
    expect(everything).toHaveLength(20);
    expect(new Set(everything.map((c) => `${c.partnerId}/${c.integrationKey}`)).size).toBe(20);
    expect(new Set(everything.map((c) => c.leaseId)).size).toBe(20);
    expect(await claim({ testvendor: 20, otherbackup: 20 }, 100)).toEqual([]);
  });
});
