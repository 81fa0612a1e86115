import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { createNinjaApi, openNinjaCall } from './client.js';
import { startFakeNinjaOne, type FakeNinjaOne } from './fakeServer.js';
import { createNinjaOnePlugin } from './index.js';

const logs = captureLogs();
let fake: FakeNinjaOne;
const plugin = createNinjaOnePlugin({ http: { rateLimit: { perMinute: 6_000, burst: 100 } } });
const api = createNinjaApi(plugin.auth.http);
const settings = { instance: 'app', client_id: 'early', client_secret: 'early-secret', scopes: 'monitoring' };

beforeAll(async () => {
  fake = await startFakeNinjaOne();
  fake.addApp({ clientId: 'early', clientSecret: 'early-secret' });
  fake.addOrganizations(2);
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

function open() {
  const ctx = pluginContext({ settings, log: logs.log, env: { VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: fake.origin }, auth: plugin.auth });
  const opened = openNinjaCall(ctx, 5_000);
  if ('problem' in opened) throw new Error(opened.problem);
  return opened.call;
}

describe('NinjaOne client', () => {
  it('a token NinjaOne ends early (401 on an API call): rejected, exactly one new token, and the call succeeds', async () => {
    const call = open();
    expect(await api.organizations(call, 10, null)).toHaveLength(2);
    expect(fake.tokenRequests()).toBe(1);
    // "Tokens expire early": NinjaOne answers 401 to tokens older than 0.2 s although expires_in said 3600.
    fake.setTokenLifetime({ expireAfterSeconds: 0.2 });
    try {
      await new Promise((r) => setTimeout(r, 250));
      expect(await api.organizations(call, 10, null)).toHaveLength(2);
      expect(fake.tokenRequests({ grant: 'client_credentials' })).toBe(2);
      expect(fake.requestCount({ path: '/v2/organizations' })).toBe(3);
    } finally {
      fake.setTokenLifetime({ expireAfterSeconds: null });
    }
  });

  it('sends the bearer token to /v2 paths of the emulated host', async () => {
    const call = open();
    expect(call.host.origin).toBe(fake.origin);
    await api.organizations(call, 1, 1);
    expect(fake.requestCount({ path: '/v2/organizations', tenant: 'early' })).toBeGreaterThan(0);
  });
});
