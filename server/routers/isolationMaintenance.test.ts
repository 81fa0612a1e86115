import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPartner } from '../db/pool.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../test/catalogWorld.js';
import { matrixNamespaces, proceduresOf, routerNamespaces, uncovered } from '../test/isolationCoverage.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type MatrixIds, type RestCall, type TrpcCall } from '../test/isolationMatrix.js';

/**
 * The tenant isolation matrix for maintenance windows (issue 18 §4): every procedure, over REST
 * and tRPC, by every kind of caller. A and B both configure the test integration; A has an
 * upcoming window. The partner comes from the token alone: B's admin lists and schedules B's
 * windows only, never ends A's (404: not B's), and no answer names A's window.
 */
interface Operation {
  name: string;
  rest: (ids: MatrixIds) => RestCall;
  trpc: (ids: MatrixIds) => TrpcCall;
  expect: (transport: 'rest' | 'trpc') => Record<MatrixCaller, number>;
}

const aReason = 'A-only maintenance reason 7f3c';
let slot = 0;
/** A one-hour window on a day of its own, so no two calls of the matrix overlap. */
const nextWindow = () => {
  slot++;
  const start = Date.now() + slot * 24 * 60 * 60_000;
  return { integrationKey: 'testvendor', startsAt: new Date(start).toISOString(), endsAt: new Date(start + 60 * 60_000).toISOString(), reason: 'matrix window' };
};
let aWindow = 0;

const operations: Operation[] = [
  {
    name: 'maintenance.list',
    rest: () => ({ method: 'GET', url: '/api/maintenance-windows?key=testvendor' }),
    trpc: () => ({ kind: 'query', path: 'maintenance.list', input: { key: 'testvendor' } }),
    // Everyone signed in reads their own partner's windows (the dev partner: its own, none).
    expect: () => ({ ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 }),
  },
  {
    name: 'maintenance.create',
    rest: () => ({ method: 'POST', url: '/api/maintenance-windows', body: nextWindow() }),
    trpc: () => ({ kind: 'mutation', path: 'maintenance.create', input: nextWindow() }),
    // B's admin schedules on B's own configuration; the dev partner has none of its own.
    expect: (t) => ({ ownAdmin: t === 'rest' ? 201 : 200, ownTech: 403, otherAdmin: t === 'rest' ? 201 : 200, dev: 404, none: 401 }),
  },
  {
    name: 'maintenance.end',
    rest: () => ({ method: 'POST', url: `/api/maintenance-windows/${aWindow}/end` }),
    trpc: () => ({ kind: 'mutation', path: 'maintenance.end', input: { id: aWindow } }),
    expect: () => ({ ownAdmin: 200, ownTech: 403, otherAdmin: 404, dev: 404, none: 401 }),
  },
];

let w: CatalogWorld;
let ids: MatrixIds;
const windowsOf = async (partnerId: number) =>
  (await w.server.deps.db.pool.query<{ id: number }>('SELECT id FROM maintenance_windows WHERE partner_id = $1 ORDER BY id', [partnerId])).rows.map((r) => Number(r.id));

/** A's own upcoming window, scheduled through the API by A's admin. */
async function scheduleA() {
  const res = await w.request('POST', '/api/maintenance-windows', w.a.admin, { ...nextWindow(), reason: aReason });
  expect(res.statusCode, res.body).toBe(201);
  aWindow = (res.json() as { id: number }).id;
}

describe('tenant isolation matrix: maintenance windows', () => {
  beforeAll(async () => {
    w = await createCatalogWorld();
    for (const p of [w.a, w.b]) expect((await w.request('POST', '/api/integrations/testvendor/configure', p.admin, { settings: validSettings() })).statusCode).toBe(201);
    ids = { a: w.a.id, b: w.b.id };
    await scheduleA();
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        // Every caller but A's admin first, so A's window is there to be reached if it could be.
        for (const caller of [...matrixCallers.filter((c) => c !== 'ownAdmin'), 'ownAdmin' as const]) {
          const aBefore = await windowsOf(ids.a);
          const res = await sendMatrixCall(w, transport, { rest: op.rest(ids), trpc: op.trpc(ids) }, matrixUser(w, caller));
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(op.expect(transport)[caller]);
          if (caller !== 'ownAdmin' && caller !== 'ownTech') {
            expect(res.body, `${op.name} as ${caller} saw A's window`).not.toContain(aReason);
            expect(await windowsOf(ids.a), `${op.name} as ${caller} touched A`).toEqual(aBefore);
          }
        }
        if (!(await windowsOf(ids.a)).includes(aWindow)) await scheduleA();
      });
    }
  }

  it('has a row for every procedure and REST route of the maintenance router', () => {
    expect(uncovered(operations, matrixNamespaces.maintenance, {}, ids)).toEqual([]);
    expect(proceduresOf(matrixNamespaces.maintenance)).toHaveLength(operations.length);
    expect(routerNamespaces()).toContain('maintenance');
  });

  it('is backed by row-level security: B sees none of A and writes none for A', async () => {
    const seen = await withPartner(w.server.deps.db, ids.b, async (tx) => (await tx.query('SELECT DISTINCT partner_id FROM maintenance_windows')).rows);
    expect(seen.every((r: { partner_id: number }) => Number(r.partner_id) === ids.b)).toBe(true);
    const ended = await withPartner(w.server.deps.db, ids.b, (tx) => tx.query('UPDATE maintenance_windows SET released_at = now() WHERE partner_id = $1', [ids.a]));
    expect(ended.rowCount).toBe(0);
    await expect(
      withPartner(w.server.deps.db, ids.b, (tx) =>
        tx.query(`INSERT INTO maintenance_windows (partner_id, starts_at, ends_at, reason, actor) VALUES ($1, now(), now() + interval '1 hour', 'x', 'x')`, [ids.a]),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
