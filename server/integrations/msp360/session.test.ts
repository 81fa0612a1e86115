import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import type { PluginSettings } from '../types.js';
import { startFakeMsp360, type FakeMsp360 } from './fakeServer.js';
import { createMsp360Plugin, type Msp360Plugin } from './index.js';

// The session's token handling, seen through health checks: when MSP360 is asked to log in.

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const password = secret('mbs_pw_');
const wrongPassword = secret('mbs_wrong_');
const logs = captureLogs('trace');
const fast = { rateLimit: { perMinute: 6_000, burst: 100 }, retry: { baseDelayMs: 50, maxDelayMs: 200 } };

let fake: FakeMsp360;
let plugin: Msp360Plugin;
const acme = { api_login: 'acme-api', api_password: password };
let partnerSeq = 100;

function check(settings: PluginSettings, options: { partnerId?: number } = {}) {
  return plugin.healthCheck(pluginContext({ settings, log: logs.log, env: { MSP360_BASE_URL: fake.baseUrl }, partnerId: options.partnerId ?? ++partnerSeq }));
}

beforeAll(async () => {
  fake = await startFakeMsp360();
  fake.addAccount({ login: 'acme-api', password });
  plugin = createMsp360Plugin({ checkTimeoutMs: 2_500, http: { ...fast, requestTimeoutMs: 1_000, maxResponseBytes: 256 * 1024 } });
});
afterEach(() => {
  fake.resetFaults();
  fake.resetCounts();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('MSP360 session tokens', () => {
  it('caches the token per partner until it expires, and drops it on 401 with one re-login', async () => {
    await check(acme, { partnerId: 7 });
    await check(acme, { partnerId: 7 });
    expect(fake.requestCount({ path: '/api/Provider/Login' })).toBe(1);
    expect(fake.requestCount({ path: '/api/Companies' })).toBe(2);

    // Another partner with the same login has a token of its own.
    await check(acme, { partnerId: 8 });
    expect(fake.requestCount({ path: '/api/Provider/Login' })).toBe(2);

    fake.expireTokens('acme-api');
    await expect(check(acme, { partnerId: 7 })).resolves.toMatchObject({ status: 'ok' });
    expect(fake.requestCount({ path: '/api/Provider/Login' })).toBe(3);
    expect(fake.requestCount({ path: '/api/Companies' })).toBe(5); // 2 + partner 8's + a 401 + the retry
  });

  it('a changed credential never reuses the old token', async () => {
    await expect(check(acme, { partnerId: 9 })).resolves.toMatchObject({ status: 'ok' });
    await expect(check({ ...acme, api_password: wrongPassword }, { partnerId: 9 })).resolves.toMatchObject({ status: 'error' });
    expect(fake.requestCount({ path: '/api/Provider/Login' })).toBe(2);
    // And the failed change left nothing behind: the right password logs in again.
    await expect(check(acme, { partnerId: 9 })).resolves.toMatchObject({ status: 'ok' });
    expect(fake.requestCount({ path: '/api/Provider/Login' })).toBe(3);
  });

  it('credentials revoked at the vendor while a token is cached: Error after one re-login', async () => {
    await check(acme, { partnerId: 10 });
    fake.setFaults({ badCredentials: true }, 'acme-api');
    await expect(check(acme, { partnerId: 10 })).resolves.toEqual({ status: 'error', message: 'MSP360 rejected the API login or password' });
    expect(fake.requestCount({ path: '/api/Provider/Login' })).toBe(2);
    expect(plugin.tokens.get(10, plugin.tokens.credentialKey('acme-api', password))).toBeUndefined();
  });

  it('without expires_in the token is kept for the conservative default only', async () => {
    const short = await startFakeMsp360({ omitExpiresIn: true });
    short.addAccount({ login: 'acme-api', password });
    const target = createMsp360Plugin({ defaultTokenTtlMs: 1, http: fast });
    const run = () => target.healthCheck(pluginContext({ settings: acme, log: logs.log, env: { MSP360_BASE_URL: short.baseUrl }, partnerId: 1 }));
    await run();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await run();
    expect(short.requestCount({ path: '/api/Provider/Login' })).toBe(2);
    await target.close();
    await short.close();
  });

  it('a cached token refused with 403 (what an expired token gets is undocumented): one re-login, Ok', async () => {
    const strict = await startFakeMsp360({ expiredTokenStatus: 403 });
    strict.addAccount({ login: 'acme-api', password });
    const run = () => plugin.healthCheck(pluginContext({ settings: acme, log: logs.log, env: { MSP360_BASE_URL: strict.baseUrl }, partnerId: 77 }));
    try {
      await expect(run()).resolves.toMatchObject({ status: 'ok' });
      strict.expireTokens();
      await expect(run()).resolves.toMatchObject({ status: 'ok' });
      expect(strict.requestCount({ path: '/api/Provider/Login' })).toBe(2);
    } finally {
      await strict.close();
    }
  });

  it('a fresh token refused (403 on a read): no second login, Degraded naming the resource', async () => {
    fake.setFaults({ missingPermissions: ['Companies'] }, 'acme-api');
    await expect(check(acme)).resolves.toEqual({ status: 'degraded', message: 'The MSP360 API login may not read Companies (access to "Companies" was refused)' });
    expect(fake.requestCount({ path: '/api/Provider/Login' })).toBe(1);
  });
});
