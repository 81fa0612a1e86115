import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withPartner } from '../../db/pool.js';
import { setFeatureFlag } from '../../services/featureFlags.js';
import { commitReconfigure } from '../../services/integrations/mutations.js';
import { prepareReconfigure } from '../../services/integrations/prepare.js';
import { cliFor, type CliResult } from '../../test/cli.js';
import { createMspBackupsWorld, type MspBackupsWorld, type MspPartner } from '../../test/mspbackupsWorld.js';

// Dual-write behind `msp360.read_from_new`: every write through either path lands in both
// stores in one transaction; reads follow the flag; rollback (flag off) loses nothing.

describe('MSPBackups dual-write and the read flag', () => {
  let w: MspBackupsWorld;
  let cli: (args: string[]) => Promise<CliResult>;
  let a: MspPartner;
  let b: MspPartner;
  beforeAll(async () => {
    w = await createMspBackupsWorld();
    cli = await cliFor(w.server);
    a = await w.partner();
    b = await w.partner();
    w.fake.addAccount({ login: 'alpha-api', password: 'alpha-first-password', companies: 2 });
    w.fake.addAccount({ login: 'alpha-api-2', password: 'alpha-second-password', companies: 6 });
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.server.deps.db.pool.query(
      'DELETE FROM mspbackups_config; DELETE FROM integration_configurations; DELETE FROM feature_flags; DELETE FROM partner_feature_flags; DROP TRIGGER IF EXISTS fail_writes ON mspbackups_config; DROP TRIGGER IF EXISTS fail_writes ON integration_configurations',
    );
  });

  const legacyGet = (who = a) => w.request('GET', '/api/mspbackups/config', who.tech).then((r) => r.json());
  const legacyPut = (body: unknown, who = a) => w.request('PUT', '/api/mspbackups/config', who.admin, body);
  const catalogGet = (who = a) => w.request('GET', '/api/integrations/msp360', who.tech).then((r) => r.json());
  const parity = () => cli(['msp360-parity']);
  const readFromNew = (enabled: boolean, who?: MspPartner) => setFeatureFlag(w.server.deps.db, { flag: 'msp360.read_from_new', enabled, partnerId: who?.id });

  it('reads follow the flag (so the identical answers elsewhere are not a coincidence)', async () => {
    await legacyPut({ apiLogin: 'alpha-api', apiPassword: 'alpha-first-password' });
    await w.server.deps.db.pool.query(`UPDATE mspbackups_config SET api_login = 'legacy-only' WHERE partner_id = $1`, [a.id]);
    expect((await legacyGet()).apiLogin).toBe('legacy-only');
    await readFromNew(true, a);
    expect((await legacyGet()).apiLogin).toBe('alpha-api');
    await readFromNew(false, a);
    expect((await legacyGet()).apiLogin).toBe('legacy-only');
  });

  it('a legacy write while the flag is on appears in the catalog, and a catalog write in the legacy API', async () => {
    await readFromNew(true);
    const put = await legacyPut({ apiLogin: 'alpha-api', apiPassword: 'alpha-first-password', enabled: false });
    expect(put.statusCode).toBe(200);
    const detail = await catalogGet();
    expect(detail.settings).toEqual({ api_login: 'alpha-api', api_password: { isSet: true, last4: 'word' }, enabled: false });
    expect(detail.state).toMatchObject({ status: 'Configured', version: 1 });
    const audit = (await w.request('GET', '/api/integrations/msp360/audit', a.tech)).json();
    expect(audit.items[0]).toMatchObject({ action: 'configured', userId: a.admin.id, details: { message: 'Saved on the MSPBackups page' } });

    const reconfigured = await w.request('POST', '/api/integrations/msp360/reconfigure', a.admin, {
      settings: { api_login: 'alpha-api-2', api_password: 'alpha-second-password', enabled: true },
      baseVersion: 1,
    });
    expect(reconfigured.statusCode).toBe(200);
    expect(await legacyGet()).toEqual({ apiLogin: 'alpha-api-2', apiPassword: { isSet: true, last4: 'word' }, enabled: true });
    expect((await w.request('GET', '/api/mspbackups/companies', a.tech)).json().items).toHaveLength(6);
    // Both stores hold it, whichever one is read.
    await readFromNew(false);
    expect(await legacyGet()).toEqual({ apiLogin: 'alpha-api-2', apiPassword: { isSet: true, last4: 'word' }, enabled: true });
    expect((await parity()).code).toBe(0);

    // A catalog delete removes both; nothing is left for the legacy API either.
    expect((await w.request('DELETE', '/api/integrations/msp360', a.admin)).statusCode).toBe(200);
    expect((await w.request('GET', '/api/mspbackups/config', a.tech)).statusCode).toBe(404);
    await readFromNew(true);
    expect((await w.request('GET', '/api/mspbackups/config', a.tech)).statusCode).toBe(404);
  });

  it('loses nothing from on to off to on, whichever path wrote', async () => {
    await legacyPut({ apiLogin: 'alpha-api', apiPassword: 'alpha-first-password' });
    const states: unknown[] = [];
    await readFromNew(true, a);
    await legacyPut({ apiLogin: 'alpha-api', enabled: false }); // written while on
    states.push(await legacyGet());
    await readFromNew(false, a); // the rollback
    expect(await legacyGet()).toEqual(states[0]);
    const version = (await catalogGet()).state.version as number;
    await w.request('POST', '/api/integrations/msp360/reconfigure', a.admin, { settings: { api_login: 'alpha-api-2', api_password: 'alpha-second-password', enabled: true }, baseVersion: version });
    states.push(await legacyGet()); // written while off
    await readFromNew(true, a);
    expect(await legacyGet()).toEqual(states[1]);
    expect(states).toEqual([
      { apiLogin: 'alpha-api', apiPassword: { isSet: true, last4: 'word' }, enabled: false },
      { apiLogin: 'alpha-api-2', apiPassword: { isSet: true, last4: 'word' }, enabled: true },
    ]);
    expect((await w.request('GET', '/api/mspbackups/companies', a.tech)).json().items).toHaveLength(6);
    expect((await parity()).code).toBe(0);
  });

  it('writes both stores in one transaction: a failing legacy write undoes the catalog write, and the reverse', async () => {
    const db = w.server.deps.db.pool;
    await db.query(`CREATE OR REPLACE FUNCTION fail_writes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$`);
    await db.query('CREATE TRIGGER fail_writes BEFORE INSERT OR UPDATE OR DELETE ON mspbackups_config FOR EACH ROW EXECUTE FUNCTION fail_writes()');
    const configured = await w.request('POST', '/api/integrations/msp360/configure', a.admin, { settings: { api_login: 'alpha-api', api_password: 'alpha-first-password' } });
    expect(configured.statusCode).toBe(500);
    const counts = async () => (await db.query(`SELECT (SELECT count(*) FROM integration_configurations)::int AS generic, (SELECT count(*) FROM mspbackups_config)::int AS legacy, (SELECT count(*) FROM integration_audit_logs WHERE partner_id = $1 AND action = 'configured')::int AS audit`, [a.id])).rows[0];
    const audited = (await counts()).audit;
    expect(await counts()).toEqual({ generic: 0, legacy: 0, audit: audited });

    await db.query('DROP TRIGGER fail_writes ON mspbackups_config');
    await db.query(`CREATE TRIGGER fail_writes BEFORE INSERT OR UPDATE ON integration_configurations FOR EACH ROW WHEN (NEW.integration_key = 'msp360') EXECUTE FUNCTION fail_writes()`);
    expect((await legacyPut({ apiLogin: 'alpha-api', apiPassword: 'alpha-first-password' })).statusCode).toBe(500);
    expect(await counts()).toEqual({ generic: 0, legacy: 0, audit: audited });
    expect(w.server.logs.text()).not.toContain('alpha-first-password');
  });

  it('mirrors only MSP360: other integrations write the catalog alone', async () => {
    const res = await w.request('POST', '/api/integrations/syncro/configure', a.admin, { settings: { subdomain: 'alpha', api_token: 'syncro-token-for-alpha' } });
    expect(res.statusCode).toBe(201);
    expect((await w.server.deps.db.pool.query('SELECT 1 FROM mspbackups_config')).rows).toEqual([]);
  });

  it('mirrors a commit applied outside the API (as sync applies a pushed mutation)', async () => {
    await legacyPut({ apiLogin: 'alpha-api', apiPassword: 'alpha-first-password' });
    const prepared = await prepareReconfigure(w.server.deps, a.id, 'msp360', { api_login: 'alpha-api-2', api_password: 'alpha-second-password', enabled: false });
    await withPartner(w.server.deps.db, a.id, (tx) => commitReconfigure(tx, w.server.deps.registry, prepared, { userId: a.admin.id, actor: 'sync' }));
    expect(await legacyGet()).toEqual({ apiLogin: 'alpha-api-2', apiPassword: { isSet: true, last4: 'word' }, enabled: false });
  });

  it('keeps the stores equal under concurrent writes through both paths, without deadlocks or 5xx', async () => {
    await legacyPut({ apiLogin: 'alpha-api', apiPassword: 'alpha-first-password' }, a);
    await legacyPut({ apiLogin: 'alpha-api', apiPassword: 'alpha-first-password' }, b);
    const writes = [];
    for (let i = 0; i < 12; i++) {
      const who = i % 2 === 0 ? a : b;
      writes.push(legacyPut({ apiLogin: `legacy-${i}`, enabled: i % 3 === 0 }, who));
      writes.push(w.request('POST', '/api/integrations/msp360/reconfigure', who.admin, { settings: { api_login: `catalog-${i}`, api_password: `catalog-password-${i}`, enabled: i % 4 === 0 } }));
    }
    const results = await Promise.all(writes);
    // Legacy writes always apply (they replace); a catalog edit racing many others may still be a
    // 409 after its retries (the catalog's optimistic concurrency), never a 5xx or a deadlock.
    expect(results.filter((_, i) => i % 2 === 0).map((r) => r.statusCode)).toEqual(Array(12).fill(200));
    expect(results.filter((_, i) => i % 2 === 1).every((r) => r.statusCode === 200 || r.statusCode === 409)).toBe(true);
    expect(results.some((r, i) => i % 2 === 1 && r.statusCode === 200)).toBe(true);
    expect(w.server.logs.text()).not.toMatch(/deadlock/);

    // First saves racing: neither store has the partner yet, so there is no row to lock.
    const fresh = await Promise.all([1, 2, 3, 4].map(() => w.partner()));
    const firsts = await Promise.all(
      fresh.flatMap((who, i) => [
        legacyPut({ apiLogin: `first-legacy-${i}`, apiPassword: 'first-legacy-password' }, who),
        w.request('POST', '/api/integrations/msp360/configure', who.admin, { settings: { api_login: `first-catalog-${i}`, api_password: 'first-catalog-password' } }),
      ]),
    );
    expect(firsts.filter((_, i) => i % 2 === 0).map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(firsts.filter((_, i) => i % 2 === 1).every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const check = await parity();
    expect([check.code, check.out]).toEqual([0, '']);
  });
});
