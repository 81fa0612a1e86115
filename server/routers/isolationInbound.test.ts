import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPartner } from '../db/pool.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../test/catalogWorld.js';
import { postInbound, signedHeaders } from '../test/inbound.js';
import { matrixNamespaces, proceduresOf, routerNamespaces, uncovered } from '../test/isolationCoverage.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type MatrixIds, type RestCall, type TrpcCall } from '../test/isolationMatrix.js';

/**
 * The tenant isolation matrix for inbound webhooks (issue 18 §5): every procedure, over REST and
 * tRPC, by every kind of caller. Partner A has a URL and a dead delivery; B is configured with a
 * URL of its own. The partner comes from the token only, so B's admin only ever reaches B's URL
 * and deliveries; no answer but the creator's carries a secret. Row-level security backs it.
 */
interface Operation {
  name: string;
  rest: (ids: MatrixIds) => RestCall;
  trpc: (ids: MatrixIds) => TrpcCall;
  expect: Record<MatrixCaller, number>;
}

let deadId = 0;
const operations: Operation[] = [
  {
    name: 'inboundWebhooks.endpoint',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor/inbound' }),
    trpc: () => ({ kind: 'query', path: 'inboundWebhooks.endpoint', input: { key: 'testvendor' } }),
    // The dev partner has no configuration of its own: not found, never A's.
    expect: { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 404, none: 401 },
  },
  {
    name: 'inboundWebhooks.rotate',
    rest: () => ({ method: 'POST', url: '/api/integrations/testvendor/inbound' }),
    trpc: () => ({ kind: 'mutation', path: 'inboundWebhooks.rotate', input: { key: 'testvendor' } }),
    expect: { ownAdmin: 200, ownTech: 403, otherAdmin: 200, dev: 404, none: 401 },
  },
  {
    name: 'inboundWebhooks.delete',
    rest: () => ({ method: 'DELETE', url: '/api/integrations/testvendor/inbound' }),
    trpc: () => ({ kind: 'mutation', path: 'inboundWebhooks.delete', input: { key: 'testvendor' } }),
    expect: { ownAdmin: 200, ownTech: 403, otherAdmin: 200, dev: 404, none: 401 },
  },
  {
    name: 'inboundWebhooks.deliveries',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor/inbound/deliveries' }),
    trpc: () => ({ kind: 'query', path: 'inboundWebhooks.deliveries', input: { key: 'testvendor' } }),
    expect: { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 404, none: 401 },
  },
  {
    name: 'inboundWebhooks.replay',
    rest: () => ({ method: 'POST', url: `/api/integrations/testvendor/inbound/deliveries/${deadId}/replay` }),
    trpc: () => ({ kind: 'mutation', path: 'inboundWebhooks.replay', input: { key: 'testvendor', id: deadId } }),
    // Another partner's delivery id names nothing for them.
    expect: { ownAdmin: 200, ownTech: 403, otherAdmin: 404, dev: 404, none: 401 },
  },
];

let w: CatalogWorld;
let ids: MatrixIds;
let aSecret = '';
let aPath = '';
const q = async (sql: string, params: unknown[] = []) => (await w.server.deps.db.pool.query(sql, params)).rows;

/** A's endpoint and one dead delivery of A's, (re)made whenever a row used them up. */
async function prepareA() {
  const endpoint = await q('SELECT secret FROM inbound_endpoints WHERE partner_id = $1', [ids.a]);
  if (endpoint.length === 0) {
    const made = (await w.request('POST', '/api/integrations/testvendor/inbound', w.a.admin)).json();
    aSecret = made.secret;
    aPath = made.path;
  }
  const dead = await q("SELECT id FROM inbound_deliveries WHERE partner_id = $1 AND status = 'dead'", [ids.a]);
  if (dead.length > 0) return;
  const body = JSON.stringify({ event: 'for.a', n: Math.random() });
  const res = await postInbound(w.server.app, aPath, body, signedHeaders(aSecret, body));
  expect(res.statusCode, res.body).toBe(202);
  // No workers run here: the delivery waits as received until this marks it dead.
  const [row] = await q("UPDATE inbound_deliveries SET status = 'dead', attempts = 5 WHERE partner_id = $1 AND status = 'received' RETURNING id", [ids.a]);
  deadId = Number(row.id);
}
const aState = async () => JSON.stringify(await q('SELECT e.secret, e.endpoint_id, d.id, d.status FROM inbound_endpoints e LEFT JOIN inbound_deliveries d USING (partner_id, integration_key) WHERE e.partner_id = $1 ORDER BY d.id', [ids.a]));

describe('tenant isolation matrix: inbound webhooks', () => {
  beforeAll(async () => {
    w = await createCatalogWorld();
    for (const p of [w.a, w.b]) expect((await w.request('POST', '/api/integrations/testvendor/configure', p.admin, { settings: validSettings() })).statusCode).toBe(201);
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
        // Every caller but A's admin first, so A's URL and delivery are there to be reached if they could be.
        for (const caller of [...matrixCallers.filter((c) => c !== 'ownAdmin'), 'ownAdmin' as const]) {
          const before = await aState();
          const res = await sendMatrixCall(w, transport, { rest: op.rest(ids), trpc: op.trpc(ids) }, matrixUser(w, caller));
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(op.expect[caller]);
          if (op.name !== 'inboundWebhooks.rotate' || caller !== 'ownAdmin') expect(res.body).not.toContain(aSecret);
          if (caller === 'ownAdmin' && op.name === 'inboundWebhooks.rotate') {
            const body = res.json();
            aSecret = (body.result?.data ?? body).secret;
          }
          // A's own technician reads A's URL; nobody outside A does.
          if (caller !== 'ownAdmin' && caller !== 'ownTech') expect(res.body).not.toContain(aPath);
          if (caller !== 'ownAdmin') {
            expect(await aState(), `${op.name} as ${caller} touched A`).toBe(before);
          }
        }
      });
    }
  }

  it('has a row for every procedure and REST route of the inbound router', () => {
    expect(uncovered(operations, matrixNamespaces.inbound, {}, ids)).toEqual([]);
    expect(proceduresOf(matrixNamespaces.inbound)).toHaveLength(operations.length);
    expect(routerNamespaces()).toContain('inboundWebhooks');
  });

  it("B's secret does not sign for A's URL", async () => {
    await prepareA();
    const bSecret = (await w.request('POST', '/api/integrations/testvendor/inbound', w.b.admin)).json().secret as string;
    const body = '{"event":"forged"}';
    const res = await postInbound(w.server.app, aPath, body, signedHeaders(bSecret, body));
    expect(res.statusCode).toBe(401);
  });

  it('is backed by row-level security: B sees none of A and writes none for A', async () => {
    await prepareA();
    const seen = await withPartner(w.server.deps.db, ids.b, async (tx) => (await tx.query('SELECT DISTINCT partner_id FROM inbound_deliveries UNION SELECT partner_id FROM inbound_endpoints')).rows);
    expect(seen.every((r: { partner_id: number }) => r.partner_id === ids.b)).toBe(true);
    const updated = await withPartner(w.server.deps.db, ids.b, async (tx) => (await tx.query(`UPDATE inbound_deliveries SET status = 'received' WHERE partner_id = $1`, [ids.a])).rowCount);
    expect(updated).toBe(0);
    await expect(
      withPartner(w.server.deps.db, ids.b, (tx) =>
        tx.query(`INSERT INTO inbound_deliveries (partner_id, integration_key, delivery_id, signature, signed_at, body) VALUES ($1, 'testvendor', 'x', $2, now(), '{}')`, [ids.a, `sha256=${'0'.repeat(64)}`]),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
