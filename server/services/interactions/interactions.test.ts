import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withInteraction } from '../../integrations/http/interactionScope.js';
import { startFakeMsp360, type FakeMsp360 } from '../../integrations/msp360/fakeServer.js';
import { createMsp360Plugin, type Msp360Plugin } from '../../integrations/msp360/index.js';
import { pluginContext } from '../../integrations/test/pluginContext.js';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';
import { captureLogs } from '../../test/logCapture.js';
import { startJobWorkers } from '../../jobs/workers.js';
import { createHealthScheduler } from '../health/scheduler.js';
import { pruneInteractionLog } from './prune.js';
import { createInteractionLog } from './writer.js';

// The interaction log end to end: MSP360's fake behind "Test connection", the real vendor
// client, the writer and PostgreSQL, read back through the REST API.

const password = `pw_${randomBytes(12).toString('hex')}`;
let fake: FakeMsp360;
let plugin: Msp360Plugin;
let w: CatalogWorld;
const rows = async (sql: string, params: unknown[] = []) => (await w.server.deps.db.pool.query(sql, params)).rows;
const body = <T>(res: { json(): unknown }) => res.json() as T;

type Page = { items: { id: number; actionId: string; method: string; path: string; status: number | null; outcome: string; user: string; userId: number | null; retries: number }[]; nextCursor: string | null };
type Detail = Page['items'][number] & { requestBody: unknown; responseBody: unknown; requestTruncated: boolean };

beforeAll(async () => {
  fake = await startFakeMsp360({ rateLimitPerMinute: null });
  fake.addAccount({ login: 'acme-api', password, companies: 2 });
  plugin = createMsp360Plugin({ checkTimeoutMs: 3_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  w = await createCatalogWorld({ plugins: [plugin], env: { MSP360_BASE_URL: fake.baseUrl } });
  const configured = await w.request('POST', '/api/integrations/msp360/configure', w.a.admin, { settings: { api_login: 'acme-api', api_password: password } });
  expect(configured.statusCode).toBe(201);
}, 60_000);
afterAll(async () => {
  await w?.close();
  await plugin?.close();
  await fake?.close();
});

describe('interaction log', () => {
  it('records each call of a Test connection, by its user, with the login password and token redacted', async () => {
    expect((await w.request('POST', '/api/integrations/msp360/test', w.a.admin, {})).statusCode).toBe(200);
    await w.server.interactionLog.flush();
    const page = body<Page>(await w.request('GET', '/api/integrations/msp360/interactions', w.a.tech));
    const login = page.items.find((i) => i.path === '/api/Provider/Login');
    expect(login).toMatchObject({ actionId: 'health', method: 'POST', status: 200, outcome: 'ok', userId: w.a.admin.id, retries: 0 });
    expect(page.items.length).toBeGreaterThanOrEqual(2);
    // The list carries no bodies; the detail does, redacted.
    expect(JSON.stringify(page)).not.toContain('requestBody');
    const detail = body<Detail>(await w.request('GET', `/api/interactions/${login?.id}`, w.a.tech));
    expect(detail.requestBody).toEqual({ UserName: '[redacted]', Password: '[redacted]' });
    expect(detail.responseBody).toMatchObject({ access_token: '[redacted]' });
    // Neither the password nor any token MSP360 issued is anywhere in the table.
    const stored = JSON.stringify(await rows('SELECT * FROM interaction_log'));
    for (const secret of [password, ...fake.issuedTokens()]) expect(stored).not.toContain(secret);
    // A read keeps what the allow-list names: company names and ids.
    const companies = page.items.find((i) => i.path === '/api/Companies');
    const companiesDetail = body<Detail>(await w.request('GET', `/api/interactions/${companies?.id}`, w.a.admin));
    expect(JSON.stringify(companiesDetail.responseBody)).toMatch(/"Name":"[^[]/);
  });

  it('records a vendor error with its status, retries and the answer it sent, and filters by outcome and action', async () => {
    fake.setFaults({ serverError: { times: 3, status: 500 }, paths: ['/api/Companies'] });
    try {
      await w.request('POST', '/api/integrations/msp360/test', w.a.admin, {});
    } finally {
      fake.resetFaults();
    }
    await w.server.interactionLog.flush();
    const failed = body<Page>(await w.request('GET', '/api/integrations/msp360/interactions?outcome=vendor_error', w.a.admin));
    expect(failed.items.length).toBeGreaterThanOrEqual(1);
    expect(failed.items.every((i) => i.outcome === 'vendor_error')).toBe(true);
    expect(failed.items[0]).toMatchObject({ path: '/api/Companies', status: 500, retries: 2 });
    const detail = body<Detail>(await w.request('GET', `/api/interactions/${failed.items[0]?.id}`, w.a.admin));
    expect(detail.responseBody).not.toBeNull();
    const ok = body<Page>(await w.request('GET', '/api/integrations/msp360/interactions?outcome=ok', w.a.admin));
    expect(ok.items.length).toBeGreaterThan(0);
    expect(ok.items.every((i) => i.outcome === 'ok')).toBe(true);
    expect(body<Page>(await w.request('GET', '/api/integrations/msp360/interactions?actionId=syncro.tickets.comment', w.a.admin)).items).toEqual([]);
  });

  it('pages newest first with a keyset cursor, and answers bad filters with 400 and field messages', async () => {
    const all = body<Page>(await w.request('GET', '/api/integrations/msp360/interactions?limit=200', w.a.admin)).items;
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: Page = body<Page>(await w.request('GET', `/api/integrations/msp360/interactions?limit=2${cursor ? `&cursor=${cursor}` : ''}`, w.a.admin));
      seen.push(...res.items.map((i) => i.id));
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((i) => i.id));
    for (const query of ['outcome=maybe', 'limit=0', 'from=yesterday', 'cursor=abc', 'from=2026-12-06T10:00:00Z&to=2026-12-06T09:00:00Z']) {
      const res = await w.request('GET', `/api/integrations/msp360/interactions?${query}`, w.a.admin);
      expect(res.statusCode, query).toBe(400);
      expect(body<{ error: { fields?: object } }>(res).error.fields, query).toBeDefined();
    }
    expect((await w.request('GET', '/api/integrations/nope/interactions', w.a.admin)).statusCode).toBe(404);
    expect((await w.request('GET', '/api/interactions/999999', w.a.admin)).statusCode).toBe(404);
  });

  it('records the scheduled sweep as nobody\'s and a discovery as its starter\'s', async () => {
    const scheduler = createHealthScheduler(w.server.deps);
    await scheduler.sweep({ all: true });
    await scheduler.stop();
    await startJobWorkers(w.server.deps);
    expect((await w.request('POST', '/api/integrations/msp360/discovery', w.a.admin)).statusCode).toBe(202);
    for (let i = 0; i < 200; i++) {
      if ((await rows(`SELECT 1 FROM discovery_runs WHERE partner_id = $1 AND status IN ('queued', 'running')`, [w.a.id])).length === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await w.server.interactionLog.flush();
    const sweep = body<Page>(await w.request('GET', '/api/integrations/msp360/interactions?actionId=health&limit=200', w.a.admin)).items;
    // MSP360's session token is cached by now, so the sweep's calls are reads without a login.
    expect(sweep.some((i) => i.userId === null && i.user === 'System' && i.path === '/api/Companies')).toBe(true);
    const discovery = body<Page>(await w.request('GET', '/api/integrations/msp360/interactions?actionId=discovery', w.a.admin)).items;
    expect(discovery.length).toBeGreaterThan(0);
    expect(discovery.every((i) => i.userId === w.a.admin.id)).toBe(true);
    expect(discovery.some((i) => i.path === '/api/Companies')).toBe(true);
  });

  it('never lets the recorder break the call it describes', async () => {
    const ctx = pluginContext({ partnerId: 1, settings: { api_login: 'acme-api', api_password: password }, env: { MSP360_BASE_URL: fake.baseUrl }, log: captureLogs().log });
    const broken = { record: () => { throw new Error('recorder down'); } };
    const result = await withInteraction({ partnerId: 1, integrationKey: 'msp360', kind: 'health', actionId: 'health', userId: null, recorder: broken }, () => plugin.healthCheck(ctx));
    expect(result.status).toBe('ok');
  });

  it('bounds what waits: past maxPending entries are dropped, counted and warned about once', async () => {
    const logs = captureLogs('warn');
    const writer = createInteractionLog({ db: w.server.deps.db, log: logs.log, flushMs: 60_000, batchSize: 1_000, maxPending: 3 });
    const scope = { partnerId: w.a.id, integrationKey: 'msp360', kind: 'health', actionId: 'health', userId: null } as const;
    const entry = { vendor: 'MSP360', method: 'GET', path: '/api/Companies', host: 'h', status: 200, durationMs: 1, retries: 0, outcome: 'ok', secrets: [], startedAt: new Date() } as const;
    for (let i = 0; i < 6; i++) writer.record(scope, entry);
    expect(writer.stats()).toMatchObject({ pending: 3, dropped: 3 });
    expect(logs.lines.filter((l) => l.includes('interaction log is behind: entries dropped'))).toHaveLength(1);
    await writer.stop();
    expect(writer.stats()).toMatchObject({ pending: 0, written: 3 });
  });

  it('splits a large flush into INSERTs PostgreSQL accepts (65,535 parameters at most)', async () => {
    const writer = createInteractionLog({ db: w.server.deps.db, log: captureLogs().log, flushMs: 60_000, batchSize: 100_000, maxPending: 100_000 });
    const scope = { partnerId: w.b.id, integrationKey: 'msp360', kind: 'health', actionId: 'health', userId: null } as const;
    const entry = { vendor: 'MSP360', method: 'GET', path: '/bulk', host: 'h', status: 200, durationMs: 1, retries: 0, outcome: 'ok', secrets: [], startedAt: new Date() } as const;
    for (let i = 0; i < 3_500; i++) writer.record(scope, entry);
    await writer.stop();
    expect(writer.stats()).toMatchObject({ written: 3_500, failed: 0 });
    expect(Number((await rows(`SELECT count(*) AS n FROM interaction_log WHERE path = '/bulk'`))[0]?.n)).toBe(3_500);
  });

  it('keeps the rest of a batch when one row cannot be stored', async () => {
    const writer = createInteractionLog({ db: w.server.deps.db, log: captureLogs().log, flushMs: 60_000 });
    const scope = { partnerId: w.b.id, integrationKey: 'msp360', kind: 'health', actionId: 'health', userId: null } as const;
    const entry = { vendor: 'MSP360', method: 'GET', path: '/mixed', host: 'h', status: 200, durationMs: 1, retries: 0, outcome: 'ok', secrets: [], startedAt: new Date() } as const;
    writer.record(scope, entry);
    writer.record({ ...scope, userId: 987_654_321 }, entry); // no such user: the foreign key refuses it
    writer.record(scope, entry);
    await writer.stop();
    expect(writer.stats()).toMatchObject({ written: 2, failed: 1 });
    expect(Number((await rows(`SELECT count(*) AS n FROM interaction_log WHERE path = '/mixed'`))[0]?.n)).toBe(2);
  });

  it('prunes rows older than INTERACTION_LOG_RETENTION and keeps the rest', async () => {
    await rows(`INSERT INTO interaction_log (partner_id, integration_key, action_id, kind, method, path, host, duration_ms, outcome, at)
                VALUES ($1, 'msp360', 'health', 'health', 'GET', '/old', 'h', 1, 'ok', now() - interval '31 days')`, [w.a.id]);
    const before = Number((await rows('SELECT count(*) AS n FROM interaction_log'))[0]?.n);
    const deleted = await pruneInteractionLog(w.server.deps);
    expect(deleted).toBe(1);
    expect(Number((await rows('SELECT count(*) AS n FROM interaction_log'))[0]?.n)).toBe(before - 1);
    expect(await rows(`SELECT 1 FROM interaction_log WHERE path = '/old'`)).toEqual([]);
  });
});
