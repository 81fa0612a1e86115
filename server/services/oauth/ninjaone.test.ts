import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNinjaOne, type FakeNinjaOne } from '../../integrations/ninjaone/fakeServer.js';
import { createNinjaOnePlugin } from '../../integrations/ninjaone/index.js';
import { createCatalogWorld, type CatalogWorld, type WorldUser } from '../../test/catalogWorld.js';

// NinjaOne through the whole framework: the stored, locked token source (not the in-memory one the
// plugin's own tests use), a sign-in on the fake's consent page, run_script exactly once through
// the action service, and a revoked refresh token turning the integration to Error, then disconnected.

let fake: FakeNinjaOne;
let w: CatalogWorld;
let plugin: ReturnType<typeof createNinjaOnePlugin>;
let deviceId = 0;

const web = { clientId: 'web-app', clientSecret: 'web-secret-0123456789' };
const m2m = { clientId: 'm2m-app', clientSecret: 'm2m-secret-0123456789' };

async function signIn(who: WorldUser) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const start = await w.request('POST', '/api/integrations/ninjaone/connection/start', who, { redirectUri: 'http://127.0.0.1:50111/callback', codeChallenge: challenge });
  expect(start.statusCode, start.body).toBe(200);
  const { authorizeUrl, state } = start.json() as { authorizeUrl: string; state: string };
  // The consent page, then "Allow" as the technician would press it.
  const page = await (await fetch(authorizeUrl)).text();
  expect(page).toContain('wants to access your NinjaOne account');
  const consent = /name="consent" value="([^"]+)"/.exec(page)?.[1] as string;
  const allowed = await fetch(new URL('/ws/oauth/authorize', fake.origin), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ consent, decision: 'allow' }) });
  const back = new URL(allowed.headers.get('location') as string);
  expect(back.searchParams.get('state')).toBe(state);
  return w.request('POST', '/api/integrations/ninjaone/connection/complete', who, { state, code: back.searchParams.get('code'), codeVerifier: verifier });
}

beforeAll(async () => {
  fake = await startFakeNinjaOne();
  fake.addApp({ ...web, name: 'IC web', scopes: ['monitoring', 'management', 'offline_access'], grants: ['authorization_code', 'refresh_token'] });
  fake.addApp({ ...m2m, name: 'IC m2m', scopes: ['monitoring'], grants: ['client_credentials'] });
  const [org] = fake.addOrganizations(3, ['Harbor Dental Group']);
  deviceId = (fake.addDevices(org as number, [{ displayName: 'HAR-DC01' }])[0] as { id: number }).id;
  plugin = createNinjaOnePlugin();
  w = await createCatalogWorld({ plugins: [plugin], env: { VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: fake.origin } });
});
afterAll(async () => {
  await w.close();
  await plugin.close();
  await fake.close();
});

describe('NinjaOne over the OAuth2 framework', () => {
  it('connects with a sign-in, runs a script once even when retried, and shows the scopes granted', async () => {
    const configured = await w.request('POST', '/api/integrations/ninjaone/configure', w.a.admin, { settings: { instance: 'eu', client_id: web.clientId, client_secret: web.clientSecret, scopes: 'monitoring management', grant: 'authorization_code' } });
    expect(configured.statusCode, configured.body).toBe(201);
    const before = (await w.request('GET', '/api/actions?key=ninjaone', w.a.admin)).json().items as { id: string; unavailable?: { code: string; message: string } }[];
    expect(before.find((a) => a.id === 'ninjaone.devices.run_script')?.unavailable).toMatchObject({ code: 'disconnected', message: expect.stringContaining('Not connected to NinjaOne yet') });

    const done = await signIn(w.a.admin);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ state: 'connected', scopesGranted: expect.arrayContaining(['monitoring', 'management', 'offline_access']) });
    expect((await w.request('POST', '/api/integrations/ninjaone/test', w.a.admin, {})).json()).toMatchObject({ health: 'ok' });

    const body = { input: { deviceId: String(deviceId), type: 'SCRIPT', id: 41, parameters: '-Force', runAs: 'system' }, idempotencyKey: 'run-script-key-0001' };
    const first = await w.request('POST', '/api/actions/ninjaone.devices.run_script/run', w.a.admin, body);
    expect(first.statusCode, first.body).toBe(200);
    const retry = await w.request('POST', '/api/actions/ninjaone.devices.run_script/run', w.a.admin, body);
    expect(retry.statusCode).toBe(200);
    expect(fake.scriptRuns(deviceId)).toBe(1);
    expect(fake.runsOf(deviceId)[0]).toMatchObject({ type: 'SCRIPT', id: 41, parameters: '-Force', runAs: 'system' });
  });

  it('a revoked refresh token: Error "reconnect needed", then disconnected, its actions unavailable, its screens readable', async () => {
    fake.revokeRefreshTokens(web.clientId);
    // The access token must need renewing: make the stored one expire.
    for (let i = 0; i < 3; i++) {
      await w.server.deps.db.pool.query("UPDATE oauth_connections SET expires_at = now() WHERE partner_id = $1 AND access_token IS NOT NULL", [w.a.id]);
      const check = (await w.request('POST', '/api/integrations/ninjaone/test', w.a.admin, {})).json();
      expect(check.health).toBe('error');
      expect(check.message).toMatch(i < 2 ? /reconnect needed/ : /Disconnected from NinjaOne/);
    }
    const connection = (await w.request('GET', '/api/integrations/ninjaone/connection', w.a.tech)).json();
    expect(connection).toMatchObject({ state: 'disconnected', refusals: 3 });
    const actions = (await w.request('GET', '/api/actions?key=ninjaone', w.a.admin)).json().items as { unavailable?: { code: string } }[];
    expect(actions.every((a) => a.unavailable?.code === 'disconnected')).toBe(true);
    expect((await w.request('GET', '/api/integrations/ninjaone', w.a.tech)).statusCode).toBe(200);
    // Connecting again restores it.
    const again = await signIn(w.a.admin);
    expect(again.json()).toMatchObject({ state: 'connected', refusals: 0 });
  });

  it('client credentials asking for a scope the app lacks: Error naming the scope, nothing stored usable', async () => {
    const res = await w.request('POST', '/api/integrations/ninjaone/configure', w.b.admin, { settings: { instance: 'app', client_id: m2m.clientId, client_secret: m2m.clientSecret, scopes: 'monitoring management', grant: 'client_credentials' } });
    expect(res.statusCode).toBe(201);
    const check = (await w.request('POST', '/api/integrations/ninjaone/test', w.b.admin, {})).json();
    expect(check.health).toBe('error');
    expect(check.message).toContain('management');
    const fixed = await w.request('POST', '/api/integrations/ninjaone/reconfigure', w.b.admin, { settings: { instance: 'app', client_id: m2m.clientId, client_secret: '', scopes: 'monitoring', grant: 'client_credentials' }, baseVersion: check.detail.state.version });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((await w.request('POST', '/api/integrations/ninjaone/test', w.b.admin, {})).json()).toMatchObject({ health: 'ok' });
    const actions = (await w.request('GET', '/api/actions?key=ninjaone', w.b.admin)).json().items as { id: string; unavailable?: { message: string } }[];
    expect(actions.find((a) => a.id === 'ninjaone.devices.run_script')?.unavailable?.message).toContain('management scope');
  });
});
