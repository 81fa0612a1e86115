import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../shared/integrations/fields.js';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import type { PluginSettings } from '../types.js';
import { startFakeMsp360, type FakeMsp360 } from './fakeServer.js';
import { createMsp360Plugin, type Msp360Plugin } from './index.js';

// "Active" is what the catalog makes of an ok or degraded HealthResult; the catalog service is
// not on this branch, so these tests assert the HealthResult the plugin returns.

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const password = secret('mbs_pw_');
const otherPassword = secret('mbs_other_');
const wrongPassword = secret('mbs_wrong_');
const logs = captureLogs('trace');
const fast = { rateLimit: { perMinute: 6_000, burst: 100 }, retry: { baseDelayMs: 50, maxDelayMs: 200 } };

let fake: FakeMsp360;
let plugin: Msp360Plugin;
const acme = { api_login: 'acme-api', api_password: password };
let partnerSeq = 100;

function check(settings: PluginSettings, options: { partnerId?: number; target?: Msp360Plugin; signal?: AbortSignal } = {}) {
  return (options.target ?? plugin).healthCheck(
    pluginContext({ settings, log: logs.log, env: { MSP360_BASE_URL: fake.baseUrl }, partnerId: options.partnerId ?? ++partnerSeq, signal: options.signal }),
  );
}

beforeAll(async () => {
  fake = await startFakeMsp360();
  fake.addAccount({ login: 'acme-api', password });
  fake.addAccount({ login: 'globex-api', password: otherPassword, companies: 1, users: 2 });
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

describe('MSP360 settings', () => {
  const schema = () => settingsSchema(plugin.meta.fields, 'create');

  it('declares the fields of the issue', () => {
    expect(plugin.meta).toMatchObject({ key: 'msp360', category: 'Backup' });
    expect(plugin.meta.fields.map((f) => [f.key, f.kind, f.required])).toEqual([
      ['api_login', 'Text', true],
      ['api_password', 'Secret', true],
      ['enabled', 'Bool', false],
    ]);
  });

  it('accepts a login and a 3–100 character password, refuses the rest', () => {
    expect(schema().safeParse(acme).success).toBe(true);
    expect(plugin.validate(acme)).toBeNull();
    for (const bad of [{ api_login: 'two words', api_password: password }, { api_login: 'x', api_password: 'pw' }, { api_login: '', api_password: '' }, { api_login: 'x', api_password: 'a'.repeat(101) }]) {
      expect(schema().safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      expect(plugin.validate(bad), JSON.stringify(bad)).not.toBeNull();
    }
    expect(plugin.validate({ api_login: '', api_password: 'pw' })).toEqual({
      api_login: ['API login is required'],
      api_password: ['The API password has 3 to 100 characters on one line'],
    });
  });
});

describe('MSP360 health check against the fake', () => {
  it('valid credentials: Ok (Active), after a login and a read of companies and users', async () => {
    await expect(check(acme)).resolves.toEqual({ status: 'ok', message: 'Signed in to MSP360: 3 companies and 5 users readable' });
    expect(fake.requestCount({ path: '/api/Provider/Login', tenant: 'acme-api' })).toBe(1);
    expect(fake.requestCount({ path: '/api/Companies', tenant: 'acme-api' })).toBe(1);
    expect(fake.requestCount({ path: '/api/Users', tenant: 'acme-api' })).toBe(1);
  });

  it('a wrong password or unknown login: Error with a readable message', async () => {
    await expect(check({ ...acme, api_password: wrongPassword })).resolves.toEqual({ status: 'error', message: 'MSP360 rejected the API login or password' });
    await expect(check({ api_login: 'nobody', api_password: password })).resolves.toEqual({ status: 'error', message: 'MSP360 rejected the API login or password' });
  });

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

  it('a login answered 200 without a token (MSP360 sometimes answers errors that way): Error', async () => {
    // Not a switch of the fake: a one-off server answering the login with a message only.
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('"Login failed: account locked"'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await plugin.healthCheck(pluginContext({ settings: acme, log: logs.log, env: { MSP360_BASE_URL: `http://127.0.0.1:${port}` }, partnerId: 55 }));
    expect(result).toEqual({ status: 'error', message: 'MSP360 answered the login without a session token; check the API login and password' });
    await new Promise((resolve) => server.close(resolve));
  });

  it('a login refused access to a resource the integration reads: Degraded naming it', async () => {
    fake.setFaults({ missingPermissions: ['Users'] }, 'acme-api');
    await expect(check(acme)).resolves.toEqual({
      status: 'degraded',
      message: 'The MSP360 API login may not read Users (access to "Users" was refused)',
    });
  });

  it('429 with Retry-After, then success: retried after the wait, Ok', async () => {
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 1 }, paths: ['/api/Companies'] }, 'acme-api');
    const started = Date.now();
    await expect(check(acme)).resolves.toMatchObject({ status: 'ok' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requestCount({ path: '/api/Companies' })).toBe(2);
  });

  it('a login endpoint answering 5xx: Degraded with the vendor message', async () => {
    fake.setFaults({ serverError: { times: 100, status: 500 } });
    await expect(check(acme)).resolves.toEqual({ status: 'degraded', message: 'MSP360 is having trouble (HTTP 500): An error has occurred.' });
    expect(fake.requestCount({ path: '/api/Provider/Login' })).toBe(3);
  });

  it('a hanging vendor: bounded by the timeout, Degraded, other partners not held up', async () => {
    fake.setFaults({ hang: true }, 'acme-api');
    const started = Date.now();
    const [hanging, other] = await Promise.all([check(acme), check({ api_login: 'globex-api', api_password: otherPassword })]);
    expect(hanging).toEqual({ status: 'degraded', message: 'MSP360 did not answer within 1 s' });
    expect(other).toEqual({ status: 'ok', message: 'Signed in to MSP360: 1 company and 2 users readable' });
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('malformed JSON: Error, no crash', async () => {
    fake.setFaults({ malformedJson: true, paths: ['/api/Companies'] }, 'acme-api');
    await expect(check(acme)).resolves.toEqual({ status: 'error', message: 'MSP360 sent an answer to GET /api/Companies that could not be read (not valid JSON)' });
    fake.setFaults({ malformedJson: true, paths: ['/api/Provider/Login'] }, 'acme-api');
    await expect(check(acme)).resolves.toEqual({ status: 'error', message: 'MSP360 sent an answer to POST /api/Provider/Login that could not be read (not valid JSON)' });
  });

  it('a huge body: cut off at the size cap, Error', async () => {
    fake.setFaults({ hugeBodyBytes: 64 * 1024 * 1024, paths: ['/api/Users'] }, 'acme-api');
    await expect(check(acme)).resolves.toEqual({ status: 'error', message: "MSP360's answer to GET /api/Users was larger than 256 KiB and was cut off" });
    expect(fake.hugeBytesSent).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('MSP360 rate limit', () => {
  it('is a budget per MSP360 account, so one partner using up its budget never slows another', async () => {
    // Three calls at once, then one every 10 s: one check (login, companies, users) empties it.
    const tight = createMsp360Plugin({ checkTimeoutMs: 1_500, http: { ...fast, rateLimit: { perMinute: 6, burst: 3 }, requestTimeoutMs: 1_000 } });
    try {
      expect((await check(acme, { target: tight, partnerId: 9001 })).status).toBe('ok');
      // The same account again (a second partner with the same login): its budget is spent.
      expect((await check(acme, { target: tight, partnerId: 9002 })).status).toBe('degraded');
      // Another account has its own budget, whatever the host they share.
      expect((await check({ api_login: 'globex-api', api_password: otherPassword }, { target: tight, partnerId: 9003 })).status).toBe('ok');
    } finally {
      await tight.close();
    }
  });
});

describe('MSP360 logs', () => {
  it('never contain a password or a session token, yet record the calls', () => {
    const text = logs.text();
    expect(text).toContain('"operation":"POST /api/Provider/Login"');
    for (const value of [password, otherPassword, wrongPassword]) expect(text).not.toContain(value);
    const tokens = fake.issuedTokens();
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(text).not.toContain(token);
    expect(text).not.toMatch(/access_token|bearer|authorization|"Password"/i);
  });
});
