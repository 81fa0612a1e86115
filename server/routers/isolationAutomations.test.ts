import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRun } from '../db/automationRuns.js';
import { withPartner } from '../db/pool.js';
import { commentAutomation, createAutomationWorld, type AutomationWorld } from '../test/automationWorld.js';
import { matrixNamespaces, proceduresOf, routerNamespaces, uncovered } from '../test/isolationCoverage.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type RestCall, type TrpcCall } from '../test/isolationMatrix.js';

/**
 * The tenant isolation matrix for automations (issue 23 §8): every procedure by every kind of
 * caller, aimed at partner A's automation (its name is a canary) and A's failed and dead runs.
 * The partner comes from the token only: B's admin and the dev partner never see a byte of A's
 * and change nothing of A's; technicians read; only A's admin edits and runs. Over REST and
 * tRPC alike. Row-level security backs it.
 */
interface Operation {
  name: string;
  rest: () => RestCall;
  trpc: () => TrpcCall;
  expect: Record<MatrixCaller, number>;
  /** The dev partner's read-only views: it reads A's (and only there). */
  devReadsA?: boolean;
}

const canary = 'Alpha Canary Automation';
let w: AutomationWorld;
let aAuto = { id: 0, version: 0 };
let failedRun = 0;
let deadRun = 0;

const read = { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 };
const readA = { ownAdmin: 200, ownTech: 200, otherAdmin: 404, dev: 404, none: 401 };
const writeA = { ownAdmin: 200, ownTech: 403, otherAdmin: 404, dev: 403, none: 401 };
// Creating writes the caller's own partner: B's admin makes B's, never A's.
const devOnly = { ownAdmin: 403, ownTech: 403, otherAdmin: 403, dev: 200, none: 401 };
const writeOwn = { ownAdmin: 200, ownTech: 403, otherAdmin: 200, dev: 403, none: 401 };
// REST says 201 for a creation and 202 for a queued run where tRPC says 200.
const createOwn = { ...writeOwn, ownAdmin: 201, otherAdmin: 201 };
const queueA = { ...writeA, ownAdmin: 202 };

const definition = (name: string) => {
  const { enabled: _enabled, ...rest } = commentAutomation(name);
  return rest;
};

const operations: Operation[] = [
  { name: 'automations.list', rest: () => ({ method: 'GET', url: '/api/automations' }), trpc: () => ({ kind: 'query', path: 'automations.list' }), expect: read },
  { name: 'automations.get', rest: () => ({ method: 'GET', url: `/api/automations/${aAuto.id}` }), trpc: () => ({ kind: 'query', path: 'automations.get', input: { id: aAuto.id } }), expect: readA },
  { name: 'automations.versions', rest: () => ({ method: 'GET', url: `/api/automations/${aAuto.id}/versions` }), trpc: () => ({ kind: 'query', path: 'automations.versions', input: { id: aAuto.id } }), expect: readA },
  { name: 'automations.create', rest: () => ({ method: 'POST', url: '/api/automations', body: commentAutomation('Matrix made') }), trpc: () => ({ kind: 'mutation', path: 'automations.create', input: commentAutomation('Matrix made') }), expect: createOwn },
  {
    name: 'automations.update',
    rest: () => ({ method: 'PUT', url: `/api/automations/${aAuto.id}`, body: { ...definition(canary), baseVersion: aAuto.version } }),
    trpc: () => ({ kind: 'mutation', path: 'automations.update', input: { ...definition(canary), id: aAuto.id, baseVersion: aAuto.version } }),
    expect: writeA,
  },
  {
    name: 'automations.setEnabled',
    rest: () => ({ method: 'PUT', url: `/api/automations/${aAuto.id}/enabled`, body: { enabled: true, baseVersion: aAuto.version } }),
    trpc: () => ({ kind: 'mutation', path: 'automations.setEnabled', input: { id: aAuto.id, enabled: true, baseVersion: aAuto.version } }),
    expect: writeA,
  },
  { name: 'automations.delete', rest: () => ({ method: 'DELETE', url: `/api/automations/${aAuto.id}` }), trpc: () => ({ kind: 'mutation', path: 'automations.delete', input: { id: aAuto.id } }), expect: writeA },
  {
    name: 'automations.runNow',
    rest: () => ({ method: 'POST', url: `/api/automations/${aAuto.id}/run`, body: { input: { note: 'matrix' } } }),
    trpc: () => ({ kind: 'mutation', path: 'automations.runNow', input: { id: aAuto.id, input: { note: 'matrix' } } }),
    expect: queueA,
  },
  { name: 'automations.runs', rest: () => ({ method: 'GET', url: `/api/automation-runs?automationId=${aAuto.id}` }), trpc: () => ({ kind: 'query', path: 'automations.runs', input: { automationId: aAuto.id } }), expect: read },
  { name: 'automations.run', rest: () => ({ method: 'GET', url: `/api/automation-runs/${failedRun}` }), trpc: () => ({ kind: 'query', path: 'automations.run', input: { runId: failedRun } }), expect: readA },
  { name: 'automations.rerun', rest: () => ({ method: 'POST', url: `/api/automation-runs/${failedRun}/rerun` }), trpc: () => ({ kind: 'mutation', path: 'automations.rerun', input: { runId: failedRun } }), expect: queueA },
  { name: 'automations.replay', rest: () => ({ method: 'POST', url: `/api/automation-runs/${deadRun}/replay` }), trpc: () => ({ kind: 'mutation', path: 'automations.replay', input: { runId: deadRun } }), expect: queueA },
  { name: 'automations.recipes', rest: () => ({ method: 'GET', url: '/api/automation-recipes' }), trpc: () => ({ kind: 'query', path: 'automations.recipes' }), expect: read },
  {
    name: 'automations.devList',
    rest: () => ({ method: 'GET', url: `/api/dev/partners/${w.a.id}/automations` }),
    trpc: () => ({ kind: 'query', path: 'automations.devList', input: { partnerId: w.a.id } }),
    expect: devOnly,
    devReadsA: true,
  },
  {
    name: 'automations.devRuns',
    rest: () => ({ method: 'GET', url: `/api/dev/partners/${w.a.id}/automation-runs?automationId=${aAuto.id}` }),
    trpc: () => ({ kind: 'query', path: 'automations.devRuns', input: { partnerId: w.a.id, automationId: aAuto.id } }),
    expect: devOnly,
    devReadsA: true,
  },
  {
    name: 'automations.devRun',
    rest: () => ({ method: 'GET', url: `/api/dev/partners/${w.a.id}/automation-runs/${failedRun}` }),
    trpc: () => ({ kind: 'query', path: 'automations.devRun', input: { partnerId: w.a.id, runId: failedRun } }),
    expect: devOnly,
    devReadsA: true,
  },
  { name: 'automations.addRecipe', rest: () => ({ method: 'POST', url: '/api/automation-recipes/backup-failure/add' }), trpc: () => ({ kind: 'mutation', path: 'automations.addRecipe', input: { recipeId: 'backup-failure' } }), expect: createOwn },
];

const q = async (sql: string, params: unknown[] = []) => (await w.server.deps.db.pool.query(sql, params)).rows;

/** A's automation (enabled), one failed and one dead run of it, (re)made whenever a row used them up. */
async function prepareA() {
  const [row] = await q('SELECT id, version FROM automations WHERE partner_id = $1 AND name = $2', [w.a.id, canary]);
  if (row) {
    await q('UPDATE automations SET enabled = true WHERE partner_id = $1 AND id = $2', [w.a.id, row.id]);
    aAuto = { id: Number(row.id), version: Number(row.version) };
  } else {
    const made = await w.call(w.a.admin, 'mutation', 'create', commentAutomation(canary));
    expect(made.status, made.res.body).toBe(200);
    aAuto = made.data as { id: number; version: number };
  }
  const runOf = async (status: 'failed' | 'dead') => {
    const [existing] = await q('SELECT id FROM automation_runs WHERE partner_id = $1 AND automation_id = $2 AND status = $3', [w.a.id, aAuto.id, status]);
    if (existing) return Number(existing.id);
    const id = await withPartner(w.server.deps.db, w.a.id, (tx) => insertRun(tx, w.a.id, { automationId: aAuto.id, automationVersion: aAuto.version, triggerKind: 'manual', triggerData: { kind: 'manual', input: { note: canary } } }));
    await q(`UPDATE automation_runs SET status = $3, error = '{"code":"x","message":"matrix"}', finished_at = now() WHERE partner_id = $1 AND id = $2`, [w.a.id, id, status]);
    return id;
  };
  failedRun = await runOf('failed');
  deadRun = await runOf('dead');
}

/** Everything of A's an automation call could change. */
const aState = async () =>
  JSON.stringify([
    await q('SELECT id, name, enabled, version, steps FROM automations WHERE partner_id = $1 ORDER BY id', [w.a.id]),
    await q('SELECT automation_id, version, change FROM automation_versions WHERE partner_id = $1 ORDER BY automation_id, version', [w.a.id]),
    await q('SELECT id, status, next_step, job_attempts, error FROM automation_runs WHERE partner_id = $1 ORDER BY id', [w.a.id]),
    await q('SELECT run_id, step_index, status FROM automation_run_steps WHERE partner_id = $1 ORDER BY run_id, step_index', [w.a.id]),
  ]);

describe('tenant isolation matrix: automations', () => {
  beforeAll(async () => {
    w = await createAutomationWorld({ shipped: true });
    await prepareA();
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        await prepareA();
        // Every caller but A's admin first, so A's automation and runs are there to be reached if they could be.
        for (const caller of [...matrixCallers.filter((c) => c !== 'ownAdmin'), 'ownAdmin' as const]) {
          const before = await aState();
          const res = await sendMatrixCall(w, transport, { rest: op.rest(), trpc: op.trpc() }, matrixUser(w, caller));
          // tRPC answers every success 200 where REST says 201 Created or 202 Accepted.
          const expected = transport === 'trpc' && op.expect[caller] > 200 && op.expect[caller] < 300 ? 200 : op.expect[caller];
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(expected);
          if (caller === 'dev' && op.devReadsA) expect(res.body).toContain(op.name === 'automations.devRun' ? `"id":${failedRun}` : canary);
          else if (caller !== 'ownAdmin' && caller !== 'ownTech') expect(res.body, `${op.name} as ${caller} showed A's automation`).not.toContain(canary);
          if (caller !== 'ownAdmin') expect(await aState(), `${op.name} as ${caller} touched A`).toBe(before);
        }
      });
    }
  }

  it('has a row for every procedure and REST route of the automations router', () => {
    expect(uncovered(operations, matrixNamespaces.automations, {}, { a: 1, b: 2 })).toEqual([]);
    expect(proceduresOf(matrixNamespaces.automations)).toHaveLength(operations.length);
    expect(routerNamespaces()).toContain('automations');
  });

  it("the dev partner's views name the partner: A's run read as B's is not found, and an unknown partner is 404", async () => {
    await prepareA();
    const asB = await sendMatrixCall(w, 'trpc', { trpc: { kind: 'query', path: 'automations.devRun', input: { partnerId: w.b.id, runId: failedRun } } }, w.dev.admin);
    expect(asB.statusCode).toBe(404);
    const nobody = await sendMatrixCall(w, 'trpc', { trpc: { kind: 'query', path: 'automations.devList', input: { partnerId: 987654 } } }, w.dev.admin);
    expect(nobody.statusCode).toBe(404);
  });

  it('is backed by row-level security: B sees none of A and writes none for A', async () => {
    await prepareA();
    const seen = await withPartner(w.server.deps.db, w.b.id, async (tx) =>
      (await tx.query('SELECT partner_id FROM automations UNION SELECT partner_id FROM automation_runs UNION SELECT partner_id FROM automation_versions UNION SELECT partner_id FROM automation_run_steps')).rows,
    );
    expect(seen.every((r: { partner_id: number }) => Number(r.partner_id) === w.b.id)).toBe(true);
    const updated = await withPartner(w.server.deps.db, w.b.id, async (tx) => (await tx.query(`UPDATE automation_runs SET status = 'queued' WHERE partner_id = $1`, [w.a.id])).rowCount);
    expect(updated).toBe(0);
    await expect(
      withPartner(w.server.deps.db, w.b.id, (tx) => insertRun(tx, w.a.id, { automationId: aAuto.id, automationVersion: 1, triggerKind: 'manual', triggerData: {} })),
    ).rejects.toThrow(/row-level security/);
  });
});
