import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPartner } from '../db/pool.js';
import { createCatalogWorld, type CatalogWorld } from '../test/catalogWorld.js';
import { matrixNamespaces, proceduresOf, routerNamespaces, uncovered } from '../test/isolationCoverage.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type MatrixIds, type RestCall, type TrpcCall } from '../test/isolationMatrix.js';

/**
 * The tenant isolation matrix for AI assistant tokens (issue 25): every procedure, over REST and
 * tRPC, by every kind of caller. A's admin has a live token; nobody else lists, revokes or reads
 * it (not A's technician either: tokens are their user's own), and no answer but its creation
 * carries a token. Row-level security backs it.
 */
interface Operation {
  name: string;
  rest: (ids: MatrixIds) => RestCall;
  trpc: (ids: MatrixIds) => TrpcCall;
  expect: Record<MatrixCaller, number>;
}

let aTokenId = 0;
const create = { name: 'Matrix assistant', expiresInDays: 7, mode: 'read_write' };
const operations: Operation[] = [
  {
    name: 'accessTokens.list',
    rest: () => ({ method: 'GET', url: '/api/access-tokens' }),
    trpc: () => ({ kind: 'query', path: 'accessTokens.list' }),
    expect: { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 },
  },
  {
    name: 'accessTokens.create',
    rest: () => ({ method: 'POST', url: '/api/access-tokens', body: create }),
    trpc: () => ({ kind: 'mutation', path: 'accessTokens.create', input: create }),
    // Read-write: partner admins only; the platform operator gets no token at all.
    expect: { ownAdmin: 201, ownTech: 403, otherAdmin: 201, dev: 403, none: 401 },
  },
  {
    name: 'accessTokens.revoke',
    rest: () => ({ method: 'DELETE', url: `/api/access-tokens/${aTokenId}` }),
    trpc: () => ({ kind: 'mutation', path: 'accessTokens.revoke', input: { id: aTokenId } }),
    expect: { ownAdmin: 200, ownTech: 404, otherAdmin: 404, dev: 404, none: 401 },
  },
];

let w: CatalogWorld;
let ids: MatrixIds;
let aToken = '';
const q = async (sql: string, params: unknown[] = []) => (await w.server.deps.db.pool.query(sql, params)).rows;

async function prepareA() {
  const live = await q('SELECT id FROM personal_access_tokens WHERE partner_id = $1 AND user_id = $2 AND revoked_at IS NULL ORDER BY id LIMIT 1', [ids.a, w.a.admin.id]);
  if (live.length > 0) {
    aTokenId = Number(live[0].id);
    return;
  }
  const made = (await w.request('POST', '/api/access-tokens', w.a.admin, create)).json();
  aTokenId = made.id;
  aToken = made.token;
}
const aState = async () => JSON.stringify(await q('SELECT id, revoked_at, name FROM personal_access_tokens WHERE partner_id = $1 ORDER BY id', [ids.a]));

describe('tenant isolation matrix: AI assistant tokens', () => {
  beforeAll(async () => {
    w = await createCatalogWorld();
    ids = { a: w.a.id, b: w.b.id };
    await prepareA();
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        await prepareA();
        for (const caller of [...matrixCallers.filter((c) => c !== 'ownAdmin'), 'ownAdmin' as const]) {
          const before = await aState();
          const res = await sendMatrixCall(w, transport, { rest: op.rest(ids), trpc: op.trpc(ids) }, matrixUser(w, caller));
          // tRPC answers a creation 200; REST 201.
          const expected = transport === 'trpc' && op.expect[caller] === 201 ? 200 : op.expect[caller];
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(expected);
          if (aToken) expect(res.body).not.toContain(aToken.slice(4));
          if (caller !== 'ownAdmin') {
            expect(res.body).not.toContain(`"id":${aTokenId},`);
            expect(await aState(), `${op.name} as ${caller} touched A`).toBe(before);
          }
        }
      });
    }
  }

  it('has a row for every procedure and REST route of the token router', () => {
    expect(uncovered(operations, matrixNamespaces.accessTokens, {}, ids)).toEqual([]);
    expect(proceduresOf(matrixNamespaces.accessTokens)).toHaveLength(operations.length);
    expect(routerNamespaces()).toContain('accessTokens');
  });

  it('is backed by row-level security: B sees none of A and writes none for A', async () => {
    await prepareA();
    const seen = await withPartner(w.server.deps.db, ids.b, async (tx) => (await tx.query('SELECT DISTINCT partner_id FROM personal_access_tokens')).rows);
    expect(seen.every((r: { partner_id: number }) => r.partner_id === ids.b)).toBe(true);
    const updated = await withPartner(w.server.deps.db, ids.b, async (tx) => (await tx.query('UPDATE personal_access_tokens SET revoked_at = now() WHERE partner_id = $1', [ids.a])).rowCount);
    expect(updated).toBe(0);
  });
});
