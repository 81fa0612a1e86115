import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogWorld, type CatalogWorld } from '../../../test/catalogWorld.js';
import type { ResolveAll } from '../../netGuard.js';
import { startFakeTactical, type FakeTactical, type TacticalAccountView } from '../fakeServer.js';
import { createTacticalPlugin, type TacticalPlugin } from '../index.js';

/**
 * Through the real server (routes, action service, PostgreSQL): a reboot runs once per
 * idempotency key, and the API URL is checked by the network guard when it is saved.
 */
const key = 'EXACTLYONCEKEY0123456789ABCDEFGH';
// Staged DNS: the first two are what the guard must refuse; the last is the fake, by name.
const resolve: ResolveAll = async (hostname) => {
  const table: Record<string, string> = { 'loopback.tactical.test': '127.0.0.1', 'metadata.tactical.test': '169.254.169.254', 'api.tactical.test': '127.0.0.1' };
  const address = table[hostname];
  if (!address) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

let fake: FakeTactical;
let acct: TacticalAccountView;
let plugin: TacticalPlugin;
let strictWorld: CatalogWorld;
let world: CatalogWorld;

beforeAll(async () => {
  fake = await startFakeTactical();
  acct = fake.addAccount({ key, clients: [{ name: 'Harbor Dental Group', sites: ['Main'] }] });
  plugin = createTacticalPlugin({ http: { rateLimit: { perMinute: 6_000, burst: 100 }, resolve } });
  world = await createCatalogWorld({ plugins: [plugin], env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' } });
  strictWorld = await createCatalogWorld({ plugins: [plugin] });
});
afterAll(async () => {
  await world?.close();
  await strictWorld?.close();
  await plugin?.close();
  await fake?.close();
});

describe('Tactical RMM through the server', () => {
  it('saving a URL whose host resolves to 127.0.0.1 is a 400 on the URL field (private networks not allowed)', async () => {
    const res = await strictWorld.request('POST', '/api/integrations/tacticalrmm/configure', strictWorld.a.admin, { settings: { api_url: 'https://loopback.tactical.test', api_key: key } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({
      'settings.api_url': ['loopback.tactical.test resolves to 127.0.0.1, a private or loopback address, which integrations may not reach (an on-premises instance needs INTEGRATIONS_ALLOW_PRIVATE_NETWORK on this server)'],
    });
  });

  it('saving a URL whose host resolves to 169.254.169.254 is a 400 even with private networks allowed', async () => {
    const res = await world.request('POST', '/api/integrations/tacticalrmm/configure', world.a.admin, { settings: { api_url: 'http://metadata.tactical.test', api_key: key } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ 'settings.api_url': ['metadata.tactical.test resolves to 169.254.169.254, a metadata address, which integrations may not reach'] });
  });

  it('a reboot with the same idempotency key twice: one vendor call, the stored result replayed', async () => {
    const port = new URL(fake.baseUrl).port;
    const saved = await world.request('POST', '/api/integrations/tacticalrmm/configure', world.a.admin, { settings: { api_url: `http://api.tactical.test:${port}/`, api_key: key } });
    expect(saved.statusCode).toBe(201);
    // Stored normalised: no trailing slash.
    expect(JSON.stringify(saved.json())).toContain(`http://api.tactical.test:${port}"`);
    const agent = acct.agents[0]!;
    const body = { input: { agentId: agent.agent_id }, idempotencyKey: 'reboot-once-0001' };
    const first = await world.request('POST', '/api/actions/tacticalrmm.agents.reboot/run', world.a.admin, body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'succeeded', replayed: false, output: { agentId: agent.agent_id, message: `${agent.hostname} is rebooting` } });
    const again = await world.request('POST', '/api/actions/tacticalrmm.agents.reboot/run', world.a.admin, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(fake.writes().filter((w) => w.path === '/agents/{agent_id}/reboot/')).toHaveLength(1);
  });

  it('a script run with the same key twice: one runscript call, the same output replayed; a new key runs again', async () => {
    const agent = acct.agents[0]!;
    const body = { input: { agentId: agent.agent_id, scriptId: acct.scripts[0]?.id, timeoutSeconds: 10 }, idempotencyKey: 'script-once-0001' };
    const first = await world.request('POST', '/api/actions/tacticalrmm.agents.run_script/run', world.a.admin, body);
    expect(first.json()).toMatchObject({ status: 'succeeded', replayed: false, output: { output: expect.stringContaining('completed on') } });
    const again = await world.request('POST', '/api/actions/tacticalrmm.agents.run_script/run', world.a.admin, body);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const runs = () => fake.writes().filter((w) => w.path === '/agents/{agent_id}/runscript/').length;
    expect(runs()).toBe(1);
    await world.request('POST', '/api/actions/tacticalrmm.agents.run_script/run', world.a.admin, { ...body, idempotencyKey: 'script-once-0002' });
    expect(runs()).toBe(2);
  });

  it('a technician may not reboot (side-effectful actions are for partner admins)', async () => {
    const res = await world.request('POST', '/api/actions/tacticalrmm.agents.reboot/run', world.a.tech, { input: { agentId: acct.agents[0]!.agent_id }, idempotencyKey: 'tech-reboot-01' });
    expect(res.statusCode).toBe(403);
  });
});
