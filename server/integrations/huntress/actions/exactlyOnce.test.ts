import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogWorld, type CatalogWorld } from '../../../test/catalogWorld.js';
import { startFakeHuntress, type FakeHuntress } from '../fakeServer.js';
import { createHuntressPlugin, type HuntressPlugin } from '../index.js';

// huntress.incidents.resolve through the real action service and PostgreSQL: exactly once per
// idempotency key (the second run answers the stored result, Huntress saw one resolution), and
// unavailable, saying why, for a partner whose key is the read-only account key.
let fake: FakeHuntress;
let plugin: HuntressPlugin;
let w: CatalogWorld;

beforeAll(async () => {
  fake = await startFakeHuntress();
  fake.addAccount('acme', {
    name: 'Acme MSP',
    keys: [{ key: 'acme-user', secret: 'acme-user-secret', kind: 'user' }],
    incidentReports: [{ organizationId: 1, subject: 'Malicious scheduled task', severity: 'critical' }],
  });
  fake.addAccount('beta', { name: 'Beta IT', keys: [{ key: 'beta-account', secret: 'beta-account-secret', kind: 'account' }] });
  plugin = createHuntressPlugin({ checkTimeoutMs: 5_000, actionTimeoutMs: 5_000 });
  w = await createCatalogWorld({ plugins: [plugin], env: { HUNTRESS_BASE_URL: fake.baseUrl } });
  const a = await w.request('POST', '/api/integrations/huntress/configure', w.a.admin, { settings: { subdomain: 'acme', api_key: 'acme-user', api_secret: 'acme-user-secret', key_type: 'user' } });
  expect(a.statusCode, a.body).toBe(201);
  const b = await w.request('POST', '/api/integrations/huntress/configure', w.b.admin, { settings: { subdomain: 'beta', api_key: 'beta-account', api_secret: 'beta-account-secret', key_type: 'account' } });
  expect(b.statusCode, b.body).toBe(201);
}, 60_000);
afterAll(async () => {
  await w?.close();
  await plugin?.close();
  await fake?.close();
});

describe('huntress.incidents.resolve through the action service', () => {
  it('runs once per idempotency key: the retry gets the stored result and Huntress saw one resolution', async () => {
    const body = { input: { incidentId: '1' }, idempotencyKey: 'huntress-resolve-0001' };
    const first = await w.request('POST', '/api/actions/huntress.incidents.resolve/run', w.a.admin, body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'succeeded', replayed: false, output: { incident: { id: '1', status: 'closed' } } });
    const again = await w.request('POST', '/api/actions/huntress.incidents.resolve/run', w.a.admin, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(fake.resolutionCount('acme')).toBe(1);
    expect(fake.requestCount({ path: '/v1/incident_reports/1/resolution' })).toBe(1);
  });

  it('is listed unavailable (not_permitted) for a partner with the account key, and refused without calling Huntress', async () => {
    const listed = await w.request('GET', '/api/actions?key=huntress', w.b.admin);
    expect(listed.statusCode).toBe(200);
    const items = listed.json().items as { id: string; available: boolean; unavailable?: { code: string; message: string } }[];
    const resolve = items.find((i) => i.id === 'huntress.incidents.resolve');
    expect(resolve).toMatchObject({ available: false, unavailable: { code: 'not_permitted', message: expect.stringContaining('read-only') } });
    expect(items.find((i) => i.id === 'huntress.incidents.get')?.available).toBe(true);
    const before = fake.requestCount({ tenant: 'beta' });
    const refused = await w.request('POST', '/api/actions/huntress.incidents.resolve/run', w.b.admin, { input: { incidentId: '1' }, idempotencyKey: 'huntress-resolve-b001' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('read-only');
    expect(fake.requestCount({ tenant: 'beta' })).toBe(before);
  });
});
