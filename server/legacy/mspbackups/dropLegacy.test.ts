import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingMigrations } from '../../db/migrate.js';
import { cliFor, type CliResult } from '../../test/cli.js';
import { createMspBackupsWorld, type MspBackupsWorld, type MspPartner } from '../../test/mspbackupsWorld.js';

// The last step: dropping mspbackups_config is an optional migration, refused until nothing
// reads the table and the stores agree; the API keeps working after it; --undo brings it back.

describe('dropping the legacy table', () => {
  let w: MspBackupsWorld;
  let cli: (args: string[]) => Promise<CliResult>;
  let a: MspPartner;
  let b: MspPartner;
  beforeAll(async () => {
    w = await createMspBackupsWorld();
    cli = await cliFor(w.server);
    a = await w.partner();
    b = await w.partner();
    w.fake.addAccount({ login: 'alpha-api', password: 'alpha-password-1', companies: 2 });
    await w.seedLegacy(a.id, { apiLogin: 'alpha-api', apiPassword: 'alpha-password-1', enabled: true });
    await w.seedLegacy(b.id, { apiLogin: 'bravo-api', apiPassword: null, enabled: false });
  });
  afterAll(() => w.close());

  const tableExists = async () => (await w.server.deps.db.pool.query(`SELECT to_regclass('public.mspbackups_config') IS NOT NULL AS t`)).rows[0]?.t as boolean;
  const legacyGet = (who: MspPartner) => w.request('GET', '/api/mspbackups/config', who.tech).then((r) => ({ status: r.statusCode, body: r.json() }));

  it('is not applied by migrate: the runner reads migrations/ only, and readiness does not wait for it', async () => {
    expect(await tableExists()).toBe(true);
    expect(await pendingMigrations(w.server.deps.db.pool)).toEqual([]);
    expect((await cli(['migrate'])).code).toBe(0);
    expect(await tableExists()).toBe(true);
    expect((await w.request('GET', '/readyz')).statusCode).toBe(200);
  });

  it('is refused until the flag is on globally, no partner is held back, and the stores agree', async () => {
    const refused = async (expected: string) => {
      const res = await cli(['msp360-drop-legacy', '--confirm']);
      expect(res.code).toBe(1);
      expect(JSON.parse(res.out)).toMatchObject({ dropped: false, reason: expected });
      expect(await tableExists()).toBe(true);
      return res;
    };
    expect((await cli(['msp360-drop-legacy'])).code).toBe(2);
    await refused('flag-not-global');
    expect((await cli(['msp360-migrate'])).code).toBe(0);
    await cli(['flag', 'set', 'msp360.read_from_new', 'on']);
    await cli(['flag', 'set', 'msp360.read_from_new', 'off', '--partner', String(b.id)]);
    expect((await refused('partners-on-legacy')).err).toContain(String(b.id));
    await cli(['flag', 'clear', 'msp360.read_from_new', '--partner', String(b.id)]);
    await w.server.deps.db.pool.query('UPDATE mspbackups_config SET enabled = true WHERE partner_id = $1', [b.id]);
    expect(JSON.parse((await refused('parity')).out).partners).toEqual([b.id]);
    await w.server.deps.db.pool.query('UPDATE mspbackups_config SET enabled = false WHERE partner_id = $1', [b.id]);
  });

  it('drops the table; the legacy API and the catalog keep working from the generic store', async () => {
    const before = [await legacyGet(a), await legacyGet(b)];
    const dropped = await cli(['msp360-drop-legacy', '--confirm']);
    expect([dropped.code, JSON.parse(dropped.out)]).toEqual([0, { dropped: true }]);
    expect(await tableExists()).toBe(false);
    expect([await legacyGet(a), await legacyGet(b)]).toEqual(before);

    // Even with the flag off again, there is only one store left to read.
    await cli(['flag', 'set', 'msp360.read_from_new', 'off']);
    expect(await legacyGet(a)).toEqual(before[0]);
    expect((await w.request('PUT', '/api/mspbackups/config', a.admin, { apiLogin: 'alpha-api', enabled: false })).statusCode).toBe(200);
    const catalog = await w.request('POST', '/api/integrations/msp360/reconfigure', b.admin, { settings: { api_login: 'bravo-api-2', api_password: 'bravo-password-2' } });
    expect(catalog.statusCode).toBe(200);
    expect((await legacyGet(b)).body).toEqual({ apiLogin: 'bravo-api-2', apiPassword: { isSet: true, last4: 'rd-2' }, enabled: true });
    expect((await cli(['msp360-parity'])).code).toBe(0);
    expect((await cli(['msp360-drop-legacy', '--confirm'])).code).toBe(1);
  });

  it('boots without the table, and --undo brings it back with every partner copied from the generic store', async () => {
    expect((await cli(['migrate'])).code).toBe(0);
    const undo = await cli(['msp360-drop-legacy', '--undo']);
    expect(undo.code).toBe(0);
    expect(JSON.parse(undo.out)).toMatchObject({ legacyTable: true, copiedToLegacy: 2, failed: [] });
    expect(await tableExists()).toBe(true);
    const { rows } = await w.server.deps.db.pool.query<{ partner_id: number; api_login: string; enabled: boolean }>('SELECT partner_id, api_login, enabled FROM mspbackups_config ORDER BY partner_id');
    expect(rows).toEqual([
      { partner_id: a.id, api_login: 'alpha-api', enabled: false },
      { partner_id: b.id, api_login: 'bravo-api-2', enabled: true },
    ]);
    expect((await cli(['msp360-parity'])).code).toBe(0);
    // Dual-write resumes at once: the flag is off, so the legacy table is read again.
    await w.request('PUT', '/api/mspbackups/config', a.admin, { apiLogin: 'alpha-api', enabled: true });
    expect((await legacyGet(a)).body.enabled).toBe(true);
    expect((await w.request('GET', '/api/mspbackups/companies', a.tech)).json().items).toHaveLength(2);
  });
});
