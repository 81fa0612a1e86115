import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPartner } from '../db/pool.js';
import { startFakeAuthorizationServer, type FakeAuthorizationServer } from '../integrations/oauth2/testing/fakeAuthorizationServer.js';
import { createOAuthTestPlugin, oauthTestSettings } from '../integrations/testing/oauthPlugin.js';
import { createCatalogWorld, type CatalogWorld } from '../test/catalogWorld.js';
import { matrixNamespaces, proceduresOf, routerNamespaces, uncovered } from '../test/isolationCoverage.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type MatrixIds, type RestCall, type TrpcCall } from '../test/isolationMatrix.js';

/**
 * The tenant isolation matrix for OAuth2 connections (issue 16): every procedure, over REST and
 * tRPC, by every kind of caller. Partner A is connected (signed in), B is configured but not; the
 * partner always comes from the token, so B's admin only ever reaches B's own connection, and no
 * answer carries a token. Row-level security backs it underneath.
 */
interface Operation {
  name: string;
  rest: (ids: MatrixIds) => RestCall;
  trpc: (ids: MatrixIds) => TrpcCall;
  expect: Record<MatrixCaller, number>;
}

const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
const startBody = { redirectUri: 'http://127.0.0.1:50222/callback', codeChallenge: challenge };
const completeBody = () => ({ state: randomBytes(32).toString('base64url'), code: 'a-code', codeVerifier: randomBytes(32).toString('base64url') });

const operations: Operation[] = [
  {
    name: 'oauth.connection',
    rest: () => ({ method: 'GET', url: '/api/integrations/oauthtest/connection' }),
    trpc: () => ({ kind: 'query', path: 'oauth.connection', input: { key: 'oauthtest' } }),
    // The dev partner has no configuration of its own: not found, never A's.
    expect: { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 404, none: 401 },
  },
  {
    name: 'oauth.start',
    rest: () => ({ method: 'POST', url: '/api/integrations/oauthtest/connection/start', body: startBody }),
    trpc: () => ({ kind: 'mutation', path: 'oauth.start', input: { key: 'oauthtest', ...startBody } }),
    expect: { ownAdmin: 200, ownTech: 403, otherAdmin: 200, dev: 404, none: 401 },
  },
  {
    name: 'oauth.complete',
    rest: () => ({ method: 'POST', url: '/api/integrations/oauthtest/connection/complete', body: completeBody() }),
    trpc: () => ({ kind: 'mutation', path: 'oauth.complete', input: { key: 'oauthtest', ...completeBody() } }),
    // A state nobody started: refused for every admin, and never reaches A's sign-ins.
    expect: { ownAdmin: 400, ownTech: 403, otherAdmin: 400, dev: 400, none: 401 },
  },
  {
    name: 'oauth.consentStart',
    rest: () => ({ method: 'POST', url: '/api/integrations/oauthtest/connection/consent/start', body: { ...startBody, organizationKey: 'org-of-a' } }),
    trpc: () => ({ kind: 'mutation', path: 'oauth.consentStart', input: { key: 'oauthtest', ...startBody, organizationKey: 'org-of-a' } }),
    // Only A mapped org-of-a: B's admin asking for it is not found, never A's organization.
    expect: { ownAdmin: 200, ownTech: 403, otherAdmin: 404, dev: 404, none: 401 },
  },
  {
    name: 'oauth.consentComplete',
    rest: () => ({ method: 'POST', url: '/api/integrations/oauthtest/connection/consent/complete', body: { state: completeBody().state, codeVerifier: completeBody().codeVerifier } }),
    trpc: () => ({ kind: 'mutation', path: 'oauth.consentComplete', input: { key: 'oauthtest', state: completeBody().state, codeVerifier: completeBody().codeVerifier } }),
    // A state nobody started: refused for every admin, nothing stored.
    expect: { ownAdmin: 400, ownTech: 403, otherAdmin: 400, dev: 400, none: 401 },
  },
  {
    name: 'oauth.disconnect',
    rest: () => ({ method: 'DELETE', url: '/api/integrations/oauthtest/connection' }),
    trpc: () => ({ kind: 'mutation', path: 'oauth.disconnect', input: { key: 'oauthtest' } }),
    expect: { ownAdmin: 200, ownTech: 403, otherAdmin: 200, dev: 404, none: 401 },
  },
];

let w: CatalogWorld;
let fake: FakeAuthorizationServer;
let plugin: ReturnType<typeof createOAuthTestPlugin>;
let ids: MatrixIds;
const connectionsOf = async (partnerId: number) => Number((await w.server.deps.db.pool.query('SELECT count(*) AS n FROM oauth_connections WHERE partner_id = $1', [partnerId])).rows[0].n);

/** Signs partner A in through the real flow (start, the fake's redirect, complete). */
async function connectA() {
  const verifier = randomBytes(32).toString('base64url');
  const start = await w.request('POST', '/api/integrations/oauthtest/connection/start', w.a.admin, { redirectUri: startBody.redirectUri, codeChallenge: createHash('sha256').update(verifier).digest('base64url') });
  const { authorizeUrl, state } = start.json() as { authorizeUrl: string; state: string };
  const back = new URL((await fetch(authorizeUrl, { redirect: 'manual' })).headers.get('location') as string);
  const done = await w.request('POST', '/api/integrations/oauthtest/connection/complete', w.a.admin, { state, code: back.searchParams.get('code'), codeVerifier: verifier });
  expect(done.statusCode, done.body).toBe(200);
}

describe('tenant isolation matrix: OAuth2 connections', () => {
  beforeAll(async () => {
    fake = await startFakeAuthorizationServer();
    plugin = createOAuthTestPlugin(fake);
    w = await createCatalogWorld({ plugins: [plugin] });
    for (const p of [w.a, w.b]) expect((await w.request('POST', '/api/integrations/oauthtest/configure', p.admin, { settings: oauthTestSettings('code') })).statusCode).toBe(201);
    ids = { a: w.a.id, b: w.b.id };
    const client = (await w.request('POST', '/api/clients', w.a.admin, { name: 'Client of A' })).json() as { id: number };
    const mapped = await w.request('POST', '/api/integrations/oauthtest/mappings', w.a.admin, { clientId: client.id, externalOrgId: 'org-of-a', externalOrgName: 'Org of A' });
    expect(mapped.statusCode, mapped.body).toBeLessThan(300);
    await connectA();
  }, 60_000);
  afterAll(async () => {
    await w?.close();
    await plugin?.close();
    await fake?.close();
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        // Every caller but A's admin first, so A's connection is there to be reached if it could be.
        for (const caller of [...matrixCallers.filter((c) => c !== 'ownAdmin'), 'ownAdmin' as const]) {
          const res = await sendMatrixCall(w, transport, { rest: op.rest(ids), trpc: op.trpc(ids) }, matrixUser(w, caller));
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(op.expect[caller]);
          for (const token of fake.issued) expect(res.body).not.toContain(token);
          if (caller === 'otherAdmin' && op.name === 'oauth.connection') {
            const body = res.json();
            expect(body.result?.data ?? body).toMatchObject({ state: 'not_connected', connectedAt: null });
          }
          if (caller !== 'ownAdmin') expect(await connectionsOf(ids.a), `${op.name} as ${caller} touched A`).toBe(1);
        }
        if ((await connectionsOf(ids.a)) === 0) await connectA();
      });
    }
  }

  it('has a row for every procedure and REST route of the oauth router', () => {
    expect(uncovered(operations, matrixNamespaces.oauth, {}, ids)).toEqual([]);
    expect(proceduresOf(matrixNamespaces.oauth)).toHaveLength(operations.length);
    expect(routerNamespaces()).toContain('oauth');
  });

  it('is backed by row-level security: B sees none of A and writes none for A', async () => {
    const seen = await withPartner(w.server.deps.db, ids.b, async (tx) => (await tx.query('SELECT DISTINCT partner_id FROM oauth_connections')).rows);
    expect(seen.every((r: { partner_id: number }) => r.partner_id === ids.b)).toBe(true);
    await expect(
      withPartner(w.server.deps.db, ids.b, (tx) =>
        tx.query(`UPDATE oauth_connections SET status = 'disconnected' WHERE partner_id = $1 RETURNING 1`, [ids.a]).then((r) => {
          if (r.rowCount) throw new Error('B updated A');
        }),
      ),
    ).resolves.toBeUndefined();
    await expect(
      withPartner(w.server.deps.db, ids.b, (tx) =>
        tx.query(`INSERT INTO oauth_pending (partner_id, state_hash, integration_key, redirect_uri, code_challenge, fingerprint, expires_at)
                  VALUES ($1, $2, 'oauthtest', 'http://127.0.0.1:1/callback', $3, 'x', now())`, [ids.a, '0'.repeat(64), challenge]),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
