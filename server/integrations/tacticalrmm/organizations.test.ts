import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { OrganizationsError } from '../types.js';
import { startFakeTactical, type FakeTactical, type TacticalAccountView } from './fakeServer.js';
import { createTacticalPlugin } from './index.js';

const logs = captureLogs('info');
const goodKey = 'ORGSGOODKEY0123456789ABCDEFGHIJK';
const limitedKey = 'ORGSLIMITEDKEY0123456789ABCDEFGH';
let fake: FakeTactical;
let account: TacticalAccountView;
const plugin = createTacticalPlugin({ http: { rateLimit: { perMinute: 6_000, burst: 100 }, requestTimeoutMs: 1_000 } });
const env = { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' };
const page = (key: string, cursor: string | null = null) => plugin.listOrganizations!(pluginContext({ settings: { api_url: fake.baseUrl, api_key: key }, log: logs.log, env }), cursor);

beforeAll(async () => {
  fake = await startFakeTactical();
  account = fake.addAccount({ key: goodKey, clients: Array.from({ length: 40 }, (_, i) => ({ name: i === 0 ? 'Harbor Dental Group' : `Customer ${i + 1} Ltd`, sites: ['HQ'] })), agentsPerSite: 1 });
  fake.addAccount({ key: limitedKey });
});
afterEach(() => fake.resetFaults());
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Tactical RMM discovery', () => {
  it('every client in one page (GET /clients/ is unpaged), ids as TRMM gives them', async () => {
    const result = await page(goodKey);
    expect(result.items).toHaveLength(40);
    expect(result.items[0]).toEqual({ id: String(account.clients[0]?.id), name: 'Harbor Dental Group' });
    expect(result).toMatchObject({ nextCursor: null, pagesDone: 1, totalPages: 1 });
  });

  it('a cursor it did not make is refused', async () => {
    await expect(page(goodKey, '2')).rejects.toThrow(OrganizationsError);
  });

  it('a role without "List Clients": the permission named', async () => {
    fake.setFaults({ missingPermissions: ['can_list_clients'] }, limitedKey);
    await expect(page(limitedKey)).rejects.toThrow('Tactical RMM refused the client list (HTTP 403): the API key\'s user lacks the permission "List Clients"');
  });

  it('a rejected key and the dashboard address: said so', async () => {
    await expect(page('NOSUCHKEY0123456789ABCDEFGHIJKLM')).rejects.toThrow("Tactical RMM rejected the API key; check the key in the integration's settings");
    fake.setModes({ dashboard: true });
    await expect(page(goodKey)).rejects.toThrow(/This is the dashboard address, not the API address/);
  });
});
