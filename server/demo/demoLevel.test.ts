import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLevel, type FakeLevel } from '../integrations/levelio/fakeServer.js';
import { createLevelPlugin } from '../integrations/levelio/index.js';
import { actionContext } from '../integrations/test/actionContext.js';
import { pluginContext } from '../integrations/test/pluginContext.js';
import { captureLogs } from '../test/logCapture.js';
import { demoClientWorlds } from './demoClients.js';
import { seedDemoLevel } from './demoLevel.js';

const logs = captureLogs();
let fake: FakeLevel;
const plugin = createLevelPlugin({ checkTimeoutMs: 5_000, actionTimeoutMs: 5_000 });
const ctx = (settings: Record<string, string>) => pluginContext({ settings, log: logs.log, env: { LEVEL_BASE_URL: fake.baseUrl } });

beforeAll(async () => {
  fake = await startFakeLevel();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('the Level demo', () => {
  it("gives each demo partner the health the demo expects: Northwind's revoked key Error, Contoso Active", async () => {
    const seed = seedDemoLevel(fake);
    const northwind = await plugin.healthCheck(ctx(seed.settings.northwind));
    const contoso = await plugin.healthCheck(ctx(seed.settings.contoso));
    expect([northwind.status, contoso.status]).toEqual([seed.expect.northwind, seed.expect.contoso]);
    expect(northwind.message).toContain('Level rejected the API key (Access denied)');
  });

  it("Contoso's groups carry its clients' names, with sites as paths below them", async () => {
    const seed = seedDemoLevel(fake);
    const page = await plugin.listOrganizations?.(ctx(seed.settings.contoso), null);
    const names = page?.items.map((o) => o.name) ?? [];
    expect(names).toEqual(expect.arrayContaining([...demoClientWorlds.contoso.clients.slice(0, 12), 'Fabrikam Legal / Seattle Office', 'Tailspin Toys / Warehouse']));
  });

  it('Contoso has an automation that can run from here and one that says to add a webhook trigger', async () => {
    const seed = seedDemoLevel(fake);
    const list = plugin.actions?.find((a) => a.id === 'levelio.automations.list');
    const outcome = await list?.run(actionContext({ settings: seed.settings.contoso, log: logs.log, env: { LEVEL_BASE_URL: fake.baseUrl } }), {});
    expect((outcome?.output as { automations: { name: string; hasWebhookTrigger: boolean }[] }).automations.map((a) => [a.name, a.hasWebhookTrigger])).toEqual([
      ['Restart print spooler', true],
      ['Monthly patching', false],
    ]);
  });
});
