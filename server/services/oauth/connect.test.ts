import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAuthorizationServer, type FakeAuthorizationServer } from '../../integrations/oauth2/testing/fakeAuthorizationServer.js';
import { createOAuthTestPlugin, oauthTestSettings } from '../../integrations/testing/oauthPlugin.js';
import { createCatalogWorld, type CatalogWorld, type WorldUser } from '../../test/catalogWorld.js';

let fake: FakeAuthorizationServer;
let w: CatalogWorld;
let plugin: ReturnType<typeof createOAuthTestPlugin>;

const redirectUri = 'http://127.0.0.1:49152/callback';
function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function start(who: WorldUser, challenge: string) {
  const res = await w.request('POST', '/api/integrations/oauthtest/connection/start', who, { redirectUri, codeChallenge: challenge });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { authorizeUrl: string; state: string; scopesRequested: string[] };
}

/** The browser's part: the vendor's authorize page sends it back to the loopback redirect. */
async function codeFor(authorizeUrl: string): Promise<{ code: string | null; state: string | null; error: string | null }> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const back = new URL(res.headers.get('location') as string);
  return { code: back.searchParams.get('code'), state: back.searchParams.get('state'), error: back.searchParams.get('error') };
}

const complete = (who: WorldUser, body: Record<string, unknown>) => w.request('POST', '/api/integrations/oauthtest/connection/complete', who, body);
const connectionRows = async (partnerId: number) => (await w.server.deps.db.pool.query('SELECT status FROM oauth_connections WHERE partner_id = $1', [partnerId])).rows;

beforeAll(async () => {
  fake = await startFakeAuthorizationServer();
  plugin = createOAuthTestPlugin(fake);
  w = await createCatalogWorld({ plugins: [plugin] });
  expect((await w.request('POST', '/api/integrations/oauthtest/configure', w.a.admin, { settings: oauthTestSettings('code') })).statusCode).toBe(201);
  expect((await w.request('POST', '/api/integrations/oauthtest/configure', w.b.admin, { settings: oauthTestSettings('cc') })).statusCode).toBe(201);
});
afterAll(async () => {
  await w.close();
  await plugin.close();
  await fake.close();
});

describe('signing in with the authorization code grant', () => {
  it('builds the authorize URL with the client id, loopback redirect, scopes, state and S256 challenge, and shows the scopes first', async () => {
    const before = (await w.request('GET', '/api/integrations/oauthtest/connection', w.a.tech)).json();
    expect(before).toMatchObject({ grant: 'oauth2AuthorizationCode', state: 'not_connected', scopesRequested: ['read', 'offline_access'], scopesGranted: [] });
    const { challenge } = pkce();
    const started = await start(w.a.admin, challenge);
    const url = new URL(started.authorizeUrl);
    expect(url.origin + url.pathname).toBe(`${fake.origin}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'ic-test-client',
      redirect_uri: redirectUri,
      scope: 'read offline_access',
      state: started.state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(started.authorizeUrl).not.toContain('secret');
  });

  it('connects, audits the scopes granted, and turns the integration Active', async () => {
    const { verifier, challenge } = pkce();
    const started = await start(w.a.admin, challenge);
    const back = await codeFor(started.authorizeUrl);
    expect(back.state).toBe(started.state);
    const res = await complete(w.a.admin, { state: started.state, code: back.code, codeVerifier: verifier });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'connected', scopesGranted: ['read', 'offline_access'] });
    const audit = (await w.request('GET', '/api/integrations/oauthtest/audit', w.a.admin)).json();
    expect(audit.items.find((e: { action: string }) => e.action === 'connected')).toMatchObject({ details: { scopes: ['read', 'offline_access'] } });
    // The sign-in checked the connection at once: the integration is Active without a test.
    const detail = (await w.request('GET', '/api/integrations/oauthtest', w.a.admin)).json();
    expect(detail.state).toMatchObject({ status: 'Active', health: 'ok' });
  });

  it('refuses a state it did not start, a second use of the same sign-in, and a wrong verifier, storing nothing', async () => {
    await w.request('DELETE', '/api/integrations/oauthtest/connection', w.a.admin);
    expect(await connectionRows(w.a.id)).toHaveLength(0);

    const unknown = await complete(w.a.admin, { state: randomBytes(32).toString('base64url'), code: 'abc', codeVerifier: pkce().verifier });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('unknown, already completed or expired');

    const first = pkce();
    const started = await start(w.a.admin, first.challenge);
    const back = await codeFor(started.authorizeUrl);
    const wrong = await complete(w.a.admin, { state: started.state, code: back.code, codeVerifier: pkce().verifier });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain('PKCE');
    // The failed attempt used the state up: the right verifier now finds nothing either.
    const again = await complete(w.a.admin, { state: started.state, code: back.code, codeVerifier: first.verifier });
    expect(again.statusCode).toBe(400);
    expect(await connectionRows(w.a.id)).toHaveLength(0);
    expect(fake.tokenRequests.authorization_code ?? 0).toBeGreaterThanOrEqual(1); // only the earlier, good sign-in
  });

  it("refuses a code the vendor already used, with the vendor's words", async () => {
    const { verifier, challenge } = pkce();
    const started = await start(w.a.admin, challenge);
    const back = await codeFor(started.authorizeUrl);
    expect((await complete(w.a.admin, { state: started.state, code: back.code, codeVerifier: verifier })).statusCode).toBe(200);
    // A second sign-in replaying the first one's code: the vendor refuses it.
    const second = pkce();
    const other = await start(w.a.admin, second.challenge);
    const replay = await complete(w.a.admin, { state: other.state, code: back.code, codeVerifier: second.verifier });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.message).toContain('invalid_grant');
  });

  it('answers field messages for a redirect that is not the loopback listener and a malformed challenge', async () => {
    const res = await w.request('POST', '/api/integrations/oauthtest/connection/start', w.a.admin, { redirectUri: 'https://evil.example/callback', codeChallenge: 'short' });
    expect(res.statusCode).toBe(400);
    const body = JSON.stringify(res.json());
    expect(body).toContain('redirectUri');
    expect(body).toContain('loopback');
    expect(body).toContain('codeChallenge');
  });

  it('lets only partner admins sign in, and starts nothing for a client-credentials integration', async () => {
    const tech = await w.request('POST', '/api/integrations/oauthtest/connection/start', w.a.tech, { redirectUri, codeChallenge: pkce().challenge });
    expect(tech.statusCode).toBe(403);
    const cc = await w.request('POST', '/api/integrations/oauthtest/connection/start', w.b.admin, { redirectUri, codeChallenge: pkce().challenge });
    expect(cc.statusCode).toBe(409);
    expect(cc.json().error.message).toContain('client credentials');
  });

  it("never completes another partner's sign-in", async () => {
    const { verifier, challenge } = pkce();
    const started = await start(w.a.admin, challenge);
    const back = await codeFor(started.authorizeUrl);
    const res = await w.request('POST', '/api/integrations/oauthtest/connection/complete', w.b.admin, { state: started.state, code: back.code, codeVerifier: verifier });
    expect(res.statusCode).toBe(400);
    expect(await connectionRows(w.b.id)).toHaveLength(0);
  });
});
