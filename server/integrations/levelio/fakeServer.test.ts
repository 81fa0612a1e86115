import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelExamples } from './examples.js';
import { startFakeLevel, type FakeLevel } from './fakeServer.js';

let fake: FakeLevel;
const key = 'lvl_fake_key_0001';

beforeAll(async () => {
  fake = await startFakeLevel({ rateLimitPerMinute: 40 });
  fake.addAccount({
    name: 'acme',
    keys: [{ key, access: 'read_only' }, { key: 'lvl_fake_revoked_01', revoked: true }],
    groups: [
      { id: 'g-c', name: 'Contoso' },
      { id: 'g-s', name: 'Seattle', parentId: 'g-c' },
    ],
    generatedGroups: 25,
    devices: [
      { id: 'd1', hostname: 'CON-DC01', groupId: 'g-c' },
      { id: 'd2', hostname: 'CON-SEA-LT7', groupId: 'g-s' },
    ],
    alerts: [
      { id: 'a1', deviceId: 'd1', name: 'Disk space low' },
      { id: 'a2', deviceId: 'd2', name: 'Reboot pending', resolved: true },
    ],
    automations: [{ id: 'au1', name: 'Restart spooler', webhook: { token: 'whk_fake_token_0001' } }],
  });
});
afterAll(async () => {
  await fake.close();
});

async function call(method: 'GET' | 'POST', path: string, authorization: string | null = key, body?: unknown) {
  const res = await request(`${fake.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> & { data: Record<string, unknown>[]; has_more: boolean } };
}

describe('fake Level', () => {
  it('takes the key alone in Authorization: "Bearer <key>", no key, a revoked key get 401 {"error":"Access denied"}', async () => {
    expect((await call('GET', '/v2/groups?limit=1')).status).toBe(200);
    for (const auth of [`Bearer ${key}`, null, 'lvl_fake_revoked_01']) {
      expect(await call('GET', '/v2/groups?limit=1', auth)).toEqual({ status: 401, json: levelExamples.accessDenied });
    }
  });

  it('pages {data, has_more} by limit (20 by default, at most 100) and starting_after', async () => {
    const first = await call('GET', '/v2/groups');
    expect([first.json.data.length, first.json.has_more]).toEqual([20, true]);
    expect(first.json.data[1]).toEqual({ id: 'g-s', name: 'Seattle', parent_id: 'g-c', child_ids: [], device_count: 1 });
    expect(first.json.data[0]).toMatchObject({ child_ids: ['g-s'] });
    const rest = await call('GET', `/v2/groups?limit=500&starting_after=${String(first.json.data[19]?.id)}`);
    expect([rest.json.data.length, rest.json.has_more]).toEqual([7, false]);
    expect((await call('GET', '/v2/groups?starting_after=nope')).status).toBe(400);
  });

  it('filters devices by group_id (direct) or ancestor_group_id (subgroups too), alerts by status', async () => {
    const ids = (r: { json: { data: Record<string, unknown>[] } }) => r.json.data.map((d) => d.id);
    expect(ids(await call('GET', '/v2/devices?group_id=g-c'))).toEqual(['d1']);
    expect(ids(await call('GET', '/v2/devices?ancestor_group_id=g-c'))).toEqual(['d1', 'd2']);
    expect(ids(await call('GET', '/v2/alerts?status=active'))).toEqual(['a1']);
    expect(ids(await call('GET', '/v2/alerts?status=resolved'))).toEqual(['a2']);
    expect((await call('GET', '/v2/devices/d2')).json).toMatchObject({ id: 'd2', hostname: 'CON-SEA-LT7', group_id: 'g-s' });
  });

  it('refuses writes with a read-only key (403) and counts none', async () => {
    expect((await call('POST', '/v2/alerts/a1/resolve', key, {})).status).toBe(403);
    expect((await call('POST', '/v2/automations/webhooks/whk_fake_token_0001', key, {})).status).toBe(403);
    expect((await call('POST', '/v2/automations/webhooks/whk_unknown_token', key, {})).status).toBe(404);
    expect(fake.writeCount()).toBe(0);
  });

  it('rate limits per key when told to, with its 429 body', async () => {
    let last = 0;
    for (let i = 0; i < 45 && last !== 429; i++) last = (await call('GET', '/v2/automations')).status;
    expect(last).toBe(429);
  });
});
