import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import type { PluginSettings } from '../types.js';
import { levelExamples } from './examples.js';
import { startFakeLevel, type FakeLevel } from './fakeServer.js';
import { createLevelPlugin } from './index.js';

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const goodKey = secret('lvl_good_');
const readOnlyKey = secret('lvl_ro_');
const revokedKey = secret('lvl_revoked_');
const logs = captureLogs('trace');

let fake: FakeLevel;
const fast = { rateLimit: { perMinute: 6_000, burst: 100 }, retry: { baseDelayMs: 20, maxDelayMs: 50 } };
const plugin = createLevelPlugin({ checkTimeoutMs: 2_500, http: { ...fast, requestTimeoutMs: 1_000 } });

function check(settings: PluginSettings, baseUrl = fake.baseUrl, target = plugin) {
  return target.healthCheck(pluginContext({ settings, log: logs.log, env: { LEVEL_BASE_URL: baseUrl } }));
}
const acme = { api_key: goodKey, key_access: 'read_write' };

beforeAll(async () => {
  fake = await startFakeLevel();
  fake.addAccount({
    name: 'acme',
    keys: [{ key: goodKey }, { key: readOnlyKey, access: 'read_only' }, { key: revokedKey, revoked: true }],
    groups: [{ id: 'g1', name: 'Servers' }],
  });
});
afterEach(() => {
  fake.resetFaults();
  fake.resetCounts();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Level health check against the fake', () => {
  it('a good key: Ok, after GET /v2/groups?limit=1 and one item each of devices, alerts and automations', async () => {
    await expect(check(acme)).resolves.toEqual({ status: 'ok', message: 'Connected to Level: groups, devices, alerts and automations are readable; key access set to Read & write' });
    expect(['/v2/groups', '/v2/devices', '/v2/alerts', '/v2/automations'].map((path) => fake.requestCount({ path }))).toEqual([1, 1, 1, 1]);
    await expect(check({ api_key: readOnlyKey, key_access: 'read_only' })).resolves.toMatchObject({ status: 'ok', message: expect.stringContaining('Read-only') });
  });

  it('a wrong or revoked key: Error naming the key, with Level\'s "Access denied"', async () => {
    const expected = { status: 'error', message: 'Level rejected the API key (Access denied): check the key under Settings › API keys in Level' };
    await expect(check({ ...acme, api_key: secret('lvl_wrong_') })).resolves.toEqual(expected);
    await expect(check({ ...acme, api_key: revokedKey })).resolves.toEqual(expected);
    fake.setFaults({ badCredentials: true });
    await expect(check(acme)).resolves.toEqual(expected);
  });

  it('settings that cannot be used (a "Bearer " key, no access chosen): Error before any call', async () => {
    await expect(check({ ...acme, api_key: `Bearer ${goodKey}` })).resolves.toMatchObject({ status: 'error', message: expect.stringContaining('without "Bearer"') });
    await expect(check({ api_key: goodKey })).resolves.toMatchObject({ status: 'error', message: expect.stringContaining("Choose the key's access") });
    expect(fake.requestCount()).toBe(0);
  });

  it('a read the key may not make: Degraded naming it', async () => {
    fake.setFaults({ missingPermissions: ['devices', 'alerts'] }, 'acme');
    await expect(check(acme)).resolves.toEqual({
      status: 'degraded',
      message: 'The Level API key may not read devices or alerts (Level refused "devices" and "alerts"); check the key\'s access in Level under Settings › API keys',
    });
    fake.setFaults({ missingPermissions: ['groups'] }, 'acme');
    await expect(check(acme)).resolves.toMatchObject({ status: 'degraded', message: expect.stringContaining('may not read groups') });
  });

  it('429 with Retry-After: waits and succeeds; a Retry-After past the budget: Degraded, rate limited', async () => {
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 1 }, paths: ['/v2/groups'] }, 'acme');
    const started = Date.now();
    await expect(check(acme)).resolves.toMatchObject({ status: 'ok' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.requestCount({ path: '/v2/groups' })).toBe(2);
    fake.setFaults({ rateLimited: { times: 5, retryAfterSeconds: 60 }, paths: ['/v2/groups'] }, 'acme');
    await expect(check(acme)).resolves.toEqual({ status: 'degraded', message: 'Level is rate limiting requests (HTTP 429, retry after 60 s): Too many requests' });
  });

  it('5xx after the retries: Degraded; a hang: Degraded within the budget; malformed JSON: Error', async () => {
    fake.setFaults({ serverError: { times: 10 } }, 'acme');
    await expect(check(acme)).resolves.toMatchObject({ status: 'degraded', message: expect.stringContaining('Level is having trouble (HTTP 503)') });
    fake.resetFaults();
    fake.setFaults({ hang: true }, 'acme');
    const started = Date.now();
    await expect(check(acme)).resolves.toMatchObject({ status: 'degraded', message: expect.stringMatching(/^Level did not answer within/) });
    expect(Date.now() - started).toBeLessThan(4_000);
    fake.resetFaults();
    fake.setFaults({ malformedJson: true }, 'acme');
    await expect(check(acme)).resolves.toEqual({ status: 'error', message: 'Level sent an answer to GET /v2/groups that could not be read (not valid JSON)' });
  });

  it('LEVEL_BASE_URL ending in /v2 is refused as a server misconfiguration, without a call', async () => {
    await expect(check(acme, `${fake.baseUrl}/v2`)).resolves.toEqual({ status: 'error', message: 'Server misconfiguration: LEVEL_BASE_URL is the host root (https://api.level.io), without /v2' });
    expect(fake.requestCount()).toBe(0);
  });

  it("replays Level's own examples: the list wrapper reads as Ok, its 401 body as a rejected key", async () => {
    const ok = await startReplayServer({
      'GET /v2/groups': { status: 200, json: levelExamples.groups },
      'GET /v2/devices': { status: 200, json: { data: [], has_more: false } },
      'GET /v2/alerts': { status: 200, json: { data: [], has_more: false } },
      'GET /v2/automations': { status: 200, json: { data: [], has_more: false } },
    });
    const denied = await startReplayServer({ 'GET /v2/groups': { status: 401, json: levelExamples.accessDenied } });
    try {
      await expect(check(acme, ok.origin)).resolves.toMatchObject({ status: 'ok' });
      await expect(check(acme, denied.origin)).resolves.toMatchObject({ status: 'error', message: expect.stringContaining('(Access denied)') });
    } finally {
      await ok.close();
      await denied.close();
    }
  });

  it('never logs the key', async () => {
    await check(acme);
    await check({ ...acme, api_key: revokedKey });
    expect(logs.text()).not.toContain(goodKey);
    expect(logs.text()).not.toContain(revokedKey);
  });
});
