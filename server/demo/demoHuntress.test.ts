import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHuntress, type FakeHuntress } from '../integrations/huntress/fakeServer.js';
import { createHuntressPlugin } from '../integrations/huntress/index.js';
import { pluginContext } from '../integrations/test/pluginContext.js';
import { captureLogs } from '../test/logCapture.js';
import { demoClientWorlds } from './demoClients.js';
import { seedDemoHuntress } from './demoHuntress.js';

const logs = captureLogs();
let fake: FakeHuntress;
const plugin = createHuntressPlugin({ checkTimeoutMs: 5_000, pageTimeoutMs: 10_000 });
let seed: ReturnType<typeof seedDemoHuntress>;

beforeAll(async () => {
  fake = await startFakeHuntress();
  seed = seedDemoHuntress(fake);
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

const ctx = (settings: Record<string, string>) => pluginContext({ settings, log: logs.log, env: { HUNTRESS_BASE_URL: fake.baseUrl } });

describe('the Huntress demo', () => {
  it('gives each partner the health it promises: Northwind Ok, Contoso Degraded naming the permission', async () => {
    const northwind = await plugin.healthCheck(ctx(seed.settings.northwind));
    const contoso = await plugin.healthCheck(ctx(seed.settings.contoso));
    expect([northwind.status, contoso.status]).toEqual([seed.expect.northwind, seed.expect.contoso]);
    expect(contoso.message).toContain('"Incident Reports (read)"');
  });

  it("Northwind has 1,200 organizations to discover, the first named as its clients are at the vendors", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<NonNullable<typeof plugin.listOrganizations>>> | undefined = await plugin.listOrganizations?.(ctx(seed.settings.northwind), cursor);
      seen.push(...(page?.items.map((o) => o.name) ?? []));
      cursor = page?.nextCursor ?? null;
    } while (cursor);
    expect(seen).toHaveLength(1_200);
    expect(seen).toEqual(expect.arrayContaining(['Harbor Dental Group', 'DATAFORTH CORPORATION', demoClientWorlds.northwind.clients[0]]));
    expect(fake.rateLimitedCount()).toBe(0);
  });

  it("Northwind's Dataforth report can be resolved; Harbor Dental's waits for an approval", async () => {
    const resolve = plugin.actions?.find((a) => a.id === 'huntress.incidents.resolve');
    const find = plugin.actions?.find((a) => a.id === 'huntress.incidents.get');
    const run = (id: string) => find?.run({ ...ctx(seed.settings.northwind), userId: 1, mappedOrganizations: () => Promise.resolve([]), publishFile: () => Promise.reject(new Error('none')) }, { incidentId: id });
    expect((await run('1'))?.output).toMatchObject({ incident: { status: 'sent', unapprovedRemediations: 0 } });
    expect((await run('2'))?.output).toMatchObject({ incident: { status: 'sent', unapprovedRemediations: 1 } });
    expect(resolve?.sideEffectful).toBe(true);
  });
});
