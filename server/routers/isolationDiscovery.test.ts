import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPartner } from '../db/pool.js';
import { startFakeSyncro, type FakeSyncro } from '../integrations/syncro/fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../integrations/syncro/index.js';
import { startJobWorkers } from '../jobs/workers.js';
import { createCatalogWorld, type CatalogWorld } from '../test/catalogWorld.js';
import { matrixNamespaces, proceduresOf, routerNamespaces, uncovered } from '../test/isolationCoverage.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type MatrixIds } from '../test/isolationMatrix.js';

/**
 * The tenant isolation matrix for discovery: every procedure, over REST and tRPC, by every kind
 * of caller, against real runs and snapshots of partners A and B whose organizations carry
 * canary names. An answer to anyone but A (or the dev partner reading A) must not contain one
 * byte of A's, and vice versa; nobody but A's admin changes A's runs or snapshot.
 */
type Caller = MatrixCaller;

interface Operation {
  name: string;
  rest: (ids: MatrixIds) => { method: string; url: string };
  trpc: (ids: MatrixIds) => { kind: 'query' | 'mutation'; path: string; input?: unknown };
  expect: Record<Caller, number>;
  mutates?: boolean;
  /** The dev partner reads partner A here. */
  devReadsA?: boolean;
  /** A's canary that A's callers (and the dev partner reading A) must see. */
  showsA?: boolean;
}

const canaries = { a: { subdomain: 'alpha-disc', org: 'alpha-org-canary', token: 'tok_alpha_disc_secret_1' }, b: { subdomain: 'bravo-disc', org: 'bravo-org-canary', token: 'tok_bravo_disc_secret_2' } };
const read = { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 };
const devOnly = { ownAdmin: 403, ownTech: 403, otherAdmin: 403, dev: 200, none: 401 };

const operations: Operation[] = [
  {
    name: 'discovery.start',
    rest: () => ({ method: 'POST', url: '/api/integrations/syncro/discovery' }),
    trpc: () => ({ kind: 'mutation', path: 'discovery.start', input: { key: 'syncro' } }),
    // Each admin starts its own partner's; the dev partner has no Syncro configured.
    expect: { ownAdmin: 202, ownTech: 403, otherAdmin: 202, dev: 404, none: 401 },
    mutates: true,
  },
  {
    name: 'discovery.run',
    rest: () => ({ method: 'GET', url: '/api/integrations/syncro/discovery' }),
    trpc: () => ({ kind: 'query', path: 'discovery.run', input: { key: 'syncro' } }),
    expect: read,
  },
  {
    name: 'discovery.snapshot',
    rest: () => ({ method: 'GET', url: '/api/integrations/syncro/organizations' }),
    trpc: () => ({ kind: 'query', path: 'discovery.snapshot', input: { key: 'syncro' } }),
    expect: read,
    showsA: true,
  },
  {
    name: 'discovery.devRun',
    rest: ({ a }) => ({ method: 'GET', url: `/api/dev/partners/${a}/integrations/syncro/discovery` }),
    trpc: ({ a }) => ({ kind: 'query', path: 'discovery.devRun', input: { partnerId: a, key: 'syncro' } }),
    expect: devOnly,
    devReadsA: true,
  },
  {
    name: 'discovery.devSnapshot',
    rest: ({ a }) => ({ method: 'GET', url: `/api/dev/partners/${a}/integrations/syncro/organizations` }),
    trpc: ({ a }) => ({ kind: 'query', path: 'discovery.devSnapshot', input: { partnerId: a, key: 'syncro' } }),
    expect: devOnly,
    devReadsA: true,
    showsA: true,
  },
];

let w: CatalogWorld;
let fake: FakeSyncro;
let plugin: SyncroPlugin;
const rows = async (sql: string, params: unknown[]) => (await w.server.deps.db.pool.query(sql, params)).rows;

/** Waits until no run of the partner is queued or running. */
async function settled(partnerId: number) {
  for (let i = 0; i < 200; i++) {
    if ((await rows(`SELECT 1 FROM discovery_runs WHERE partner_id = $1 AND status IN ('queued', 'running')`, [partnerId])).length === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('discovery did not settle');
}

describe('tenant isolation matrix: discovery', () => {
  let ids: MatrixIds;
  beforeAll(async () => {
    fake = await startFakeSyncro({ rateLimitPerMinute: null });
    for (const c of [canaries.a, canaries.b]) fake.addTenant(c.subdomain, { tokens: [{ token: c.token }], customers: 3, customerNames: { 2: c.org } });
    plugin = createSyncroPlugin({ pageTimeoutMs: 2_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 } } });
    w = await createCatalogWorld({ plugins: [plugin], env: { SYNCRO_BASE_URL: fake.baseUrl } });
    ids = { a: w.a.id, b: w.b.id };
    await startJobWorkers(w.server.deps);
    for (const [p, c] of [[w.a, canaries.a], [w.b, canaries.b]] as const) {
      expect((await w.request('POST', '/api/integrations/syncro/configure', p.admin, { settings: { subdomain: c.subdomain, api_token: c.token } })).statusCode).toBe(201);
      expect((await w.request('POST', '/api/integrations/syncro/discovery', p.admin)).statusCode).toBe(202);
      await settled(p.id);
    }
  }, 60_000);
  afterAll(async () => {
    await w?.close();
    await plugin?.close();
    await fake?.close();
  });

  /** A's discovery rows that only A's admin may change. */
  const aRows = async () => ({
    runs: await rows('SELECT id, status FROM discovery_runs WHERE partner_id = $1 ORDER BY id', [ids.a]),
    snapshot: await rows('SELECT run_id, taken_at FROM organization_snapshots WHERE partner_id = $1', [ids.a]),
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        for (const caller of matrixCallers) {
          const before = await aRows();
          const who = matrixUser(w, caller);
          const res = await sendMatrixCall(w, transport, { rest: op.rest(ids), trpc: op.trpc(ids) }, who);
          // tRPC answers a successful mutation 200 where REST says 202 Accepted.
          const expected = transport === 'trpc' && op.expect[caller] === 202 ? 200 : op.expect[caller];
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(expected);
          if (who) await settled(who.partnerId);

          const mayShowA = caller === 'ownAdmin' || caller === 'ownTech' || (caller === 'dev' && op.devReadsA === true);
          const mayShowB = caller === 'otherAdmin';
          if (!mayShowA) expect(res.body, `${op.name} as ${caller} leaks A`).not.toContain(canaries.a.org);
          if (!mayShowB) expect(res.body, `${op.name} as ${caller} leaks B`).not.toContain(canaries.b.org);
          for (const c of [canaries.a, canaries.b]) expect(res.body).not.toContain(c.token);
          if (res.statusCode < 300 && mayShowA && op.showsA) expect(res.body, `${op.name} as ${caller}`).toContain(canaries.a.org);
          if (res.statusCode < 300 && op.name === 'discovery.run' && who) {
            // Each partner reads its own newest run (the dev partner has none).
            const own = await rows('SELECT max(id) AS id FROM discovery_runs WHERE partner_id = $1', [who.partnerId]);
            const body = (transport === 'trpc' ? (res.json() as { result: { data: unknown } }).result.data : res.json()) as { run: { id: number } | null };
            expect(body.run?.id ?? null).toBe(own[0]?.id ?? null);
          }
          if (caller !== 'ownAdmin') expect(await aRows(), `${op.name} as ${caller} changed A`).toEqual(before);
          else if (op.mutates) expect((await aRows()).runs.length).toBe(before.runs.length + 1);
        }
      });
    }
  }

  it('has a row for every procedure and REST route of the discovery router', () => {
    expect(uncovered(operations, matrixNamespaces.discovery, {}, ids)).toEqual([]);
    expect(proceduresOf(matrixNamespaces.discovery)).toHaveLength(operations.length);
    expect(routerNamespaces()).toContain('discovery');
  });

  it('is backed by row-level security: as partner B, a query without any filter sees none of A', async () => {
    const seen = await withPartner(w.server.deps.db, ids.b, async (tx) => ({
      runs: (await tx.query('SELECT DISTINCT partner_id FROM discovery_runs')).rows,
      items: (await tx.query('SELECT DISTINCT partner_id FROM organization_snapshot_items')).rows,
      snapshots: (await tx.query('SELECT DISTINCT partner_id FROM organization_snapshots')).rows,
    }));
    expect(seen).toEqual({ runs: [{ partner_id: ids.b }], items: [{ partner_id: ids.b }], snapshots: [{ partner_id: ids.b }] });
    const all = await rows('SELECT DISTINCT partner_id FROM organization_snapshot_items ORDER BY partner_id', []);
    expect(all.length).toBe(2);
  });
});
