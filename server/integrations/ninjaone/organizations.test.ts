import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { OrganizationsError } from '../types.js';
import { startFakeNinjaOne, type FakeNinjaOne } from './fakeServer.js';
import { createNinjaOnePlugin } from './index.js';

const logs = captureLogs();
let fake: FakeNinjaOne;
const plugin = createNinjaOnePlugin({ discoveryPageSize: 100, http: { rateLimit: { perMinute: 6_000, burst: 100 } } });
const settings = { instance: 'app', client_id: 'disc', client_secret: 'disc-secret', scopes: 'monitoring' };

beforeAll(async () => {
  fake = await startFakeNinjaOne();
  fake.addApp({ clientId: 'disc', clientSecret: 'disc-secret' });
  fake.addOrganizations(250);
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('NinjaOne discovery', () => {
  it('walks 250 organizations 100 at a time by after=<last id>, one token for the walk', async () => {
    const ctx = pluginContext({ settings, log: logs.log, env: { VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: fake.origin }, auth: plugin.auth });
    const list = plugin.listOrganizations;
    if (!list) throw new Error('no discovery');
    const seen: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(ctx, cursor);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(cursors).toEqual(['1.100', '2.200', null]);
    expect(fake.requestCount({ path: '/v2/organizations' })).toBe(3);
    expect(fake.tokenRequests()).toBe(1);
  });

  it('refuses a cursor it did not make', async () => {
    const ctx = pluginContext({ settings, log: logs.log, env: { VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: fake.origin }, auth: plugin.auth });
    await expect(plugin.listOrganizations?.(ctx, 'abc')).rejects.toBeInstanceOf(OrganizationsError);
  });
});
