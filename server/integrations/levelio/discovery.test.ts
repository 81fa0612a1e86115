import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryRun, SnapshotPage } from '../../../shared/integrations/discovery.js';
import { startJobWorkers } from '../../jobs/workers.js';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';
import { startFakeLevel, type FakeLevel } from './fakeServer.js';
import { createLevelPlugin, type LevelPlugin } from './index.js';

/**
 * Level discovery end to end (pg-boss job, real plugin, snapshot in PostgreSQL): 5,000 groups,
 * children listed before their parents, read in 50 pages and stored with their paths; a rename
 * of a parent renames every path below it in the next snapshot.
 */
const key = 'lvl_discovery_e2e_key_01';
let w: CatalogWorld;
let fake: FakeLevel;
let plugin: LevelPlugin;

const account = (parentName: string) => ({
  name: 'big',
  keys: [{ key, access: 'read_only' as const }],
  groups: [
    { id: 'g-site', name: 'Seattle Office', parentId: 'g-fab' },
    { id: 'g-fab', name: parentName },
  ],
  generatedGroups: 4_998,
});

beforeAll(async () => {
  fake = await startFakeLevel();
  fake.addAccount(account('Fabrikam Legal'));
  plugin = createLevelPlugin({ checkTimeoutMs: 5_000, pageTimeoutMs: 20_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  w = await createCatalogWorld({ plugins: [plugin], env: { LEVEL_BASE_URL: fake.baseUrl } });
  await startJobWorkers(w.server.deps);
  const res = await w.request('POST', '/api/integrations/levelio/configure', w.a.admin, { settings: { api_key: key, key_access: 'read_only' } });
  expect(res.statusCode, res.body).toBe(201);
}, 60_000);
afterAll(async () => {
  await w?.close();
  await plugin?.close();
  await fake?.close();
});

async function discover(): Promise<DiscoveryRun> {
  const started = await w.request('POST', '/api/integrations/levelio/discovery', w.a.admin);
  expect(started.statusCode, started.body).toBe(202);
  for (let i = 0; i < 400; i++) {
    const run = (await w.request('GET', '/api/integrations/levelio/discovery', w.a.admin)).json().run as DiscoveryRun;
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('discovery did not finish');
}

const search = async (q: string) => ((await w.request('GET', `/api/integrations/levelio/organizations?q=${encodeURIComponent(q)}`, w.a.admin)).json() as SnapshotPage).items;

describe('Level discovery through the service', () => {
  it('stores 5,000 groups with their paths after 50 pages of 100', async () => {
    fake.resetCounts();
    const run = await discover();
    expect(run).toMatchObject({ status: 'succeeded', organizationsSeen: 5_000 });
    expect(fake.requestCount({ path: '/v2/groups' })).toBe(50);
    expect((await search('Seattle')).map((o) => [o.id, o.name])).toEqual([['g-site', 'Fabrikam Legal / Seattle Office']]);
  }, 60_000);

  it('a renamed parent renames the paths below it', async () => {
    fake.addAccount(account('Fabrikam Law'));
    const run = await discover();
    expect(run.status).toBe('succeeded');
    const [site] = await search('Seattle');
    expect(site).toMatchObject({ id: 'g-site', name: 'Fabrikam Law / Seattle Office', change: 'renamed', previousName: 'Fabrikam Legal / Seattle Office' });
  }, 60_000);
});
