import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/pool.js';
import { OAuthConnectionError, TokenRequestError } from '../../integrations/oauth2/types.js';
import { startFakeAuthorizationServer, type FakeAuthorizationServer } from '../../integrations/oauth2/testing/fakeAuthorizationServer.js';
import { createOAuthTestPlugin, oauthTestSettings } from '../../integrations/testing/oauthPlugin.js';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';
import { createOAuthTokens, refusalsBeforeDisconnect, type OAuthTokens } from './tokens.js';

let fake: FakeAuthorizationServer;
let w: CatalogWorld;
let plugin: ReturnType<typeof createOAuthTestPlugin>;

const integration = () => w.server.deps.registry.get('oauthtest')!;
const settings = (grant: 'cc' | 'code') => oauthTestSettings(grant);

/** A token store with its own clock and, for "another instance", its own pool. */
function instance(now: () => number, own = false): { tokens: OAuthTokens; close(): Promise<void> } {
  const deps = w.server.deps;
  const db = own ? createDb(w.server.database.url) : deps.db;
  return { tokens: createOAuthTokens({ db, secrets: deps.secrets, log: deps.log, config: deps.config }, { now }), close: () => (own ? db.close() : Promise.resolve()) };
}

beforeAll(async () => {
  fake = await startFakeAuthorizationServer();
  plugin = createOAuthTestPlugin(fake);
  w = await createCatalogWorld({ plugins: [plugin] });
  for (const [who, grant] of [[w.a.admin, 'cc'], [w.b.admin, 'code']] as const) {
    const res = await w.request('POST', '/api/integrations/oauthtest/configure', who, { settings: settings(grant) });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  await w.close();
  await plugin.close();
  await fake.close();
});
beforeEach(() => {
  for (const key of Object.keys(fake.tokenRequests)) delete fake.tokenRequests[key];
  fake.tokenDelayMs = 0;
  fake.lifetimeSeconds = 3600;
  fake.revokeRefreshTokens = false;
});

describe('client credentials', () => {
  it('500 concurrent calls over a connection without a token make one token request, on one instance and across two', async () => {
    let t = Date.now();
    const one = instance(() => t);
    const two = instance(() => t, true);
    fake.tokenDelayMs = 200;
    try {
      const a = one.tokens.source(integration(), w.a.id, settings('cc'))!;
      const b = two.tokens.source(integration(), w.a.id, settings('cc'))!;
      const got = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).accessToken()));
      expect(fake.tokenRequests.client_credentials).toBe(1);
      expect(new Set(got.map((token) => token.value)).size).toBe(1);
      expect(fake.issued.has(got[0]!.value)).toBe(true);

      // 3,000 s later the token has less than 5 minutes left: the next callers renew it, once.
      t += 3_400_000;
      const renewed = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).accessToken()));
      expect(fake.tokenRequests.client_credentials).toBe(2);
      expect(new Set(renewed.map((token) => token.value)).size).toBe(1);
      expect(renewed[0]!.value).not.toBe(got[0]!.value);
    } finally {
      await two.close();
    }
  });

  it('per organization (issue 26): one token per tenant, each requested once across two instances, stored in its own row', async () => {
    const t = Date.now();
    const one = instance(() => t);
    const two = instance(() => t, true);
    fake.tokenDelayMs = 100;
    try {
      const a = one.tokens.source(integration(), w.a.id, settings('cc'))!;
      const b = two.tokens.source(integration(), w.a.id, settings('cc'))!;
      const got = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).forOrganization!(i % 4 < 2 ? 'tenant-x' : 'tenant-y').accessToken()));
      expect(fake.tokenRequests.client_credentials).toBe(2);
      expect(new Set(got.map((token) => token.value)).size).toBe(2);
      const { rows } = await w.server.deps.db.pool.query(
        "SELECT organization_key FROM oauth_connections WHERE partner_id = $1 AND organization_key IN ('tenant-x', 'tenant-y') ORDER BY 1",
        [w.a.id],
      );
      expect(rows.map((r) => r.organization_key)).toEqual(['tenant-x', 'tenant-y']);
    } finally {
      await two.close();
    }
  });

  it('stores the token encrypted: the database never holds it in clear', async () => {
    const token = await instance(() => Date.now()).tokens.source(integration(), w.a.id, settings('cc'))!.accessToken();
    const { rows } = await w.server.deps.db.pool.query("SELECT access_token::text AS stored FROM oauth_connections WHERE partner_id = $1 AND organization_key = ''", [w.a.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].stored).not.toContain(token.value);
    expect(JSON.parse(rows[0].stored)).toMatchObject({ v: 1, kid: 'test1' });
  });

  it('a token refused by the API is dropped and the retry gets a new one (one more token request)', async () => {
    const tokens = instance(() => Date.now()).tokens;
    const source = tokens.source(integration(), w.a.id, settings('cc'))!;
    const first = await source.accessToken();
    fake.issued.delete(first.value); // the vendor revokes it early
    const res = await w.request('POST', '/api/integrations/oauthtest/test', w.a.admin, {});
    expect(res.json()).toMatchObject({ health: 'ok' });
    expect(fake.tokenRequests.client_credentials).toBe(1);
  });

  it('a wrong client secret is refused by the vendor with its own words, and nothing is retried in a loop', async () => {
    const source = instance(() => Date.now()).tokens.source(integration(), w.a.id, { ...settings('cc'), client_secret: 'wrong-secret-0123456789' })!;
    const error = await source.accessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(fake.tokenRequests.client_credentials).toBe(1);
    // The settings of that wrong secret never reuse the good settings' token.
    const good = await instance(() => Date.now()).tokens.source(integration(), w.a.id, settings('cc'))!.accessToken();
    expect(fake.issued.has(good.value)).toBe(true);
  });
});

describe('authorization code: a refused refresh', () => {
  it('turns the integration to Error "reconnect needed", then disconnected after repeated refusals, with its actions unavailable', async () => {
    // Sign in as the desktop would: start, the browser's round trip, complete.
    const started = (await w.server.caller(w.b.admin.auth).oauth.start({ key: 'oauthtest', redirectUri: 'http://127.0.0.1:49999/callback', codeChallenge: challenge })) as { authorizeUrl: string; state: string };
    const back = await fetch(started.authorizeUrl, { redirect: 'manual' });
    const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
    const view = await w.server.caller(w.b.admin.auth).oauth.complete({ key: 'oauthtest', state: started.state, code, codeVerifier: verifier });
    expect(view).toMatchObject({ grant: 'oauth2AuthorizationCode', state: 'connected', scopesGranted: ['read', 'offline_access'] });
    expect(JSON.stringify(view)).not.toMatch(/[0-9a-f]{32}/); // no token in the view

    let t = Date.now();
    const tokens = instance(() => t).tokens;
    const source = tokens.source(integration(), w.b.id, settings('code'))!;
    await source.accessToken();
    expect(fake.tokenRequests.refresh_token ?? 0).toBe(0); // the sign-in's token is still fresh

    fake.revokeRefreshTokens = true;
    t += 3_400_000;
    const first = await source.accessToken().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(OAuthConnectionError);
    expect(first).toMatchObject({ state: 'reconnect_needed' });
    expect((first as Error).message).toContain('reconnect needed');
    const detail = (await w.request('GET', '/api/integrations/oauthtest', w.b.admin)).json();
    expect(detail.state).toMatchObject({ status: 'Error' });
    expect(detail.state.errorMessage).toContain('reconnect needed');
    let actions = (await w.request('GET', '/api/actions?key=oauthtest', w.b.admin)).json().items;
    expect(actions[0].unavailable).toMatchObject({ code: 'disconnected' });

    for (let i = 2; i <= refusalsBeforeDisconnect; i++) await source.accessToken().catch(() => undefined);
    expect(fake.tokenRequests.refresh_token).toBe(refusalsBeforeDisconnect);
    const last = await source.accessToken().catch((e: unknown) => e);
    expect(last).toMatchObject({ state: 'disconnected' });
    // Disconnected: nothing more is asked of the vendor.
    expect(fake.tokenRequests.refresh_token).toBe(refusalsBeforeDisconnect);
    const connection = await w.server.caller(w.b.admin.auth).oauth.connection({ key: 'oauthtest' });
    expect(connection).toMatchObject({ state: 'disconnected', refusals: refusalsBeforeDisconnect });
    actions = (await w.request('GET', '/api/actions?key=oauthtest', w.b.admin)).json().items;
    expect(actions[0].unavailable.message).toContain('Disconnected');
    const run = await w.request('POST', '/api/actions/oauthtest.resource.read/run', w.b.admin, { input: {} });
    expect(run.statusCode).toBe(409);
    // The screens stay readable.
    expect((await w.request('GET', '/api/integrations/oauthtest/audit', w.b.admin)).statusCode).toBe(200);
  });
});

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
