import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mapping, Suggestion } from '../../../shared/clients.js';
import type { DiscoveryRun } from '../../../shared/integrations/discovery.js';
import type { Fleet } from '../../../shared/integrations/health.js';
import { startFakeSyncro, type FakeSyncro } from '../../integrations/syncro/fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../../integrations/syncro/index.js';
import { startJobWorkers } from '../../jobs/workers.js';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';
import { foldMissing } from '../health/missingAtVendor.js';

/**
 * Suggestions from the discovery snapshot and mappings gone at the vendor, end to end: the real
 * Syncro plugin against its fake, discovery on the real job engine, PostgreSQL underneath. The
 * vendor then loses customers; the mappings stay, flagged, and the next check says so.
 */
const token = 'missing-at-vendor-token';
let w: CatalogWorld;
let fake: FakeSyncro;
let syncro: SyncroPlugin;
// Customer ids 1..5 at the fake; 2 and 4 get the names of two of A's clients.
const names = { 2: 'DATAFORTH CORPORATION', 4: 'Harbor Dental Care LLC' };

beforeAll(async () => {
  fake = await startFakeSyncro({ rateLimitPerMinute: null });
  fake.addTenant('acme', { tokens: [{ token }], customers: 5, customerNames: names });
  syncro = createSyncroPlugin({ pageTimeoutMs: 1_500, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  w = await createCatalogWorld({ plugins: [syncro], env: { SYNCRO_BASE_URL: fake.baseUrl } });
  await startJobWorkers(w.server.deps);
  const res = await w.request('POST', '/api/integrations/syncro/configure', w.a.admin, { settings: { subdomain: 'acme', api_token: token } });
  expect(res.statusCode, res.body).toBe(201);
}, 60_000);
afterAll(async () => {
  await w?.close();
  await syncro?.close();
  await fake?.close();
});

async function discover(): Promise<DiscoveryRun> {
  expect((await w.request('POST', '/api/integrations/syncro/discovery', w.a.admin)).statusCode).toBe(202);
  for (let i = 0; i < 300; i++) {
    const { run } = (await w.request('GET', '/api/integrations/syncro/discovery', w.a.admin)).json() as { run: DiscoveryRun };
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('discovery did not finish');
}

const suggest = (body: object = {}) => w.request('POST', '/api/integrations/syncro/mappings/suggest', w.a.tech, body);
const newClient = async (name: string) => ((await w.request('POST', '/api/clients', w.a.admin, { name })).json() as { id: number }).id;
const mappingsOf = async (url: string) => ((await w.request('GET', url, w.a.tech)).json() as { items: Mapping[] }).items;

describe('suggestions from the latest discovery snapshot', () => {
  it('is a 409 "Discover organizations first" before any discovery, then suggests from the snapshot', async () => {
    const dataforth = await newClient('Dataforth Corp.');
    const harbor = await newClient('Harbor Dental');
    await newClient('Nobody At The Vendor');

    const before = await suggest();
    expect(before.statusCode).toBe(409);
    expect(before.json().error.message).toMatch(/^Discover organizations first/);
    // An integration that cannot discover needs the organizations in the body: a field error.
    const undiscoverable = await w.request('POST', '/api/integrations/testvendor/mappings/suggest', w.a.tech, {});
    expect(undiscoverable.statusCode).toBe(400);
    expect(Object.keys(undiscoverable.json().error.fields)).toEqual(['organizations']);
    // Organizations given by the caller still work without a snapshot.
    expect((await suggest({ organizations: [{ id: 'x', name: 'dataforth' }] })).json().items).toEqual([{ clientId: dataforth, externalOrgId: 'x', score: 1, kind: 'preselect' }]);

    expect((await discover()).status).toBe('succeeded');
    const items = (await suggest()).json().items as Suggestion[];
    expect(items[0]).toEqual({ clientId: dataforth, externalOrgId: '2', score: 1, kind: 'preselect' });
    expect(items.find((s) => s.externalOrgId === '4')).toMatchObject({ clientId: harbor, kind: 'review' });
    expect(items.every((s) => s.clientId === dataforth || s.clientId === harbor)).toBe(true);

    // Once mapped, neither the organization nor the client is suggested again.
    await w.request('POST', '/api/integrations/syncro/mappings', w.a.admin, { clientId: dataforth, externalOrgId: '2', externalOrgName: names[2] });
    const after = (await suggest()).json().items as Suggestion[];
    expect(after.some((s) => s.clientId === dataforth || s.externalOrgId === '2')).toBe(false);
  });
});

describe('mappings missing at the vendor', () => {
  it('flags them on both lists, keeps them, and turns the health Degraded with the count everywhere', async () => {
    const [dataforth, harbor] = ((await w.request('GET', '/api/clients', w.a.admin)).json() as { items: { id: number; name: string }[] }).items
      .filter((c) => c.name !== 'Nobody At The Vendor')
      .map((c) => c.id);
    await w.request('POST', '/api/integrations/syncro/mappings/apply', w.a.admin, {
      create: [
        { clientId: harbor, externalOrgId: '4', externalOrgName: names[4] },
        { clientId: harbor, externalOrgId: '5', externalOrgName: 'Customer 5 Ltd' },
        { clientId: dataforth, externalOrgId: '1', externalOrgName: 'Customer 1 Ltd' },
      ],
    });
    expect((await mappingsOf('/api/integrations/syncro/mappings')).every((m) => !m.missingAtVendor)).toBe(true);
    const healthy = await w.request('POST', '/api/integrations/syncro/test', w.a.admin);
    expect(healthy.json()).toMatchObject({ health: 'ok' });

    // The vendor loses customers 4 and 5 (only 1..3 remain). The run brings the next scheduled
    // check forward (the test above had postponed it by an interval).
    const nextCheck = async () =>
      (await w.server.deps.db.pool.query(`SELECT next_check_at <= now() AS due FROM integration_health_schedule WHERE partner_id = $1 AND integration_key = 'syncro'`, [w.a.id])).rows[0]?.due;
    expect(await nextCheck()).toBe(false);
    fake.addTenant('acme', { tokens: [{ token }], customers: 3, customerNames: names });
    expect((await discover()).status).toBe('succeeded');
    expect(await nextCheck()).toBe(true);

    const byKey = await mappingsOf('/api/integrations/syncro/mappings');
    const flags = byKey.map((m) => [m.externalOrgId, m.missingAtVendor]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(flags).toEqual([['1', false], ['2', false], ['4', true], ['5', true]]);
    expect((await mappingsOf(`/api/clients/${harbor}/mappings`)).map((m) => [m.externalOrgId, m.missingAtVendor])).toEqual([['4', true], ['5', true]]);
    const dev = await w.request('GET', `/api/dev/partners/${w.a.id}/integrations/syncro/mappings`, w.dev.admin);
    expect((dev.json() as { items: Mapping[] }).items.filter((m) => m.missingAtVendor).map((m) => m.externalOrgId).sort()).toEqual(['4', '5']);

    const tested = await w.request('POST', '/api/integrations/syncro/test', w.a.admin);
    expect(tested.json()).toMatchObject({ health: 'degraded', message: '2 mapped organizations are missing at the vendor', detail: { state: { status: 'Active', health: 'degraded' } } });
    const detail = (await w.request('GET', '/api/integrations/syncro', w.a.tech)).json();
    expect(detail).toMatchObject({ state: { status: 'Active', health: 'degraded', errorMessage: '2 mapped organizations are missing at the vendor' } });
    const fleet = (await w.request('GET', '/api/dev/fleet', w.dev.admin)).json() as Fleet;
    expect(fleet.rows.find((r) => r.partnerId === w.a.id)?.cells.syncro).toMatchObject({ health: 'degraded', message: '2 mapped organizations are missing at the vendor' });
    // Never deleted silently: both mappings are still there.
    const stored = await w.server.deps.db.pool.query(`SELECT external_org_id FROM integration_mappings WHERE partner_id = $1 AND integration_key = 'syncro' ORDER BY external_org_id`, [w.a.id]);
    expect(stored.rows.map((r) => r.external_org_id)).toEqual(['1', '2', '4', '5']);

    // Unmapping one lowers the count; unmapping both makes the next check Ok again.
    await w.request('DELETE', '/api/integrations/syncro/mappings/4', w.a.admin);
    expect((await w.request('POST', '/api/integrations/syncro/test', w.a.admin)).json()).toMatchObject({ health: 'degraded', message: '1 mapped organization is missing at the vendor' });
    await w.request('DELETE', '/api/integrations/syncro/mappings/5', w.a.admin);
    expect((await w.request('POST', '/api/integrations/syncro/test', w.a.admin)).json()).toMatchObject({ health: 'ok', message: null });
  }, 60_000);

  it('leaves an Error as it is and adds the count to a Degraded message', () => {
    expect(foldMissing({ status: 'error', message: 'Unauthorized' }, 3)).toEqual({ status: 'error', message: 'Unauthorized' });
    expect(foldMissing({ status: 'degraded', message: 'Slow' }, 2)).toEqual({ status: 'degraded', message: 'Slow; 2 mapped organizations are missing at the vendor' });
    expect(foldMissing({ status: 'ok' }, 0)).toEqual({ status: 'ok' });
  });
});
