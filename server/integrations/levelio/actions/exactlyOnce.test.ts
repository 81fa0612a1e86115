import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogWorld, type CatalogWorld, type WorldUser } from '../../../test/catalogWorld.js';
import { startFakeLevel, type FakeLevel } from '../fakeServer.js';
import { createLevelPlugin, type LevelPlugin } from '../index.js';
import { readOnlyKeyMessage } from '../settings.js';

/**
 * Level's side-effectful actions through the real action service, database and interaction log:
 * the second run with the same idempotency key returns the stored result and Level saw ONE write;
 * a Read-only key makes them unavailable with the reason; the webhook token stays out of every
 * answer and recorded path.
 */
const rwKey = 'lvl_service_rw_key_0001';
const roKey = 'lvl_service_ro_key_0001';
const hookToken = 'whk_service_token_8c1d2e';
let fake: FakeLevel;
let plugin: LevelPlugin;
let w: CatalogWorld;

async function configure(admin: WorldUser, settings: Record<string, string>) {
  const res = await w.request('POST', '/api/integrations/levelio/configure', admin, { settings });
  if (res.statusCode !== 201) throw new Error(`configure failed: ${res.body}`);
}
const run = (user: WorldUser, actionId: string, body: Record<string, unknown>) => w.request('POST', `/api/actions/${actionId}/run`, user, body);

beforeAll(async () => {
  fake = await startFakeLevel();
  fake.addAccount({
    name: 'acme',
    keys: [{ key: rwKey }, { key: roKey, access: 'read_only' }],
    groups: [{ id: 'g-c', name: 'Contoso' }],
    devices: [{ id: 'd1', hostname: 'CON-DC01', groupId: 'g-c' }],
    alerts: [{ id: 'a1', deviceId: 'd1', name: 'Disk space low' }],
    automations: [{ id: 'au1', name: 'Restart print spooler', webhook: { token: hookToken } }],
  });
  plugin = createLevelPlugin({ checkTimeoutMs: 5_000, actionTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  w = await createCatalogWorld({ plugins: [plugin], env: { LEVEL_BASE_URL: fake.baseUrl } });
  await configure(w.a.admin, { api_key: rwKey, key_access: 'read_write' });
  await configure(w.b.admin, { api_key: roKey, key_access: 'read_only' });
});
afterAll(async () => {
  await w?.close();
  await plugin?.close();
  await fake?.close();
});

describe('Level writes through the action service', () => {
  it('levelio.alerts.resolve: the same key twice is one POST at Level and the stored result', async () => {
    fake.resetCounts();
    const body = { input: { alertId: 'a1' }, idempotencyKey: 'level-resolve-0001' };
    const first = await run(w.a.admin, 'levelio.alerts.resolve', body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'succeeded', replayed: false, output: { alertId: 'a1', resolved: true } });
    const again = await run(w.a.admin, 'levelio.alerts.resolve', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(fake.writeCount({ route: 'resolve' })).toBe(1);
    expect(fake.requestCount({ path: '/v2/alerts/a1/resolve' })).toBe(1);
  });

  it('levelio.automations.trigger: one automation run for two calls with one key; the token is in no answer or recorded path', async () => {
    fake.resetCounts();
    const body = { input: { automationId: 'au1', deviceIds: ['d1'] }, idempotencyKey: 'level-trigger-0001' };
    const first = await run(w.a.admin, 'levelio.automations.trigger', body);
    expect(first.statusCode).toBe(200);
    expect(first.json().output).toEqual({ automationId: 'au1', automationName: 'Restart print spooler', deviceIds: ['d1'], runId: expect.any(String) });
    const again = await run(w.a.admin, 'levelio.automations.trigger', body);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(fake.writeCount({ route: 'trigger' })).toBe(1);
    expect(fake.triggers('acme')).toHaveLength(1);
    expect(first.body + again.body).not.toContain(hookToken);

    // The interaction log is written in batches (every 200 ms): wait for the trigger's row.
    let rows: { method: string; path: string }[] = [];
    for (let i = 0; i < 50 && !rows.some((r) => r.method === 'POST' && r.path.startsWith('/v2/automations/webhooks/')); i++) {
      await sleep(100);
      rows = (await w.request('GET', '/api/integrations/levelio/interactions?actionId=levelio.automations.trigger', w.a.admin)).json().items;
    }
    const posted = rows.find((r) => r.method === 'POST');
    expect(posted?.path).toBe('/v2/automations/webhooks/[redacted]');
    const stored = await w.server.deps.db.pool.query(`SELECT path, request_body::text AS req, response_body::text AS res FROM interaction_log WHERE integration_key = 'levelio'`);
    expect(JSON.stringify(stored.rows)).not.toContain(hookToken);
    expect(JSON.stringify(stored.rows)).not.toContain(rwKey);
  });

  it('with a Read-only key both writes are unavailable, saying why, and Level is not asked', async () => {
    fake.resetCounts();
    const listed = await w.request('GET', '/api/actions?key=levelio', w.b.admin);
    const byId = Object.fromEntries((listed.json().items as { id: string; available: boolean; unavailable?: unknown }[]).map((a) => [a.id, a]));
    expect(byId['levelio.alerts.resolve']).toMatchObject({ available: false, unavailable: { code: 'not_permitted', message: readOnlyKeyMessage } });
    expect(byId['levelio.automations.trigger']).toMatchObject({ available: false, unavailable: { code: 'not_permitted' } });
    expect(byId['levelio.automations.list']).toMatchObject({ available: true });
    const refused = await run(w.b.admin, 'levelio.alerts.resolve', { input: { alertId: 'a1' }, idempotencyKey: 'level-ro-00001' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toEqual({ code: 'not_permitted', message: readOnlyKeyMessage });
    expect(fake.writeCount()).toBe(0);
  });
});
