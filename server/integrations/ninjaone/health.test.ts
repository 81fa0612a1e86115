import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import type { TokenSource } from '../oauth2/types.js';
import type { PluginSettings } from '../types.js';
import { ninjaExamples } from './examples.js';
import { startFakeNinjaOne, type FakeNinjaOne } from './fakeServer.js';
import { createNinjaOnePlugin } from './index.js';

const logs = captureLogs('trace');
let fake: FakeNinjaOne;
const fast = { rateLimit: { perMinute: 6_000, burst: 100 }, retry: { baseDelayMs: 20, maxDelayMs: 50 } };
const plugin = createNinjaOnePlugin({ checkTimeoutMs: 2_500, http: { ...fast, requestTimeoutMs: 1_000 } });
const secret = 'nj-secret-9f8e7d6c5b4a';
const settings = { instance: 'eu', client_id: 'acme-app', client_secret: secret, scopes: 'monitoring', grant: 'client_credentials' };

function check(s: PluginSettings) {
  const env = { VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: fake.origin };
  return plugin.healthCheck(pluginContext({ settings: s, log: logs.log, env, auth: plugin.auth }));
}

beforeAll(async () => {
  fake = await startFakeNinjaOne();
  fake.addApp({ clientId: 'acme-app', clientSecret: secret, scopes: ['monitoring'] });
  fake.addOrganizations(3);
});
afterEach(() => {
  fake.resetFaults();
  fake.resetCounts();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('NinjaOne health check against the fake', () => {
  it('Ok: one client-credentials token, then one organization', async () => {
    await expect(check(settings)).resolves.toEqual({ status: 'ok', message: 'Connected to NinjaOne (eu.ninjarmm.com) with the scope monitoring: organizations are readable' });
    expect([fake.tokenRequests({ grant: 'client_credentials' }), fake.requestCount({ path: '/v2/organizations' })]).toEqual([1, 1]);
  });

  it('a scope the app was not granted: Error naming it and saying what to do', async () => {
    const result = await check({ ...settings, scopes: 'monitoring management' });
    expect(result).toEqual({
      status: 'error',
      message:
        'NinjaOne refused the scope "management" (invalid_scope): this app was not granted it: request only what the NinjaOne app was granted — remove it from Scopes or grant it in NinjaOne › Administration › Apps › API',
    });
    expect(fake.requestCount({ path: '/v2/organizations' })).toBe(0);
  });

  it('a wrong client secret or unknown client id: Error about the client id/secret', async () => {
    for (const s of [{ ...settings, client_secret: 'wrong-secret' }, { ...settings, client_id: 'nobody' }]) {
      const result = await check(s);
      expect(result.status).toBe('error');
      expect(result.message).toMatch(/^NinjaOne did not accept the client ID or client secret \(invalid_client\)/);
    }
  });

  it('an API 401 even with a new token: one more token, then Error', async () => {
    fake.setFaults({ badCredentials: true, paths: ['/v2/organizations'] }, 'acme-app');
    const result = await check(settings);
    expect(result).toMatchObject({ status: 'error', message: expect.stringContaining('(HTTP 401)') });
    expect([fake.tokenRequests(), fake.requestCount({ path: '/v2/organizations' })]).toEqual([2, 2]);
  });

  it('429 that does not stop: Degraded; a passing one: Ok', async () => {
    fake.setFaults({ rateLimited: { times: 100, retryAfterSeconds: 0 }, paths: ['/v2/organizations'] }, 'acme-app');
    await expect(check(settings)).resolves.toMatchObject({ status: 'degraded', message: expect.stringContaining('NinjaOne is rate limiting requests (HTTP 429') });
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 0 }, paths: ['/v2/organizations'] }, 'acme-app');
    await expect(check(settings)).resolves.toMatchObject({ status: 'ok' });
  });

  it('5xx: Degraded; at the token endpoint too', async () => {
    fake.setFaults({ serverError: { times: 100, status: 500 }, paths: ['/v2/organizations'] }, 'acme-app');
    await expect(check(settings)).resolves.toMatchObject({ status: 'degraded', message: expect.stringContaining('NinjaOne is having trouble (HTTP 500)') });
    fake.setFaults({ serverError: { times: 100, status: 502 }, paths: ['/ws/oauth/token'] }, 'acme-app');
    await expect(check(settings)).resolves.toMatchObject({ status: 'degraded', message: expect.stringContaining('(HTTP 502)') });
  });

  it('a hanging NinjaOne: Degraded within the timeout', async () => {
    fake.setFaults({ hang: true, paths: ['/v2/organizations'] }, 'acme-app');
    const started = Date.now();
    await expect(check(settings)).resolves.toEqual({ status: 'degraded', message: 'NinjaOne did not answer within 1 s' });
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('malformed JSON: Error', async () => {
    fake.setFaults({ malformedJson: true, paths: ['/v2/organizations'] }, 'acme-app');
    await expect(check(settings)).resolves.toEqual({ status: 'error', message: 'NinjaOne sent an answer to GET /v2/organizations that could not be read (not valid JSON)' });
  });

  it('bad settings: Error without a call', async () => {
    await expect(check({ ...settings, instance: 'moon' })).resolves.toMatchObject({ status: 'error', message: expect.stringContaining('Choose your NinjaOne instance') });
    expect(fake.requestCount()).toBe(0);
  });

  it("replays the spec-shaped bare array: Ok; a wrapped one is not NinjaOne's shape: Error", async () => {
    const oauth: TokenSource = { accessToken: async () => ({ value: 'replay-token', expiresAt: new Date(Date.now() + 3_600_000), scopes: ['monitoring'] }), rejected: async () => {} };
    const replay = await startReplayServer({ 'GET /v2/organizations': { status: 200, json: ninjaExamples.organizations } });
    const wrapped = await startReplayServer({ 'GET /v2/organizations': { status: 200, json: { organizations: ninjaExamples.organizations } } });
    try {
      const at = (origin: string) => plugin.healthCheck(pluginContext({ settings, log: logs.log, env: { VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: origin }, oauth }));
      await expect(at(replay.origin)).resolves.toMatchObject({ status: 'ok' });
      await expect(at(wrapped.origin)).resolves.toMatchObject({ status: 'error', message: expect.stringContaining('not a list of organizations') });
    } finally {
      await replay.close();
      await wrapped.close();
    }
  });

  it('logs never carry the client secret or a bearer token', () => {
    const text = logs.text();
    expect(text).toContain('"vendor":"NinjaOne"');
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/nj_at_|bearer /i);
  });
});
