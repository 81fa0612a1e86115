import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { huntressRateLimit } from './client.js';
import { startFakeHuntress, type FakeHuntress } from './fakeServer.js';
import { createHuntressPlugin } from './index.js';

const logs = captureLogs();
let fake: FakeHuntress;
// Huntress's rule at a smaller scale so the test is quick: 5 in any 1 s at the fake, and the
// plugin's limiter set the way the real one is: the figure, over a longer window. The margin is
// what covers requests reaching the vendor later than they left (a cold connection, a busy event
// loop): half a second here, where a loaded test machine delays more than the network does.
const plugin = createHuntressPlugin({ checkTimeoutMs: 10_000, pageTimeoutMs: 10_000, discoveryPageSize: 10, http: { rateLimit: { perMinute: 5, burst: 0, slidingWindowMs: 1_500 } } });
const settings = { subdomain: 'acme', api_key: 'acme-key', api_secret: 'acme-secret', key_type: 'account' };

beforeAll(async () => {
  fake = await startFakeHuntress({ rateLimitPerWindow: 5, windowMs: 1_000 });
  fake.addAccount('acme', { name: 'Acme', organizations: 50, keys: [{ key: 'acme-key', secret: 'acme-secret' }] });
  fake.addAccount('other', { name: 'Other', keys: [{ key: 'other-key', secret: 'other-secret' }] });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Huntress rate limit', () => {
  it('is 60 in any minute on a sliding window (two seconds longer for network delay)', () => {
    expect(huntressRateLimit).toEqual({ perMinute: 60, burst: 0, slidingWindowMs: 62_000 });
  });

  it('concurrent checks and discovery pages of one key never earn a 429: the limiter makes them wait', async () => {
    const ctx = pluginContext({ settings, log: logs.log, env: { HUNTRESS_BASE_URL: fake.baseUrl } });
    const started = Date.now();
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => plugin.healthCheck(ctx)),
      ...['1.b2Zmc2V0OjEw', '2.b2Zmc2V0OjIw', null, '3.b2Zmc2V0OjMw', '4.b2Zmc2V0OjQw'].map((cursor) => plugin.listOrganizations?.(ctx, cursor)),
    ]);
    const elapsed = Date.now() - started;
    expect(results.slice(0, 5).every((r) => r && 'status' in r && r.status === 'ok')).toBe(true);
    expect(fake.requestCount({ tenant: 'acme' })).toBe(15);
    expect(fake.rateLimitedCount('acme')).toBe(0);
    // 15 requests at 5 a window: the last five cannot start before two windows have passed.
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
  });

  it('counts each key apart: another account is not held up by a busy one', async () => {
    const busy = pluginContext({ settings, log: logs.log, env: { HUNTRESS_BASE_URL: fake.baseUrl } });
    const other = pluginContext({ settings: { ...settings, subdomain: 'other', api_key: 'other-key', api_secret: 'other-secret' }, log: logs.log, env: { HUNTRESS_BASE_URL: fake.baseUrl } });
    const slow = Promise.all(Array.from({ length: 6 }, () => plugin.healthCheck(busy)));
    const started = Date.now();
    await expect(plugin.healthCheck(other)).resolves.toMatchObject({ status: 'ok' });
    expect(Date.now() - started).toBeLessThan(500);
    await slow;
    expect(fake.rateLimitedCount()).toBe(0);
  });
});
