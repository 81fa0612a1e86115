import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeNinjaOne, type FakeNinjaOne } from './fakeServer.js';

let fake: FakeNinjaOne;
const redirectUri = 'http://127.0.0.1:53682/callback';

beforeAll(async () => {
  fake = await startFakeNinjaOne();
  fake.addApp({ clientId: 'm2m', clientSecret: 'm2m-secret', scopes: ['monitoring'] });
  fake.addApp({ clientId: 'web', clientSecret: 'web-secret', name: 'Integration Center Web', scopes: ['monitoring', 'management'], grants: ['authorization_code', 'refresh_token'], redirectUris: [redirectUri] });
  fake.addOrganizations(3, ['Harbor Dental']);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.resetCounts();
  fake.resetFaults();
});

const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
async function token(fields: Record<string, string>, path = '/ws/oauth/token', init: RequestInit = {}) {
  const res = await fetch(`${fake.origin}${path}`, { ...form(fields), ...init, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(init.headers as Record<string, string>) } });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}
const cc = (extra: Record<string, string> = {}) => ({ grant_type: 'client_credentials', client_id: 'm2m', client_secret: 'm2m-secret', scope: 'monitoring', ...extra });
const get = (path: string, accessToken: string) => fetch(`${fake.origin}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });

describe('fake NinjaOne: client credentials', () => {
  it('serves the token at /ws/oauth/token and /oauth/token, and the API under /v2 and /api/v2', async () => {
    const a = await token(cc());
    const b = await token(cc(), '/oauth/token');
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'monitoring' });
    for (const prefix of ['/v2', '/api/v2']) {
      const res = await get(`${prefix}/organizations?pageSize=2`, a.body.access_token as string);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { name: string }[]).map((o) => o.name)).toEqual(['Harbor Dental', 'Organization 2']);
    }
    expect(fake.tokenRequests({ grant: 'client_credentials', clientId: 'm2m' })).toBe(2);
    expect(fake.requestCount({ path: '/v2/organizations', tenant: 'm2m' })).toBe(2);
  });

  it('takes the client in HTTP Basic too', async () => {
    const basic = Buffer.from('m2m:m2m-secret').toString('base64');
    const res = await token({ grant_type: 'client_credentials', scope: 'monitoring' }, '/ws/oauth/token', { headers: { authorization: `Basic ${basic}` } });
    expect(res.status).toBe(200);
  });

  it('refuses a scope not granted (invalid_scope), offline_access, a bad client and unknown tokens', async () => {
    expect(await token(cc({ scope: 'monitoring management' }))).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: 'Invalid scope management for client' } });
    expect((await token(cc({ scope: 'monitoring offline_access' }))).status).toBe(400);
    expect(await token(cc({ client_secret: 'nope' }))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await get('/v2/organizations', 'made-up')).status).toBe(401);
  });

  it('tokens expire early on a switch, and expires_in is configurable', async () => {
    fake.setTokenLifetime({ expiresIn: 120, expireAfterSeconds: 0 });
    try {
      const t = await token(cc());
      expect(t.body.expires_in).toBe(120);
      await new Promise((r) => setTimeout(r, 5));
      expect((await get('/v2/organizations', t.body.access_token as string)).status).toBe(401);
    } finally {
      fake.setTokenLifetime({ expiresIn: 3600, expireAfterSeconds: null });
    }
  });
});

describe('fake NinjaOne: authorization code with PKCE', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  async function consent(decision: 'allow' | 'deny', overrides: Record<string, string> = {}) {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'web', redirect_uri: redirectUri, scope: 'monitoring management offline_access', state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256', ...overrides });
    const page = await fetch(`${fake.origin}/ws/oauth/authorize?${q}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Integration Center Web');
    expect(html).toContain('<li>management</li>');
    const id = /name="consent" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const res = await fetch(`${fake.origin}/ws/oauth/authorize`, { ...form({ consent: id, decision }), redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location') ?? '');
  }
  const exchange = (code: string, extra: Record<string, string> = {}) =>
    token({ grant_type: 'authorization_code', client_id: 'web', client_secret: 'web-secret', code, redirect_uri: redirectUri, code_verifier: verifier, ...extra });

  it('consent → code → token with the verifier, with a refresh token; refresh works until revoked', async () => {
    const back = await consent('allow');
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') ?? '';
    const t = await exchange(code);
    expect(t).toMatchObject({ status: 200, body: { token_type: 'Bearer', scope: 'monitoring management offline_access' } });
    expect(t.body.refresh_token).toBeTruthy();
    expect((await get('/v2/organizations', t.body.access_token as string)).status).toBe(200);

    const refreshed = await token({ grant_type: 'refresh_token', client_id: 'web', client_secret: 'web-secret', refresh_token: t.body.refresh_token as string });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(t.body.access_token);
    fake.revokeRefreshTokens('web');
    expect(await token({ grant_type: 'refresh_token', client_id: 'web', client_secret: 'web-secret', refresh_token: t.body.refresh_token as string })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(fake.tokenRequests({ grant: 'refresh_token' })).toBe(2);
  });

  it('a denied consent comes back as access_denied with the state', async () => {
    const back = await consent('deny');
    expect([back.searchParams.get('error'), back.searchParams.get('state'), back.searchParams.get('code')]).toEqual(['access_denied', 'st-1', null]);
  });

  it('refuses a wrong verifier, a reused code and a wrong redirect_uri', async () => {
    const wrongVerifier = (await consent('allow')).searchParams.get('code') ?? '';
    expect(await exchange(wrongVerifier, { code_verifier: randomBytes(32).toString('base64url') })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const once = (await consent('allow')).searchParams.get('code') ?? '';
    expect((await exchange(once)).status).toBe(200);
    expect(await exchange(once)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const wrongRedirect = (await consent('allow')).searchParams.get('code') ?? '';
    expect(await exchange(wrongRedirect, { redirect_uri: 'http://127.0.0.1:53682/other' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('an unregistered redirect_uri gets an error page, not a redirect; an ungranted scope goes back as invalid_scope', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'web', redirect_uri: 'https://evil.example/cb', scope: 'monitoring', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await fetch(`${fake.origin}/ws/oauth/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    q.set('redirect_uri', redirectUri);
    q.set('scope', 'monitoring control');
    const scoped = await fetch(`${fake.origin}/ws/oauth/authorize?${q}`, { redirect: 'manual' });
    expect(new URL(scoped.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_scope');
  });
});
