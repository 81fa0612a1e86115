import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import type { PluginSettings } from '../types.js';
import { teamsExamples } from './examples.js';
import { startFakeTeams, type FakeTeams } from './fakeServer.js';
import { createTeamsPlugin } from './index.js';

const logs = captureLogs('trace');
const tenant = '11111111-2222-4333-8444-555555555555';
const otherTenant = '99999999-2222-4333-8444-555555555555';
const singleApp = 'aaaaaaaa-0000-4000-8000-000000000001';
const multiApp = 'bbbbbbbb-0000-4000-8000-000000000002';
const secret = 'S3cr~et.value_single-tenant-0123456789';
const multiSecret = 'S3cr~et.value_multi-tenant-0123456789';

const single: PluginSettings = { tenant_id: tenant, app_id: singleApp, client_secret: secret, bot_type: 'single_tenant', service_region: 'global' };
const multi: PluginSettings = { tenant_id: tenant, app_id: multiApp, client_secret: multiSecret, bot_type: 'multi_tenant' };

let fake: FakeTeams;
const plugin = createTeamsPlugin({ checkTimeoutMs: 1_500, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, requestTimeoutMs: 700, retry: { baseDelayMs: 5, maxDelayMs: 20 } } });

function check(settings: PluginSettings, origin = fake.origin) {
  const env = { VENDOR_EMULATORS: 'true', MICROSOFT_LOGIN_BASE_URL: origin, TEAMS_SERVICE_URL: origin };
  return plugin.healthCheck(pluginContext({ settings, log: logs.log, env, auth: plugin.auth }));
}

beforeAll(async () => {
  fake = await startFakeTeams();
  fake.addTenant({ id: tenant, domains: ['contoso.onmicrosoft.com'] });
  fake.addTenant({ id: otherTenant });
  fake.addApp({ appId: singleApp, secret, type: 'single_tenant', homeTenant: tenant });
  fake.addApp({ appId: multiApp, secret: multiSecret, type: 'multi_tenant', homeTenant: otherTenant });
});
afterEach(() => {
  fake.resetFaults();
  fake.resetCounts();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Teams health: the Bot Framework token is the check', () => {
  it('a single-tenant bot: Ok after one token request at its tenant', async () => {
    const result = await check(single);
    expect(result).toEqual({ status: 'ok', message: `Signed in to the Bot Framework as app ${singleApp}, a single-tenant bot of tenant ${tenant}; messages go to https://smba.trafficmanager.net/teams/` });
    expect(fake.requestCount({ path: '/oauth2/v2.0/token', tenant })).toBe(1);
    expect(fake.tokensIssued(singleApp)).toBe(1);
    expect(fake.serviceRequests()).toEqual([]);
  });

  it('a verified domain works as the tenant', async () => {
    expect((await check({ ...single, tenant_id: 'contoso.onmicrosoft.com' })).status).toBe('ok');
    expect(fake.requestCount({ path: '/oauth2/v2.0/token', tenant: 'contoso.onmicrosoft.com' })).toBe(1);
  });

  it('a legacy multi-tenant bot signs in at botframework.com, saying it is legacy', async () => {
    const result = await check(multi);
    expect(result.status).toBe('ok');
    expect(result.message).toMatch(/legacy multi-tenant bot.*31 July 2025/);
    expect(fake.requestCount({ path: '/oauth2/v2.0/token', tenant: 'botframework.com' })).toBe(1);
    expect(fake.requestCount({ path: '/oauth2/v2.0/token', tenant })).toBe(0);
  });

  it('AADSTS7000215 (wrong or expired secret, HTTP 401): Error saying to create a new secret', async () => {
    const result = await check({ ...single, client_secret: 'wrong~secret.value-0123456789' });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^Microsoft Entra ID says the client secret is not valid \(expired or wrong value, AADSTS7000215\): create a new client secret/);
    expect(result.message).not.toContain('wrong~secret');
  });

  it('AADSTS700016 for a single-tenant bot set up as multi tenant: wrong tenant or wrong bot type, not just "unknown app"', async () => {
    const result = await check({ ...single, bot_type: 'multi_tenant' });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/found no app .* at botframework\.com .*AADSTS700016.*wrong tenant.*bot type is wrong/);
  });

  it('AADSTS700016 for the right app id at the wrong tenant', async () => {
    const result = await check({ ...single, tenant_id: otherTenant });
    expect(result.message).toMatch(new RegExp(`found no app ${singleApp} at tenant ${otherTenant} \\(AADSTS700016\\)`));
  });

  it('AADSTS90002: unknown tenant', async () => {
    const result = await check({ ...single, tenant_id: 'nowhere.onmicrosoft.com' });
    expect(result).toEqual({ status: 'error', message: expect.stringMatching(/^Microsoft Entra ID does not know the tenant nowhere\.onmicrosoft\.com \(AADSTS90002\)/) });
  });

  it('invalid settings: Error before anything is sent', async () => {
    expect(await check({ ...single, tenant_id: 'common' })).toEqual({ status: 'error', message: expect.stringMatching(/^Microsoft Teams settings are not valid: "common" is not a tenant/) });
    expect(fake.requestCount()).toBe(0);
  });

  it('429 with Retry-After: waited out, then Ok; 429 throughout: Degraded with the wait asked', async () => {
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 0 } });
    expect((await check(single)).status).toBe('ok');
    expect(fake.requestCount({ path: '/oauth2/v2.0/token' })).toBe(2);
    fake.setFaults({ rateLimited: { times: 5, retryAfterSeconds: 60 } });
    expect(await check(single)).toEqual({ status: 'degraded', message: 'Microsoft Entra ID is rate limiting requests (HTTP 429, retry after 60 s): Too many requests.' });
  });

  it('5xx after the retries: Degraded', async () => {
    fake.setFaults({ serverError: { times: 5, status: 503 } });
    const result = await check(single);
    expect(result).toEqual({ status: 'degraded', message: expect.stringMatching(/^Microsoft Entra ID is having trouble \(HTTP 503\)/) });
    expect(fake.requestCount({ path: '/oauth2/v2.0/token' })).toBe(3);
  });

  it('a hanging login host: Degraded within the check time', async () => {
    fake.setFaults({ hang: true });
    const started = Date.now();
    const result = await check(single);
    expect(result.status).toBe('degraded');
    expect(result.message).toMatch(/did not answer within/);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('malformed JSON from the token endpoint: Error', async () => {
    fake.setFaults({ malformedJson: true });
    expect(await check(single)).toEqual({ status: 'error', message: expect.stringMatching(/could not be read \(not valid JSON\)/) });
  });
});

describe("Teams health against Microsoft's documented bodies (replayed)", () => {
  it('token success → Ok; each documented error → its message', async () => {
    const path = `POST /${tenant}/oauth2/v2.0/token`;
    const cases = [
      { answer: { status: 200, json: teamsExamples.token }, expected: /^Signed in/ },
      { answer: { status: 401, json: teamsExamples.invalidSecret }, expected: /AADSTS7000215\): create a new client secret/ },
      { answer: { status: 400, json: teamsExamples.appNotInDirectory }, expected: /AADSTS700016\)\. This usually means the right app id was sent to the wrong tenant/ },
      { answer: { status: 400, json: teamsExamples.unknownTenant }, expected: /does not know the tenant .*AADSTS90002/ },
    ];
    for (const { answer, expected } of cases) {
      const replay = await startReplayServer({ [path]: answer });
      try {
        const result = await check(single, replay.origin);
        expect(result.message).toMatch(expected);
        expect(replay.received).toEqual([path]);
      } finally {
        await replay.close();
      }
    }
  });
});
