import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelDevicesGetInput } from '../../../shared/actions/levelio.js';
import { captureLogs } from '../../test/logCapture.js';
import { startBudget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import { createVendorClient } from '../http/vendorClient.js';
import { createLevelApi, levelRateLimitKey, type LevelCall } from './client.js';
import { startFakeLevel, type FakeLevel } from './fakeServer.js';
import { levelBaseUrl } from './settings.js';

const logs = captureLogs();
let fake: FakeLevel;
// One request a minute per key, so the second call of a key has to wait past its budget.
const http = createVendorClient({ vendor: 'Level', rateLimit: { perMinute: 1, burst: 1 } });
const api = createLevelApi(http);
const call = (apiKey: string): LevelCall => ({ baseUrl: levelBaseUrl(fake.baseUrl), apiKey, budget: startBudget(new AbortController().signal, 300), log: logs.log });

beforeAll(async () => {
  fake = await startFakeLevel();
  fake.addAccount({ name: 'one', keys: [{ key: 'lvl_bucket_key_one' }], groups: [{ id: 'g1', name: 'One' }] });
  fake.addAccount({ name: 'two', keys: [{ key: 'lvl_bucket_key_two' }], groups: [{ id: 'g2', name: 'Two' }] });
});
afterAll(async () => {
  await http.close();
  await fake.close();
});

describe('Level client', () => {
  it('paces each API key in its own bucket: one key used up does not hold back another', async () => {
    await expect(api.groupsPage(call('lvl_bucket_key_one'), 1)).resolves.toMatchObject({ items: [{ id: 'g1', name: 'One' }] });
    const held = await api.groupsPage(call('lvl_bucket_key_one'), 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(held).toBeInstanceOf(VendorError);
    expect(held).toMatchObject({ kind: 'rate_limited', details: { local: true } });
    await expect(api.groupsPage(call('lvl_bucket_key_two'), 1)).resolves.toMatchObject({ items: [{ id: 'g2' }] });
    expect(fake.requestCount({ path: '/v2/groups' })).toBe(2);
  });

  it('names a bucket by a hash of the key, never the key', () => {
    expect(levelRateLimitKey('lvl_bucket_key_one')).toMatch(/^levelio key [0-9a-f]{16}$/);
    expect(levelRateLimitKey('lvl_bucket_key_one')).not.toBe(levelRateLimitKey('lvl_bucket_key_two'));
  });

  it('ids that could leave their path segment are refused before any call', () => {
    for (const deviceId of ['..', '.', 'a/b', 'a?b', 'a b', '']) expect(levelDevicesGetInput.safeParse({ deviceId }).success, deviceId).toBe(false);
    expect(levelDevicesGetInput.safeParse({ deviceId: 'dev_01:A+b=.9' }).success).toBe(true);
  });
});
