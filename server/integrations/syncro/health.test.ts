import { randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import type { PluginSettings } from '../types.js';
import { syncroExamples } from './examples.js';
import { startFakeSyncro, type FakeSyncro } from './fakeServer.js';
import { createSyncroPlugin } from './index.js';

// "Active" is what the catalog makes of an ok or degraded HealthResult; the catalog service is
// not on this branch, so these tests assert the HealthResult the plugin returns.

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const goodToken = secret('syn_good_');
const partialToken = secret('syn_part_');
const otherToken = secret('syn_other_');
const wrongToken = secret('syn_wrong_');
const logs = captureLogs('trace');

let fake: FakeSyncro;
// Syncro's own 170/min would make this file wait on the limiter; it has tests of its own (client.test.ts).
const fast = { rateLimit: { perMinute: 6_000, burst: 100 }, retry: { baseDelayMs: 50, maxDelayMs: 200 } };
const plugin = createSyncroPlugin({ checkTimeoutMs: 2_500, http: { ...fast, requestTimeoutMs: 1_000, maxResponseBytes: 256 * 1024 } });

function check(settings: PluginSettings, signal?: AbortSignal, target = plugin) {
  return target.healthCheck(pluginContext({ settings, log: logs.log, env: { SYNCRO_BASE_URL: fake.baseUrl }, signal }));
}
const northwind = { subdomain: 'northwind', api_token: goodToken };

beforeAll(async () => {
  fake = await startFakeSyncro();
  fake.addTenant('northwind', { tokens: [{ token: goodToken }] });
  fake.addTenant('contoso', { tokens: [{ token: partialToken, permissions: ['Customers - List/Search'] }] });
  fake.addTenant('fabrikam', { tokens: [{ token: otherToken }] });
});
afterEach(() => {
  fake.resetFaults();
  fake.resetCounts();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Syncro health check against the fake', () => {
  it('valid credentials: Ok (Active), after /me and one page each of customers and tickets', async () => {
    await expect(check(northwind)).resolves.toEqual({ status: 'ok', message: 'Connected to northwind: customers and tickets are readable' });
    expect([fake.requestCount({ path: '/me' }), fake.requestCount({ path: '/customers' }), fake.requestCount({ path: '/tickets' })]).toEqual([1, 1, 1]);
    expect(fake.requestCount({ tenant: 'northwind' })).toBe(3);
  });

  it('a bad token: Error "Syncro rejected the API token"', async () => {
    await expect(check({ ...northwind, api_token: wrongToken })).resolves.toEqual({ status: 'error', message: 'Syncro rejected the API token' });
    fake.setFaults({ badCredentials: true }, 'northwind');
    await expect(check(northwind)).resolves.toEqual({ status: 'error', message: 'Syncro rejected the API token' });
    // Another account's token is not valid here either.
    await expect(check({ ...northwind, api_token: otherToken })).resolves.toMatchObject({ status: 'error' });
  });

  it('an unknown subdomain: Error naming it', async () => {
    await expect(check({ subdomain: 'northwynd', api_token: goodToken })).resolves.toEqual({
      status: 'error',
      message: 'No Syncro account was found at the subdomain "northwynd"; check the subdomain',
    });
  });

  it('an unknown subdomain on the real host form (no DNS record): the same Error', async () => {
    // Stage the resolver's answer for *.syncromsp.com; nothing else is replaced.
    const noSuchHost = new Agent({
      connect: { lookup: (_host, _options, callback) => callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), '') },
    });
    const offline = createSyncroPlugin({ http: { dispatcher: noSuchHost } });
    const result = await offline.healthCheck(pluginContext({ settings: { subdomain: 'nosuchmsp', api_token: goodToken }, log: logs.log }));
    expect(result).toEqual({ status: 'error', message: 'No Syncro account was found at the subdomain "nosuchmsp"; check the subdomain' });
    await noSuchHost.close();
  });

  it('a token lacking a permission the integration uses: Degraded naming it', async () => {
    await expect(check({ subdomain: 'contoso', api_token: partialToken })).resolves.toEqual({
      status: 'degraded',
      message: 'The Syncro API token is missing the permission "Tickets - List/Search"; add it under Admin › API Tokens',
    });
    fake.setFaults({ missingPermissions: ['Customers - List/Search', 'Tickets - List/Search'] }, 'northwind');
    const both = await check(northwind);
    expect(both.status).toBe('degraded');
    expect(both.message).toContain('permissions "Customers - List/Search" and "Tickets - List/Search"');
  });

  it('a token refused a list after /me accepted it (Syncro: 401 "group permissions"): Degraded, not "rejected"', async () => {
    // The fake refuses exactly as Syncro's document does; a 403 (one guide's claim) reads the same.
    fake.setFaults({ missingPermissions: ['Customers - List/Search'] }, 'northwind');
    const degraded = { status: 'degraded', message: 'The Syncro API token is missing the permission "Customers - List/Search"; add it under Admin › API Tokens' };
    await expect(check(northwind)).resolves.toEqual(degraded);
    expect(fake.requestCount({ path: '/me', tenant: 'northwind' })).toBe(1);
  });

  /** A health check against a server answering only the given documented bodies, for the subdomain "acme". */
  async function replayCheck(answers: Parameters<typeof startReplayServer>[0]) {
    const replay = await startReplayServer(answers);
    try {
      const env = { SYNCRO_BASE_URL: `${replay.origin}/{subdomain}/api/v1` };
      const result = await plugin.healthCheck(pluginContext({ settings: { subdomain: 'acme', api_token: goodToken }, log: logs.log, env }));
      return { result, received: replay.received };
    } finally {
      await replay.close();
    }
  }

  it("replays Syncro's documented bodies: customers as published, tickets refused with the published 401: Degraded", async () => {
    const { result } = await replayCheck({
      'GET /acme/api/v1/me': { status: 200, json: { user_id: 7 } },
      'GET /acme/api/v1/customers': { status: 200, json: syncroExamples.customers },
      'GET /acme/api/v1/tickets': { status: 401, json: syncroExamples.permissionDenied },
    });
    expect(result).toEqual({ status: 'degraded', message: 'The Syncro API token is missing the permission "Tickets - List/Search"; add it under Admin › API Tokens' });
  });

  it('the same 401 on /me, before anything proved the token: Error, nothing else asked', async () => {
    const { result, received } = await replayCheck({ 'GET /acme/api/v1/me': { status: 401, json: syncroExamples.permissionDenied } });
    expect(result).toEqual({ status: 'error', message: 'Syncro rejected the API token' });
    expect(received).toEqual(['GET /acme/api/v1/me']);
  });

  it('429 with Retry-After, then success: retried after the wait, Ok', async () => {
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 1 } }, 'northwind');
    const started = Date.now();
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
    const elapsed = Date.now() - started;
    expect(fake.requestCount({ path: '/me' })).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(logs.text()).toMatch(/"status":429[^\n]*"retryInMs":1000/);
  });

  it('429 that does not stop: Degraded with the vendor message, after the configured attempts', async () => {
    fake.setFaults({ rateLimited: { times: 100 } }, 'northwind');
    await expect(check(northwind)).resolves.toEqual({ status: 'degraded', message: 'Syncro is rate limiting requests (HTTP 429): Rate limit exceeded' });
    expect(fake.requestCount({ path: '/me' })).toBe(3);
  });

  it('429 asking for a longer wait than a check may take: Degraded at once, no waiting', async () => {
    fake.setFaults({ rateLimited: { times: 100, retryAfterSeconds: 120 } }, 'northwind');
    const started = Date.now();
    const result = await check(northwind);
    expect(result).toEqual({ status: 'degraded', message: 'Syncro is rate limiting requests (HTTP 429, retry after 120 s): Rate limit exceeded' });
    expect(fake.requestCount({ path: '/me' })).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('5xx: retried; a passing outage is Ok, a lasting one Degraded with the vendor message', async () => {
    fake.setFaults({ serverError: { times: 1, status: 502 } }, 'northwind');
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
    fake.setFaults({ serverError: { times: 100, status: 503 } }, 'northwind');
    await expect(check(northwind)).resolves.toEqual({ status: 'degraded', message: 'Syncro is having trouble (HTTP 503): Service Unavailable' });
  });

  it('a slow vendor within the timeout is still Ok', async () => {
    fake.setFaults({ delayMs: 300 }, 'northwind');
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
  });

  it('a hanging vendor: bounded by the timeout, Degraded, and other checks are not held up', async () => {
    fake.setFaults({ hang: true }, 'northwind');
    const started = Date.now();
    let otherDoneAt = 0;
    const [hanging, other] = await Promise.all([
      check(northwind),
      check({ subdomain: 'fabrikam', api_token: otherToken }).then((r) => {
        otherDoneAt = Date.now();
        return r;
      }),
    ]);
    const doneAt = Date.now();
    expect(hanging).toEqual({ status: 'degraded', message: 'Syncro did not answer within 1 s' });
    expect(other).toMatchObject({ status: 'ok' });
    expect(otherDoneAt).toBeLessThan(doneAt);
    expect(doneAt - started).toBeLessThan(2_500);
  });

  it('the whole check is bounded too, whatever the per-request timeout', async () => {
    const strict = createSyncroPlugin({ checkTimeoutMs: 800, http: { ...fast, requestTimeoutMs: 5_000 } });
    fake.setFaults({ hang: true }, 'northwind');
    await expect(check(northwind, undefined, strict)).resolves.toEqual({ status: 'degraded', message: 'Syncro did not answer within 0.8 s' });
    await strict.close();
  });

  it('a check cancelled by the caller (server stopping) ends at once', async () => {
    fake.setFaults({ hang: true }, 'northwind');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(check(northwind, controller.signal)).resolves.toEqual({ status: 'degraded', message: 'The Syncro check was cancelled before it finished' });
  });

  it('malformed JSON: Error, no crash, and the next check is fine', async () => {
    fake.setFaults({ malformedJson: true }, 'northwind');
    await expect(check(northwind)).resolves.toEqual({
      status: 'error',
      message: 'Syncro sent an answer to GET /me that could not be read (not valid JSON); check that "northwind" is your Syncro subdomain',
    });
    fake.resetFaults();
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
  });

  it('a huge body: cut off at the size cap, Error', async () => {
    const total = 64 * 1024 * 1024;
    fake.setFaults({ hugeBodyBytes: total, paths: ['/customers'] }, 'northwind');
    await expect(check(northwind)).resolves.toEqual({ status: 'error', message: "Syncro's answer to GET /customers was larger than 256 KiB and was cut off" });
    expect(fake.hugeBytesSent).toBeGreaterThan(256 * 1024);
    expect(fake.hugeBytesSent).toBeLessThan(total / 4);
  });
});

describe('Syncro logs', () => {
  it('never contain a token, yet record the calls', () => {
    const text = logs.text();
    expect(text).toContain('"vendor":"Syncro"');
    expect(text).toContain('"operation":"GET /me"');
    for (const token of [goodToken, partialToken, otherToken, wrongToken]) expect(text).not.toContain(token);
    expect(text).not.toMatch(/bearer|authorization|api_key/i);
  });
});
