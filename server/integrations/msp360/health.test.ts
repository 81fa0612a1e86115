import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import type { PluginSettings } from '../types.js';
import { msp360Examples } from './examples.js';
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

  it("replays MSP360's documented bodies: the published login answer and companies with Id: Ok", async () => {
    const replay = await startReplayServer({
      'POST /api/Provider/Login': { status: 200, json: msp360Examples.login },
      'GET /api/Companies': { status: 200, json: msp360Examples.companies },
      'GET /api/Users': { status: 200, json: [] },
    });
    const ctx = pluginContext({ settings: acme, log: logs.log, env: { MSP360_BASE_URL: replay.origin }, partnerId: ++partnerSeq });
    try {
      await expect(plugin.healthCheck(ctx)).resolves.toEqual({ status: 'ok', message: 'Signed in to MSP360: 1 company and 0 users readable' });
      const read = await plugin.companies(ctx);
      expect(read.ok && read.value.map((c) => [c.Id, c.Name])).toEqual([['5d8f7a3e-1c2b-4e5f-9a8b-7c6d5e4f3a2b', 'Contoso']]);
      // The documented expires_in (two weeks less a second) is what the token is kept for: one login.
      expect(replay.received.filter((r) => r.startsWith('POST'))).toHaveLength(1);
    } finally {
      await replay.close();
    }
  });

  it("replays MSP360's documented refusal (400 invalid_grant): Error", async () => {
    const replay = await startReplayServer({ 'POST /api/Provider/Login': { status: 400, json: msp360Examples.loginRefused } });
    try {
      const ctx = pluginContext({ settings: acme, log: logs.log, env: { MSP360_BASE_URL: replay.origin }, partnerId: ++partnerSeq });
      await expect(plugin.healthCheck(ctx)).resolves.toEqual({ status: 'error', message: 'MSP360 rejected the API login or password' });
      expect(replay.received).toEqual(['POST /api/Provider/Login']);
    } finally {
      await replay.close();
    }
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
