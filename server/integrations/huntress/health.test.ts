import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import type { PluginSettings } from '../types.js';
import { huntressExamples } from './examples.js';
import { startFakeHuntress, type FakeHuntress } from './fakeServer.js';
import { createHuntressPlugin } from './index.js';

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const goodSecret = secret('hs_good_');
const wrongSecret = secret('hs_wrong_');
const contosoSecret = secret('hs_contoso_');
const logs = captureLogs('trace');

let fake: FakeHuntress;
// A roomy limit: these tests are about answers, not pacing (rateLimit.test.ts and client.test.ts are).
const fast = { rateLimit: { perMinute: 6_000, burst: 100 }, retry: { baseDelayMs: 50, maxDelayMs: 200 } };
const plugin = createHuntressPlugin({ checkTimeoutMs: 2_500, http: { ...fast, requestTimeoutMs: 1_000, maxResponseBytes: 256 * 1024 } });

const northwind = { subdomain: 'northwind', api_key: 'nw-key', api_secret: goodSecret, key_type: 'account' };
const contoso = { subdomain: 'contoso', api_key: 'co-key', api_secret: contosoSecret, key_type: 'user' };
function check(settings: PluginSettings, signal?: AbortSignal) {
  return plugin.healthCheck(pluginContext({ settings, log: logs.log, env: { HUNTRESS_BASE_URL: fake.baseUrl }, signal }));
}

beforeAll(async () => {
  fake = await startFakeHuntress({ rateLimitPerWindow: null });
  fake.addAccount('northwind', { name: 'Northwind MSP', keys: [{ key: 'nw-key', secret: goodSecret }] });
  fake.addAccount('contoso', { name: 'Contoso IT', keys: [{ key: 'co-key', secret: contosoSecret, kind: 'user', denied: ['incident_reports'] }] });
});
afterEach(() => {
  fake.resetFaults();
  fake.resetCounts();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Huntress health check against the fake', () => {
  it('a good key pair: Ok after the account and one incident report, saying an account key is read-only', async () => {
    await expect(check(northwind)).resolves.toEqual({
      status: 'ok',
      message: 'Connected to Northwind MSP (northwind.huntress.io): incident reports are readable (account key: read-only, incident reports cannot be resolved)',
    });
    expect([fake.requestCount({ path: '/v1/account' }), fake.requestCount({ path: '/v1/incident_reports' }), fake.requestCount()]).toEqual([1, 1, 2]);
  });

  it('a rejected secret or unknown key: Error, and nothing else is asked', async () => {
    await expect(check({ ...northwind, api_secret: wrongSecret })).resolves.toMatchObject({ status: 'error', message: expect.stringMatching(/^Huntress rejected the API key or secret key/) });
    await expect(check({ ...northwind, api_key: 'no-such-key' })).resolves.toMatchObject({ status: 'error' });
    expect(fake.requestCount({ path: '/v1/incident_reports' })).toBe(0);
  });

  it('a key refused incident reports after the account answered: Degraded naming the permission', async () => {
    const result = await check(contoso);
    expect(result.status).toBe('degraded');
    expect(result.message).toContain('missing the permission "Incident Reports (read)"');
    expect(result.message).toContain('HTTP 403');
  });

  it('a key of another account than the subdomain set: Degraded, links would open the wrong account', async () => {
    const result = await check({ ...northwind, subdomain: 'southwind' });
    expect(result).toMatchObject({ status: 'degraded', message: expect.stringContaining('at northwind.huntress.io, not southwind.huntress.io') });
  });

  it('settings that cannot be used: Error without a call', async () => {
    await expect(check({ ...northwind, key_type: 'admin' })).resolves.toMatchObject({ status: 'error', message: expect.stringContaining('Choose the key type') });
    expect(fake.requestCount()).toBe(0);
  });

  it("replays the document's bodies: the wrapped account and a page of reports: Ok", async () => {
    const replay = await startReplayServer({
      'GET /v1/account': { status: 200, json: huntressExamples.account },
      'GET /v1/incident_reports': { status: 200, json: { incident_reports: [huntressExamples.incidentReport.incident_report], pagination: {} } },
    });
    try {
      const result = await plugin.healthCheck(pluginContext({ settings: { ...northwind, subdomain: 'examplemsp' }, log: logs.log, env: { HUNTRESS_BASE_URL: replay.origin } }));
      expect(result).toMatchObject({ status: 'ok', message: expect.stringContaining('Connected to Example MSP') });
      // An unwrapped account (as one community client reads it) is not what the document says: Error.
      const bare = await startReplayServer({ 'GET /v1/account': { status: 200, json: huntressExamples.account.account } });
      const unwrapped = await plugin.healthCheck(pluginContext({ settings: northwind, log: logs.log, env: { HUNTRESS_BASE_URL: bare.origin } }));
      await bare.close();
      expect(unwrapped).toEqual({ status: 'error', message: 'Huntress sent an answer to GET /v1/account that could not be read (no "account" in the answer)' });
    } finally {
      await replay.close();
    }
  });

  it('429 with Retry-After, then success: waited and Ok', async () => {
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 1 } }, 'northwind');
    const started = Date.now();
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requestCount({ path: '/v1/account' })).toBe(2);
  });

  it('429 that does not stop: Degraded with the vendor message', async () => {
    fake.setFaults({ rateLimited: { times: 100 } }, 'northwind');
    await expect(check(northwind)).resolves.toEqual({ status: 'degraded', message: 'Huntress is rate limiting requests (HTTP 429): Too many requests' });
  });

  it('5xx: a passing outage is Ok, a lasting one Degraded', async () => {
    fake.setFaults({ serverError: { times: 1, status: 502 } }, 'northwind');
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
    fake.setFaults({ serverError: { times: 100, status: 500 } }, 'northwind');
    await expect(check(northwind)).resolves.toEqual({ status: 'degraded', message: 'Huntress is having trouble (HTTP 500): An error has occurred within Huntress servers' });
  });

  it('a hanging vendor: Degraded within the timeout', async () => {
    fake.setFaults({ hang: true }, 'northwind');
    const started = Date.now();
    await expect(check(northwind)).resolves.toEqual({ status: 'degraded', message: 'Huntress did not answer within 1 s' });
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('malformed JSON: Error, and the next check is fine', async () => {
    fake.setFaults({ malformedJson: true }, 'northwind');
    await expect(check(northwind)).resolves.toEqual({ status: 'error', message: 'Huntress sent an answer to GET /v1/account that could not be read (not valid JSON)' });
    fake.resetFaults();
    await expect(check(northwind)).resolves.toMatchObject({ status: 'ok' });
  });
});

describe('Huntress logs', () => {
  it('never contain a secret key or the Basic credentials, yet record the calls', () => {
    const text = logs.text();
    expect(text).toContain('"vendor":"Huntress"');
    expect(text).toContain('"operation":"GET /v1/account"');
    for (const s of [goodSecret, wrongSecret, contosoSecret]) expect(text).not.toContain(s);
    expect(text).not.toMatch(/basic |authorization/i);
  });
});
