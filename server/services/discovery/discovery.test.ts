import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryRun, SnapshotPage } from '../../../shared/integrations/discovery.js';
import { startFakeMsp360, type FakeMsp360 } from '../../integrations/msp360/fakeServer.js';
import { createMsp360Plugin, type Msp360Plugin } from '../../integrations/msp360/index.js';
import { startFakeSyncro, type FakeSyncro } from '../../integrations/syncro/fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../../integrations/syncro/index.js';
import { startJobWorkers } from '../../jobs/workers.js';
import { createCatalogWorld, type CatalogWorld, type WorldUser } from '../../test/catalogWorld.js';

/**
 * Discovery end to end: the router queues a job on the real pg-boss, a worker of this process
 * walks the fake vendor through the real plugin, and the snapshot lands in PostgreSQL.
 */
const token = 'discovery-test-token-0001';
const msp = { login: 'discovery-api', password: 'discovery-password' };
let w: CatalogWorld;
let syncroFake: FakeSyncro;
let mspFake: FakeMsp360;
let syncro: SyncroPlugin;
let msp360: Msp360Plugin;

beforeAll(async () => {
  syncroFake = await startFakeSyncro({ rateLimitPerMinute: null });
  syncroFake.addTenant('large', { tokens: [{ token }], customers: 1_500 });
  mspFake = await startFakeMsp360();
  mspFake.addAccount({ login: msp.login, password: msp.password, companies: 1_500 });
  const http = { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } };
  syncro = createSyncroPlugin({ pageTimeoutMs: 1_500, http });
  msp360 = createMsp360Plugin({ checkTimeoutMs: 3_000, http });
  w = await createCatalogWorld({ plugins: [syncro, msp360], env: { SYNCRO_BASE_URL: syncroFake.baseUrl, MSP360_BASE_URL: mspFake.baseUrl } });
  await startJobWorkers(w.server.deps);
  for (const [key, settings] of [['syncro', { subdomain: 'large', api_token: token }], ['msp360', { api_login: msp.login, api_password: msp.password }]] as const) {
    const res = await w.request('POST', `/api/integrations/${key}/configure`, w.a.admin, { settings });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await w?.close();
  await syncro?.close();
  await msp360?.close();
  await syncroFake?.close();
  await mspFake?.close();
});

async function start(key: string, who: WorldUser = w.a.admin): Promise<{ run: DiscoveryRun; started: boolean }> {
  const res = await w.request('POST', `/api/integrations/${key}/discovery`, who);
  expect(res.statusCode, res.body).toBe(202);
  return res.json();
}

async function status(key: string): Promise<DiscoveryRun> {
  const res = await w.request('GET', `/api/integrations/${key}/discovery`, w.a.admin);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { run: DiscoveryRun }).run;
}

/** Polls the run until it ends, keeping every progress reading seen on the way. */
async function finished(key: string, seen: DiscoveryRun[] = []): Promise<DiscoveryRun> {
  for (let i = 0; i < 300; i++) {
    const run = await status(key);
    seen.push(run);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('discovery did not finish');
}

async function snapshot(key: string, query = ''): Promise<SnapshotPage> {
  const res = await w.request('GET', `/api/integrations/${key}/organizations${query}`, w.a.admin);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function allItems(key: string, query = '') {
  const items = [];
  let cursor: string | null = null;
  do {
    const page: SnapshotPage = await snapshot(key, `?limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const auditRows = async (key: string) =>
  (await w.server.deps.db.pool.query(`SELECT details FROM integration_audit_logs WHERE partner_id = $1 AND integration_key = $2 AND action = 'discovered' ORDER BY id`, [w.a.id, key])).rows;

describe('discovery', () => {
  it('discovers 1,500 Syncro customers in a background job with progress, and stores the snapshot', async () => {
    syncroFake.setFaults({ delayMs: 10 }, 'large');
    const first = await start('syncro');
    expect(first).toMatchObject({ started: true, run: { status: 'queued', pagesDone: 0, requestedBy: expect.any(String) } });
    // A second start while it runs returns the same run.
    expect(await start('syncro')).toMatchObject({ started: false, run: { id: first.run.id } });
    const seen: DiscoveryRun[] = [];
    const done = await finished('syncro', seen);
    syncroFake.resetFaults();
    expect(done).toMatchObject({ id: first.run.id, status: 'succeeded', pagesDone: 60, totalPages: 60, organizationsSeen: 1_500, error: null });
    expect(done.counts).toEqual({ organizations: 1_500, new: 1_500, renamed: 0, gone: 0 });
    // Progress was readable while it ran: some reading between the first page and the last.
    expect(seen.some((r) => r.status === 'running' && r.pagesDone > 0 && r.pagesDone < 60 && r.totalPages === 60)).toBe(true);

    const page = await snapshot('syncro', '?limit=2');
    expect(page.snapshot).toMatchObject({ runId: first.run.id, previousTakenAt: null, counts: done.counts });
    expect(page.items).toEqual([
      { id: '1', name: 'Customer 1 Ltd', url: `${syncroFake.origin}/large/customers/1`, change: 'new', previousName: null },
      { id: '10', name: 'Customer 10 Ltd', url: `${syncroFake.origin}/large/customers/10`, change: 'new', previousName: null },
    ]);
    const items = await allItems('syncro');
    expect(new Set(items.map((i) => i.id)).size).toBe(1_500);
    expect((await snapshot('syncro', '?q=customer%201499')).items.map((i) => i.id)).toEqual(['1499']);
    expect(await auditRows('syncro')).toEqual([{ details: { discovery: { runId: first.run.id, outcome: 'succeeded', pages: 60, organizations: 1_500, new: 1_500, renamed: 0, gone: 0 } } }]);
  });

  it('reports what is new, renamed and gone against the previous snapshot', async () => {
    const before = (await snapshot('syncro')).snapshot;
    syncroFake.addTenant('large', { tokens: [{ token }], customers: 1_490, customerNames: { 7: 'Dataforth Corporation' } });
    const { run } = await start('syncro');
    const done = await finished('syncro');
    expect(done).toMatchObject({ id: run.id, status: 'succeeded', counts: { organizations: 1_490, new: 0, renamed: 1, gone: 10 } });
    const page = await snapshot('syncro', '?change=renamed');
    expect(page.snapshot?.previousTakenAt).toBe(before?.takenAt);
    expect(page.items).toMatchObject([{ id: '7', name: 'Dataforth Corporation', previousName: 'Customer 7 Ltd', change: 'renamed' }]);
    expect((await allItems('syncro', '&change=gone')).map((i) => i.id).sort()).toEqual(['1491', '1492', '1493', '1494', '1495', '1496', '1497', '1498', '1499', '1500']);
    expect(await allItems('syncro')).toHaveLength(1_490);

    // Back to 1,500: the ten are new again, and the gone list is the previous run's no more.
    syncroFake.addTenant('large', { tokens: [{ token }], customers: 1_500, customerNames: { 7: 'Dataforth Corporation' } });
    await start('syncro');
    expect((await finished('syncro')).counts).toEqual({ organizations: 1_500, new: 10, renamed: 0, gone: 0 });
  });

  it("fails with the vendor's reason and leaves the previous snapshot untouched, even after some pages", async () => {
    const rows = async () => (await w.server.deps.db.pool.query(`SELECT external_id, name, change FROM organization_snapshot_items WHERE partner_id = $1 AND integration_key = 'syncro' ORDER BY external_id`, [w.a.id])).rows;
    const before = { header: (await snapshot('syncro')).snapshot, items: await rows() };
    const cases = [
      { faults: { badCredentials: true }, message: /^Syncro refused the customer list \(HTTP 401\): Unauthorized\. Check the API token/ },
      { faults: { serverError: { times: 1_000, status: 503 } }, message: /^Syncro is having trouble \(HTTP 503\): Service Unavailable$/ },
      { faults: { rateLimited: { times: 1_000, retryAfterSeconds: 120 } }, message: /^Syncro is rate limiting requests \(HTTP 429, retry after 120 s\): Rate limit exceeded$/ },
      { faults: { malformedJson: true }, message: /^Syncro sent an answer to GET \/customers that could not be read \(not valid JSON\)$/ },
      { faults: { hang: true }, message: /^Syncro did not answer within 1\.5 s$/ },
    ];
    for (const { faults, message } of cases) {
      syncroFake.setFaults(faults, 'large');
      await start('syncro');
      const failed = await finished('syncro');
      syncroFake.resetFaults();
      expect(failed.status, JSON.stringify(failed)).toBe('failed');
      expect(failed.error).toMatch(message);
      expect(failed.counts).toBeNull();
      expect((await snapshot('syncro')).snapshot).toEqual(before.header);
    }

    // Refused half-way through the walk: pages were read, nothing of them is kept.
    syncroFake.setFaults({ delayMs: 15 }, 'large');
    await start('syncro');
    for (let i = 0; i < 200 && (await status('syncro')).pagesDone < 5; i++) await new Promise((r) => setTimeout(r, 20));
    syncroFake.setFaults({ badCredentials: true, delayMs: 0 }, 'large');
    const failed = await finished('syncro');
    syncroFake.resetFaults();
    expect(failed).toMatchObject({ status: 'failed', totalPages: 60 });
    expect(failed.pagesDone).toBeGreaterThanOrEqual(5);
    expect(failed.pagesDone).toBeLessThan(60);
    expect((await snapshot('syncro')).snapshot).toEqual(before.header);
    expect(await rows()).toEqual(before.items);
    const audit = await auditRows('syncro');
    expect(audit.at(-1)).toEqual({ details: { message: failed.error, discovery: { runId: failed.id, outcome: 'failed', pages: failed.pagesDone, organizations: failed.organizationsSeen, new: 0, renamed: 0, gone: 0 } } });
  }, 60_000);

  it('discovers 1,500 MSP360 companies in one page (GET /api/Companies is not paged)', async () => {
    await start('msp360');
    const done = await finished('msp360');
    expect(done).toMatchObject({ status: 'succeeded', pagesDone: 1, totalPages: 1, counts: { organizations: 1_500, new: 1_500, renamed: 0, gone: 0 } });
    expect((await snapshot('msp360', '?limit=1')).items).toEqual([{ id: '00000001-0000-4000-8000-000000000001', name: 'Company 1', change: 'new', previousName: null }]);
  });

  it('replaces a run whose worker died (no heartbeat for longer than an attempt may take), ending it with a reason', async () => {
    const pool = w.server.deps.db.pool;
    // A run left "running" by a worker that is gone: no job of it remains in the queue.
    const { rows } = await pool.query(
      `INSERT INTO discovery_runs (partner_id, integration_key, status, actor, heartbeat_at) VALUES ($1, 'msp360', 'running', 'ghost', now() - interval '1 hour') RETURNING id`,
      [w.a.id],
    );
    const ghost = rows[0].id as number;
    const { run, started } = await start('msp360');
    expect(started).toBe(true);
    expect(run.id).not.toBe(ghost);
    expect(await finished('msp360')).toMatchObject({ id: run.id, status: 'succeeded' });
    const ended = (await w.request('GET', `/api/integrations/msp360/discovery?runId=${ghost}`, w.a.admin)).json() as { run: DiscoveryRun };
    expect(ended.run).toMatchObject({ status: 'failed', error: 'The discovery was interrupted (its worker stopped) and was replaced by a new one' });
  });

  it('refuses what it cannot do: 404 unknown or unconfigured, 400 without the capability, 403 technicians', async () => {
    const answers = async (method: string, url: string, who: WorldUser = w.a.admin) => {
      const res = await w.request(method, url, who);
      return { status: res.statusCode, error: (res.json() as { error?: { code: string; fields?: Record<string, string[]> } }).error };
    };
    expect(await answers('POST', '/api/integrations/nosuch/discovery')).toMatchObject({ status: 404 });
    expect(await answers('POST', '/api/integrations/syncro/discovery', w.b.admin)).toMatchObject({ status: 404, error: { code: 'NOT_FOUND' } });
    expect(await answers('POST', '/api/integrations/testvendor/discovery')).toMatchObject({ status: 400, error: { fields: { key: ['Test Vendor does not support discovery'] } } });
    expect(await answers('POST', '/api/integrations/syncro/discovery', w.a.tech)).toMatchObject({ status: 403 });
    expect(await answers('GET', '/api/integrations/syncro/organizations?limit=0')).toMatchObject({ status: 400, error: { fields: { limit: [expect.any(String)] } } });
    expect(await answers('GET', '/api/integrations/syncro/organizations?cursor=bm90LWEtY3Vyc29y')).toMatchObject({ status: 400, error: { fields: { cursor: ['Not a cursor from a previous page'] } } });
    expect(await answers('GET', '/api/integrations/syncro/organizations?change=vanished')).toMatchObject({ status: 400, error: { fields: { change: [expect.any(String)] } } });
    expect(await answers('GET', '/api/integrations/syncro/discovery?runId=999999')).toMatchObject({ status: 404 });
    const runsBefore = (await w.server.deps.db.pool.query('SELECT count(*)::int AS n FROM discovery_runs')).rows;
    const surprise = await w.request('POST', '/api/integrations/syncro/discovery', w.a.admin, { surprise: 1 });
    expect(surprise.statusCode).toBe(400);
    expect(await answers('GET', '/api/integrations/syncro/discovery?runId=abc')).toMatchObject({ status: 400, error: { fields: { runId: [expect.any(String)] } } });
    expect(await answers('GET', '/api/dev/partners/abc/integrations/syncro/organizations', w.dev.admin)).toMatchObject({ status: 400, error: { fields: { partnerId: [expect.any(String)] } } });
    expect(await answers('GET', '/api/dev/partners/999999/integrations/syncro/discovery', w.dev.admin)).toMatchObject({ status: 404 });
    expect((await w.server.deps.db.pool.query('SELECT count(*)::int AS n FROM discovery_runs')).rows).toEqual(runsBefore);
    // A partner that never ran one reads "nothing yet", not an error.
    const b = await w.request('GET', '/api/integrations/syncro/organizations', w.b.admin);
    expect(b.json()).toEqual({ snapshot: null, items: [], nextCursor: null });
  });
});
