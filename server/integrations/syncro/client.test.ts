import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { startBudget } from '../http/budget.js';
import { createVendorClient } from '../http/vendorClient.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import type { PluginSettings } from '../types.js';
import { createSyncroApi, syncroRateLimit, type SyncroCall } from './client.js';
import { syncroExamples } from './examples.js';
import { startFakeSyncro, type FakeSyncro } from './fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from './index.js';
import { syncroBaseUrl } from './settings.js';

const logs = captureLogs('trace');
const token = 'syncro-client-test-token';
let fake: FakeSyncro;

beforeAll(async () => {
  // The fake's own per-address limit would refuse this file's bursts; its tests are its own.
  fake = await startFakeSyncro({ rateLimitPerMinute: null });
  for (const subdomain of ['northwind', 'fabrikam']) fake.addTenant(subdomain, { tokens: [{ token }] });
  fake.addTenant('pages', { tokens: [{ token }], customers: 57, tickets: 30 });
});
afterAll(async () => {
  await fake.close();
});

function callFor(baseUrl: URL): SyncroCall {
  return { baseUrl, token, budget: startBudget(new AbortController().signal, 5_000), log: logs.log, rateLimit: { perMinute: 600, burst: 10 } };
}

describe('Syncro client', () => {
  it('walks every page of a list by meta.total_pages, with or without total_entries and per_page', async () => {
    const http = createVendorClient({ vendor: 'Syncro', rateLimit: { perMinute: 600, burst: 10 } });
    const api = createSyncroApi(http);
    const call = callFor(syncroBaseUrl(fake.baseUrl, 'pages'));
    expect((await api.listAll(call, 'customers')).map((c) => c.id)).toEqual(Array.from({ length: 57 }, (_, i) => i + 1));
    expect(fake.requestCount({ path: '/customers', tenant: 'pages' })).toBe(3);
    // Tickets' meta is {total_pages, page} only, as Syncro publishes it.
    expect((await api.listAll(call, 'tickets')).map((t) => t.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await http.close();
  });

  it("reads Syncro's documented list examples as published", async () => {
    const replay = await startReplayServer({
      'GET /acme/api/v1/tickets': { status: 200, json: syncroExamples.tickets },
      'GET /acme/api/v1/customers': { status: 200, json: syncroExamples.customers },
    });
    const http = createVendorClient({ vendor: 'Syncro', rateLimit: { perMinute: 600, burst: 10 } });
    const api = createSyncroApi(http);
    const call = callFor(syncroBaseUrl(`${replay.origin}/{subdomain}/api/v1`, 'acme'));
    try {
      await expect(api.tickets(call)).resolves.toEqual({ items: syncroExamples.tickets.tickets, meta: { total_pages: 1, page: 1 } });
      await expect(api.listAll(call, 'customers')).resolves.toEqual(syncroExamples.customers.customers);
      expect(replay.received).toEqual(['GET /acme/api/v1/tickets', 'GET /acme/api/v1/customers']);
    } finally {
      await http.close();
      await replay.close();
    }
  });
});

describe('Syncro rate limit', () => {
  const check = (target: SyncroPlugin, settings: PluginSettings, env: Record<string, string> = {}) =>
    target.healthCheck(pluginContext({ settings, log: logs.log, env: { SYNCRO_BASE_URL: fake.baseUrl, ...env } }));

  it('keeps any 60 s window within the figure: 170 + 10 for 180, smaller shares alike', () => {
    expect(syncroRateLimit(180)).toEqual({ perMinute: 170, burst: 10 });
    expect(syncroRateLimit(60)).toEqual({ perMinute: 57, burst: 3 });
    expect(syncroRateLimit(2)).toEqual({ perMinute: 1, burst: 1 });
  });

  it('spaces requests, and a budget that cannot wait long enough is Degraded without asking Syncro', async () => {
    // 60/min with a burst of 1: one request now, the next after a second.
    const slow = createSyncroPlugin({ checkTimeoutMs: 1_500, http: { rateLimit: { perMinute: 60, burst: 1 } } });
    fake.resetCounts();
    const started = Date.now();
    const result = await check(slow, { subdomain: 'northwind', api_token: token });
    expect(result).toEqual({ status: 'degraded', message: "This server's request budget for Syncro is used up for the moment; the next check will try again" });
    // /me went out at once, a probe a second later; the third would have ended past the budget.
    expect(fake.requestCount({ tenant: 'northwind' })).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    await slow.close();
  });

  it('is one budget for every account (Syncro counts per source address), sized by SYNCRO_REQUESTS_PER_MINUTE', async () => {
    // 2 a minute: a burst of one, then one a minute. The first account's /me takes it.
    const shared = createSyncroPlugin({ checkTimeoutMs: 1_500 });
    const env = { SYNCRO_REQUESTS_PER_MINUTE: '2' };
    fake.resetCounts();
    await expect(check(shared, { subdomain: 'northwind', api_token: token }, env)).resolves.toMatchObject({ status: 'degraded' });
    // Another partner's account is not a separate budget: nothing at all is sent for it.
    await expect(check(shared, { subdomain: 'fabrikam', api_token: token }, env)).resolves.toEqual({
      status: 'degraded',
      message: "This server's request budget for Syncro is used up for the moment; the next check will try again",
    });
    expect([fake.requestCount({ tenant: 'northwind' }), fake.requestCount({ tenant: 'fabrikam' })]).toEqual([1, 0]);
    // The default share (180) is a bucket of its own, untouched by the setting above.
    await expect(check(shared, { subdomain: 'fabrikam', api_token: token })).resolves.toMatchObject({ status: 'ok' });
    await shared.close();
  });
});
