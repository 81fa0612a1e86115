import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { loadConfig } from '../config.js';
import { makePartner } from '../test/factories.js';
import { cliFor } from '../test/cli.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { clearFeatureFlag, createFeatureFlags, describeFeatureFlag, setFeatureFlag } from './featureFlags.js';

describe('feature flags', () => {
  let database: TestDatabase;
  let a: { id: number };
  let b: { id: number };
  const config = loadConfig({ FEATURE_INTEGRATION_CENTER: 'true' });
  beforeAll(async () => {
    database = await createTestDatabase();
    a = await makePartner(database.db);
    b = await makePartner(database.db);
  });
  afterAll(() => database.drop());

  it('resolves a partner override, then the global value, then the server default', async () => {
    const flags = createFeatureFlags(database.db, config, { cacheMs: 0 });
    expect(await flags.isEnabled('msp360.read_from_new', a.id)).toBe(false);
    expect(await flags.isEnabled('integration-center', a.id)).toBe(true);
    await setFeatureFlag(database.db, { flag: 'msp360.read_from_new', enabled: true });
    expect(await flags.isEnabled('msp360.read_from_new', a.id)).toBe(true);
    await setFeatureFlag(database.db, { flag: 'msp360.read_from_new', enabled: false, partnerId: a.id });
    expect([await flags.isEnabled('msp360.read_from_new', a.id), await flags.isEnabled('msp360.read_from_new', b.id)]).toEqual([false, true]);
    expect(await describeFeatureFlag(database.db, config, 'msp360.read_from_new')).toEqual({ flag: 'msp360.read_from_new', default: false, global: true, partners: { [a.id]: false } });
    expect(await clearFeatureFlag(database.db, { flag: 'msp360.read_from_new' })).toBe(true);
    expect(await clearFeatureFlag(database.db, { flag: 'msp360.read_from_new' })).toBe(false);
    expect([await flags.isEnabled('msp360.read_from_new', a.id), await flags.isEnabled('msp360.read_from_new', b.id)]).toEqual([false, false]);
    await clearFeatureFlag(database.db, { flag: 'msp360.read_from_new', partnerId: a.id });

    // FEATURE_INTEGRATION_CENTER is the default, read when asked (not copied at start).
    const off = { featureIntegrationCenter: false };
    const envFlags = createFeatureFlags(database.db, off, { cacheMs: 0 });
    expect(await envFlags.isEnabled('integration-center', a.id)).toBe(false);
    await setFeatureFlag(database.db, { flag: 'integration-center', enabled: true, partnerId: a.id });
    expect([await envFlags.isEnabled('integration-center', a.id), await envFlags.isEnabled('integration-center', b.id)]).toEqual([true, false]);
    off.featureIntegrationCenter = true;
    expect(await envFlags.isEnabled('integration-center', b.id)).toBe(true);
    await clearFeatureFlag(database.db, { flag: 'integration-center', partnerId: a.id });
  });

  it('caches a partner\'s values for cacheMs, one read per partner, and forgets them on invalidate', async () => {
    let now = 1_000;
    const flags = createFeatureFlags(database.db, config, { cacheMs: 5_000, now: () => now });
    expect(await flags.isEnabled('msp360.read_from_new', a.id)).toBe(false);
    await setFeatureFlag(database.db, { flag: 'msp360.read_from_new', enabled: true });
    expect(await flags.isEnabled('msp360.read_from_new', a.id)).toBe(false); // cached
    expect(await flags.isEnabled('msp360.read_from_new', b.id)).toBe(true); // another partner: read now
    now += 5_001;
    expect(await flags.isEnabled('msp360.read_from_new', a.id)).toBe(true);
    await setFeatureFlag(database.db, { flag: 'msp360.read_from_new', enabled: false });
    flags.invalidate();
    expect(await flags.isEnabled('msp360.read_from_new', a.id)).toBe(false);
    await clearFeatureFlag(database.db, { flag: 'msp360.read_from_new' });
  });
});

describe('npm run cli -- flag', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(() => server.close());

  it('sets, shows and clears flags globally or per partner, and refuses unknown flags, values and partners', async () => {
    const cli = await cliFor(server);
    const partner = await makePartner(server.deps.db);
    const set = await cli(['flag', 'set', 'msp360.read_from_new', 'on', '--partner', String(partner.id)]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toEqual({ flag: 'msp360.read_from_new', default: false, global: null, partners: { [partner.id]: true } });
    expect(await server.deps.flags.isEnabled('msp360.read_from_new', partner.id)).toBe(true);
    expect(JSON.parse((await cli(['flag', 'set', 'integration-center', 'off'])).out)).toMatchObject({ default: true, global: false });
    expect(await server.deps.flags.isEnabled('integration-center', partner.id)).toBe(false);
    expect(JSON.parse((await cli(['flag', 'clear', 'integration-center'])).out)).toMatchObject({ global: null });
    expect(JSON.parse((await cli(['flag', 'show', 'msp360.read_from_new'])).out).partners).toEqual({ [partner.id]: true });
    for (const args of [['flag'], ['flag', 'set', 'no.such.flag', 'on'], ['flag', 'set', 'msp360.read_from_new', 'maybe'], ['flag', 'toggle', 'msp360.read_from_new'], ['flag', 'set', 'msp360.read_from_new', 'on', '--partner', 'x']]) {
      const res = await cli(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.err).toMatch(/Usage: npm run cli -- flag/);
    }
    expect((await cli(['flag', 'set', 'msp360.read_from_new', 'on', '--partner', '999999'])).code).toBe(1);
  });
});
