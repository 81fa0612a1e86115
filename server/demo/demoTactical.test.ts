import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../test/logCapture.js';
import { startFakeTactical, type FakeTactical } from '../integrations/tacticalrmm/fakeServer.js';
import { createTacticalPlugin } from '../integrations/tacticalrmm/index.js';
import { pluginContext } from '../integrations/test/pluginContext.js';
import { seedDemoTactical, type DemoTacticalSeed } from './demoTactical.js';

const logs = captureLogs('info');
const plugin = createTacticalPlugin();
const env = { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' };
let fake: FakeTactical;
let seed: DemoTacticalSeed;

beforeAll(async () => {
  fake = await startFakeTactical();
  seed = seedDemoTactical(fake);
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('the Tactical RMM demo', () => {
  it('Northwind is Ok and discovers clients named after its demo clients', async () => {
    const health = await plugin.healthCheck(pluginContext({ settings: seed.settings.northwind, log: logs.log, env }));
    expect(health.status).toBe(seed.expect.northwind);
    expect(seed.expect.northwind).toBe('ok');
    const page = await plugin.listOrganizations!(pluginContext({ settings: seed.settings.northwind, log: logs.log, env }), null);
    expect(page.items.map((o) => o.name)).toEqual(expect.arrayContaining(['Harbor Dental Group', 'Bluewave Logistics', 'DATAFORTH CORP']));
  });

  it('Contoso saved the dashboard address: Error saying so; the API host would be Ok', async () => {
    const health = await plugin.healthCheck(pluginContext({ settings: seed.settings.contoso, log: logs.log, env }));
    expect(seed.expect.contoso).toBe('error');
    expect(health).toEqual({ status: 'error', message: expect.stringContaining('This is the dashboard address, not the API address') });
    const fixed = await plugin.healthCheck(pluginContext({ settings: { ...seed.settings.contoso, api_url: fake.baseUrl }, log: logs.log, env }));
    expect(fixed.status).toBe('ok');
  });
});
