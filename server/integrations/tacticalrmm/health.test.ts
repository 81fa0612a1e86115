import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import type { ResolveAll } from '../netGuard.js';
import { pluginContext } from '../test/pluginContext.js';
import type { PluginSettings } from '../types.js';
import { startFakeTactical, type FakeTactical } from './fakeServer.js';
import { createTacticalPlugin } from './index.js';

const key = (prefix: string) => `${prefix}${randomBytes(12).toString('hex').toUpperCase()}`;
const goodKey = key('GOOD');
const limitedKey = key('LIMITED');
const otherKey = key('OTHER');
const expiredKey = key('EXPIRED');
const logs = captureLogs('trace');

/** Stages DNS: these names answer these addresses, nothing else resolves. */
const staged =
  (answers: Record<string, string>): ResolveAll =>
  async (hostname) => {
    const address = answers[hostname];
    if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };

let fake: FakeTactical;
const fast = { rateLimit: { perMinute: 6_000, burst: 100 }, retry: { baseDelayMs: 50, maxDelayMs: 200 }, requestTimeoutMs: 1_000 };
const resolve = staged({ 'api.northwind.test': '127.0.0.1', 'metadata.evil.test': '169.254.169.254' });
const plugin = createTacticalPlugin({ checkTimeoutMs: 2_500, http: { ...fast, resolve } });
const allowPrivate = { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' };

function check(settings: PluginSettings, env: Record<string, string> = allowPrivate, signal?: AbortSignal) {
  return plugin.healthCheck(pluginContext({ settings, log: logs.log, env, signal }));
}
let northwind: PluginSettings;

beforeAll(async () => {
  fake = await startFakeTactical();
  fake.addAccount({ key: goodKey, clients: [{ name: 'Harbor Dental Group', sites: ['Main', 'Annex'] }, { name: 'Bluewave Logistics' }] });
  fake.addAccount({ key: limitedKey });
  fake.addAccount({ key: otherKey });
  fake.addAccount({ key: expiredKey, expired: true });
  northwind = { api_url: fake.baseUrl, api_key: goodKey };
});
afterEach(() => {
  fake.resetFaults();
  fake.resetCounts();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Tactical RMM health check against the fake', () => {
  it('a good key: Ok with the release from dashinfo, after version, dashinfo and clients (with their slashes)', async () => {
    await expect(check(northwind)).resolves.toEqual({ status: 'ok', message: `Connected to Tactical RMM 1.5.1 at ${new URL(fake.baseUrl).host}: 2 clients readable` });
    expect([fake.requestCount({ path: '/core/version/' }), fake.requestCount({ path: '/core/dashinfo/' }), fake.requestCount({ path: '/clients/' })]).toEqual([1, 1, 1]);
    expect(fake.requestCount({ path: '/' })).toBe(0);
    expect(fake.requestCount()).toBe(3);
  });

  it('a stored URL with a trailing slash still calls the Django routes once each', async () => {
    await expect(check({ ...northwind, api_url: `${fake.baseUrl}/` })).resolves.toMatchObject({ status: 'ok' });
    expect(fake.requestCount({ path: '/core/version/' })).toBe(1);
  });

  it('an unknown key: Error with TRMM\'s words; an expired one says so', async () => {
    await expect(check({ ...northwind, api_key: key('WRONG') })).resolves.toEqual({ status: 'error', message: 'Tactical RMM rejected the API key: Invalid token.' });
    await expect(check({ ...northwind, api_key: expiredKey })).resolves.toEqual({ status: 'error', message: 'Tactical RMM rejected the API key: The token has expired.' });
    expect(fake.requestCount({ path: '/clients/' })).toBe(0);
  });

  it('a role without "List Clients": Degraded naming it', async () => {
    fake.setFaults({ missingPermissions: ['can_list_clients'] }, limitedKey);
    await expect(check({ ...northwind, api_key: limitedKey })).resolves.toEqual({
      status: 'degraded',
      message: 'The API key\'s user may not list clients: its role lacks the permission "List Clients"; add it in Tactical RMM under Settings › Permissions Manager',
    });
  });

  it('the dashboard host (HTML for every path, 200): Error "this is the dashboard address"', async () => {
    const dashboard = { status: 'error', message: 'This is the dashboard address, not the API address: it answers with the web app. Enter the API host instead (usually https://api.<your domain>)' };
    await expect(check({ ...northwind, api_url: fake.dashboardUrl })).resolves.toEqual(dashboard);
    fake.setModes({ dashboard: true });
    await expect(check(northwind)).resolves.toEqual(dashboard);
  });

  it('a host that is not the API (404): Error naming the URL', async () => {
    const result = await check({ ...northwind, api_url: `${fake.baseUrl}/nothing-here` });
    expect(result).toEqual({ status: 'error', message: `No Tactical RMM API answered at ${fake.baseUrl}/nothing-here (HTTP 404); check the API URL (the API host, e.g. https://api.example.com)` });
  });

  it('429 with Retry-After, then success: waited and retried, Ok', async () => {
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 1 } }, goodKey);
    const started = Date.now();
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requestCount({ path: '/core/version/' })).toBe(2);
  });

  it('429 that does not stop: Degraded with DRF\'s message', async () => {
    fake.setFaults({ rateLimited: { times: 100 } }, goodKey);
    await expect(check(northwind)).resolves.toEqual({ status: 'degraded', message: 'Tactical RMM is rate limiting requests (HTTP 429): Request was throttled. Expected available in 2 seconds.' });
  });

  it('5xx: a passing one is retried to Ok, a lasting one is Degraded', async () => {
    fake.setFaults({ serverError: { times: 1, status: 502 } }, goodKey);
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
    fake.setFaults({ serverError: { times: 100, status: 500 } }, goodKey);
    await expect(check(northwind)).resolves.toEqual({ status: 'degraded', message: 'Tactical RMM is having trouble (HTTP 500)' });
  });

  it('a hanging server: bounded by the timeout, Degraded, other keys not held up', async () => {
    fake.setFaults({ hang: true }, goodKey);
    const started = Date.now();
    const [hanging, other] = await Promise.all([check(northwind), check({ ...northwind, api_key: otherKey })]);
    expect(hanging).toEqual({ status: 'degraded', message: 'Tactical RMM did not answer within 1 s' });
    expect(other).toMatchObject({ status: 'ok' });
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('malformed JSON: Error, and the next check is fine', async () => {
    fake.setFaults({ malformedJson: true }, goodKey);
    await expect(check(northwind)).resolves.toEqual({ status: 'error', message: 'Tactical RMM sent an answer to GET /core/version/ that could not be read (not valid JSON)' });
    fake.resetFaults();
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
  });

  it('the chosen pace (burst 10, then 50 a minute per host): a fourth check in a row waits, and past its budget is Degraded without asking TRMM', async () => {
    const paced = createTacticalPlugin({ checkTimeoutMs: 500, http: { resolve } });
    try {
      const ctx = () => pluginContext({ settings: northwind, log: logs.log, env: allowPrivate });
      for (let i = 0; i < 3; i++) await expect(paced.healthCheck(ctx())).resolves.toMatchObject({ status: 'ok' });
      await expect(paced.healthCheck(ctx())).resolves.toEqual({ status: 'degraded', message: "This server's request budget for Tactical RMM is used up for the moment; the next check will try again" });
      expect(fake.requestCount()).toBe(10);
    } finally {
      await paced.close();
    }
  });

  it('settings it cannot use: Error without a call', async () => {
    await expect(check({ api_url: 'not a url', api_key: goodKey })).resolves.toMatchObject({ status: 'error', message: expect.stringContaining('Tactical RMM settings are not valid') });
    expect(fake.requestCount()).toBe(0);
  });
});

describe('Tactical RMM health check through the network guard (connect time)', () => {
  const port = () => new URL(fake.baseUrl).port;

  it('a host name resolving to 127.0.0.1 is refused without INTEGRATIONS_ALLOW_PRIVATE_NETWORK; nothing reaches the server', async () => {
    // https, as the strict policy requires: the guard refuses before any TLS handshake.
    const result = await check({ api_url: `https://api.northwind.test:${port()}`, api_key: goodKey }, {});
    expect(result).toEqual({
      status: 'error',
      message:
        "Tactical RMM's address is not allowed: api.northwind.test resolves to 127.0.0.1, a private or loopback address, which integrations may not reach (an on-premises instance needs INTEGRATIONS_ALLOW_PRIVATE_NETWORK on this server)",
    });
    expect(fake.requestCount()).toBe(0);
  });

  it('the same name with private networks allowed connects to the address checked (the fake): Ok', async () => {
    await expect(check({ api_url: `http://api.northwind.test:${port()}`, api_key: goodKey })).resolves.toMatchObject({ status: 'ok' });
    expect(fake.requestCount({ path: '/core/version/' })).toBe(1);
  });

  it('a name resolving to 169.254.169.254 (cloud metadata) is refused even with private networks allowed', async () => {
    const result = await check({ api_url: `http://metadata.evil.test:${port()}`, api_key: goodKey });
    expect(result).toEqual({
      status: 'error',
      message: "Tactical RMM's address is not allowed: metadata.evil.test resolves to 169.254.169.254, a metadata address, which integrations may not reach",
    });
  });

  it('plain http without private networks allowed: Error before connecting', async () => {
    await expect(check(northwind, {})).resolves.toEqual({
      status: 'error',
      message: 'Tactical RMM settings are not valid: The API URL must start with https:// (plain http is accepted only for a private address, when this server allows private networks)',
    });
    expect(fake.requestCount()).toBe(0);
  });
});

describe('Tactical RMM logs', () => {
  it('never contain a key, yet record the calls', () => {
    const text = logs.text();
    expect(text).toContain('"vendor":"Tactical RMM"');
    expect(text).toContain('"operation":"GET /core/version/"');
    for (const k of [goodKey, limitedKey, otherKey, expiredKey]) expect(text).not.toContain(k);
    expect(text).not.toMatch(/x-api-key/i);
  });
});
