import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPartner } from '../db/pool.js';
import { startFakeSyncro, type FakeSyncro } from '../integrations/syncro/fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../integrations/syncro/index.js';
import { createCatalogWorld, type CatalogWorld } from '../test/catalogWorld.js';
import { matrixNamespaces, proceduresOf, routerNamespaces, uncovered } from '../test/isolationCoverage.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type MatrixIds } from '../test/isolationMatrix.js';

/**
 * The tenant isolation matrix for the interaction log: every procedure, over REST and tRPC, by
 * every kind of caller, against real rows of partners A and B (their "Test connection" calls to
 * a fake Syncro whose subdomains are canaries, so each row's path carries its partner's). Nobody
 * but A (and the dev partner reading A) sees a byte of A's; no answer carries a token.
 */
interface Operation {
  name: string;
  rest: (ids: MatrixIds) => { method: string; url: string };
  trpc: (ids: MatrixIds) => { kind: 'query'; path: string; input?: unknown };
  expect: Record<MatrixCaller, number>;
  devReadsA?: boolean;
}

const canaries = { a: { subdomain: 'alpha-ilog', token: 'tok_alpha_ilog_secret_1' }, b: { subdomain: 'bravo-ilog', token: 'tok_bravo_ilog_secret_2' } };
const read = { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 };
const devOnly = { ownAdmin: 403, ownTech: 403, otherAdmin: 403, dev: 200, none: 401 };

const operations: Operation[] = [
  {
    name: 'interactions.list',
    rest: () => ({ method: 'GET', url: '/api/integrations/syncro/interactions' }),
    trpc: () => ({ kind: 'query', path: 'interactions.list', input: { key: 'syncro' } }),
    expect: read,
  },
  {
    name: 'interactions.get',
    rest: () => ({ method: 'GET', url: `/api/interactions/${row}` }),
    trpc: () => ({ kind: 'query', path: 'interactions.get', input: { id: row } }),
    // A row of A: another partner (the dev partner in its own scope too) gets the 404 of no such row.
    expect: { ownAdmin: 200, ownTech: 200, otherAdmin: 404, dev: 404, none: 401 },
  },
  {
    name: 'interactions.devList',
    rest: ({ a }) => ({ method: 'GET', url: `/api/dev/partners/${a}/integrations/syncro/interactions` }),
    trpc: ({ a }) => ({ kind: 'query', path: 'interactions.devList', input: { partnerId: a, key: 'syncro' } }),
    expect: devOnly,
    devReadsA: true,
  },
  {
    name: 'interactions.devGet',
    rest: ({ a }) => ({ method: 'GET', url: `/api/dev/partners/${a}/interactions/${row}` }),
    trpc: ({ a }) => ({ kind: 'query', path: 'interactions.devGet', input: { partnerId: a, id: row } }),
    expect: devOnly,
    devReadsA: true,
  },
];

let w: CatalogWorld;
let fake: FakeSyncro;
let plugin: SyncroPlugin;
let ids: MatrixIds;
/** A row of partner A's log, found once the setup has written it. */
let row = 0;
const rows = async (sql: string, params: unknown[]) => (await w.server.deps.db.pool.query(sql, params)).rows;

describe('tenant isolation matrix: interaction log', () => {
  beforeAll(async () => {
    fake = await startFakeSyncro({ rateLimitPerMinute: null });
    for (const c of [canaries.a, canaries.b]) fake.addTenant(c.subdomain, { tokens: [{ token: c.token }], customers: 3 });
    plugin = createSyncroPlugin({ http: { rateLimit: { perMinute: 60_000, burst: 1_000 } } });
    w = await createCatalogWorld({ plugins: [plugin], env: { SYNCRO_BASE_URL: fake.baseUrl } });
    for (const [p, c] of [[w.a, canaries.a], [w.b, canaries.b]] as const) {
      expect((await w.request('POST', '/api/integrations/syncro/configure', p.admin, { settings: { subdomain: c.subdomain, api_token: c.token } })).statusCode).toBe(201);
      expect((await w.request('POST', '/api/integrations/syncro/test', p.admin, {})).statusCode).toBe(200);
    }
    await w.server.interactionLog.flush();
    const [first] = await rows('SELECT min(id) AS id FROM interaction_log WHERE partner_id = $1', [w.a.id]);
    ids = { a: w.a.id, b: w.b.id };
    row = Number(first?.id);
    expect(row).toBeGreaterThan(0);
  }, 60_000);
  afterAll(async () => {
    await w?.close();
    await plugin?.close();
    await fake?.close();
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        for (const caller of matrixCallers) {
          const who = matrixUser(w, caller);
          const res = await sendMatrixCall(w, transport, { rest: op.rest(ids), trpc: op.trpc(ids) }, who);
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(op.expect[caller]);
          const mayShowA = caller === 'ownAdmin' || caller === 'ownTech' || (caller === 'dev' && op.devReadsA === true);
          const mayShowB = caller === 'otherAdmin' && op.name === 'interactions.list';
          if (!mayShowA) expect(res.body, `${op.name} as ${caller} leaks A`).not.toContain(canaries.a.subdomain);
          if (!mayShowB) expect(res.body, `${op.name} as ${caller} leaks B`).not.toContain(canaries.b.subdomain);
          if (res.statusCode === 200 && mayShowA) expect(res.body, `${op.name} as ${caller} shows A`).toContain(canaries.a.subdomain);
          if (res.statusCode === 200 && mayShowB) expect(res.body).toContain(canaries.b.subdomain);
          for (const c of [canaries.a, canaries.b]) expect(res.body).not.toContain(c.token);
        }
      });
    }
  }

  it('has a row for every procedure and REST route of the interactions router', () => {
    expect(uncovered(operations, matrixNamespaces.interactions, {}, ids)).toEqual([]);
    expect(proceduresOf(matrixNamespaces.interactions)).toHaveLength(operations.length);
    expect(routerNamespaces()).toContain('interactions');
  });

  it('is backed by row-level security: B sees none of A, writes none for A, and nobody updates or deletes', async () => {
    const seen = await withPartner(w.server.deps.db, ids.b, async (tx) => (await tx.query('SELECT DISTINCT partner_id FROM interaction_log')).rows);
    expect(seen).toEqual([{ partner_id: ids.b }]);
    await expect(
      withPartner(w.server.deps.db, ids.b, (tx) =>
        tx.query(`INSERT INTO interaction_log (partner_id, integration_key, action_id, kind, method, path, host, duration_ms, outcome, at)
                  VALUES ($1, 'syncro', 'health', 'health', 'GET', '/x', 'h', 1, 'ok', now())`, [ids.a]),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(withPartner(w.server.deps.db, ids.a, (tx) => tx.query('DELETE FROM interaction_log'))).rejects.toThrow(/permission denied/);
    await expect(withPartner(w.server.deps.db, ids.a, (tx) => tx.query("UPDATE interaction_log SET outcome = 'ok'"))).rejects.toThrow(/permission denied/);
  });
});
