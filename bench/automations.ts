import { createDb } from '../server/db/pool.js';
import type { AppDeps } from '../server/deps.js';
import { createActionPlugin, startLoopbackVendor } from '../server/integrations/testing/actionPlugin.js';
import { createJobEngine } from '../server/jobs/engine.js';
import { createLogger } from '../server/logger.js';
import { automationQueue } from '../server/services/automations/queue.js';
import { startAutomationWorkers } from '../server/services/automations/runner.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import { startBenchServer } from './lib/server.js';
import type { Benchmark } from './lib/types.js';

/** Runs per measurement (BENCH_AUTOMATION_RUNS to try a smaller one). */
const runs = Number(process.env.BENCH_AUTOMATION_RUNS ?? 1_000);
const sideEffectfulSteps = 2;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Issue 23's figures: `runs` runs of a 3-step automation (read a ticket, then two comments on it:
 * two side-effectful steps) against the counting loopback vendor, worked by one instance's job
 * workers (4 slots), then by two instances (a second job engine and pool on the same database).
 * Runs are queued as a trigger queues them (row committed, then its job sent), all at once; the
 * hourly per-partner limit is not in the way because the rows are written here directly. Figures:
 * runs per second from the first queued to the last finished, p95 from queued to the first step
 * starting, and the vendor's own count of comments: exactly runs × 2 when nothing was repeated.
 * The automation's concurrency is 10 (the most), so runs are not held back by the default of one.
 */
export const automationsBench: Benchmark = {
  name: 'automations',
  async run() {
    const vendor = await startLoopbackVendor();
    const { plugin } = createActionPlugin(vendor);
    const server = await startBenchServer({ plugins: [plugin], env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' } });
    const deps = server.runtime.deps;
    const extra: { stop(): Promise<void> }[] = [];
    try {
      const partner = await makePartner(deps.db, { name: 'Bench Automations' });
      const admin = await makeUser(deps.db, partner.id, 'partner_admin');
      const auth = `Bearer ${(await deps.tokens.sign({ userId: admin.id, partnerId: partner.id, role: 'partner_admin' })).token}`;
      const call = async (path: string, body: unknown) => {
        const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return res.json() as Promise<Record<string, unknown>>;
      };
      await call('/api/integrations/ticketdesk/configure', { settings: { subdomain: 'bench', api_token: 'tok_bench_automation_long_enough', region: 'us', base_url: vendor.url } });
      const created = (await call('/trpc/automations.create', {
        name: 'Bench: read, comment twice',
        enabled: true,
        concurrency: 10,
        trigger: { kind: 'manual', inputs: [] },
        steps: [
          { name: 'read', actionId: 'ticketdesk.tickets.get', input: { ticketId: '101' } },
          { name: 'note', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '{{steps.read.output.ticket.id}}', body: 'Seen {{steps.read.output.ticket.subject}}' } },
          { name: 'again', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '101', body: 'Done' } },
        ],
      })) as { result: { data: { id: number; version: number } } };
      const automation = created.result.data;

      const measure = async (instances: number) => {
        vendor.comments.length = 0;
        vendor.calls.clear();
        const started = performance.now();
        const ids = (
          await deps.db.pool.query<{ id: number }>(
            `INSERT INTO automation_runs (partner_id, automation_id, automation_version, trigger_kind, trigger_data, status)
             SELECT $1, $2, $3, 'manual', '{"kind":"manual","input":{}}', 'queued' FROM generate_series(1, $4) RETURNING id`,
            [partner.id, automation.id, automation.version, runs],
          )
        ).rows.map((r) => r.id);
        for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((runId) => deps.jobs.send(automationQueue, { partnerId: partner.id, runId })));
        const deadline = Date.now() + 15 * 60_000;
        const left = async () => Number((await deps.db.pool.query(`SELECT count(*)::int AS n FROM automation_runs WHERE id = ANY($1) AND status IN ('queued', 'running')`, [ids])).rows[0].n);
        while ((await left()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        const wallSeconds = (performance.now() - started) / 1000;
        const outcome = (await deps.db.pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM automation_runs WHERE id = ANY($1) GROUP BY status`, [ids])).rows;
        const firstStep = (
          await deps.db.pool.query<{ ms: number }>(
            `SELECT extract(epoch FROM s.started_at - r.created_at) * 1000 AS ms FROM automation_runs r JOIN automation_run_steps s ON s.partner_id = r.partner_id AND s.run_id = r.id AND s.step_index = 0 WHERE r.id = ANY($1)`,
            [ids],
          )
        ).rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
        return {
          instances,
          runs,
          succeeded: outcome.find((o) => o.status === 'succeeded')?.n ?? 0,
          notSucceeded: outcome.filter((o) => o.status !== 'succeeded').reduce((s, o) => s + o.n, 0),
          runsPerSecond: Number((runs / wallSeconds).toFixed(1)),
          triggerToFirstStepP50Ms: Math.round(percentile(firstStep, 50)),
          triggerToFirstStepP95Ms: Math.round(percentile(firstStep, 95)),
          vendorComments: vendor.comments.length,
          expectedComments: runs * sideEffectfulSteps,
          wallSeconds: Number(wallSeconds.toFixed(1)),
        };
      };

      const one = await measure(1);
      // A second instance: its own job engine and connection pool on the same database.
      const db = createDb(server.runtime.databaseUrl);
      const jobs = createJobEngine({ connectionString: server.runtime.databaseUrl, log: createLogger({ level: 'warn' }) });
      extra.push({ stop: () => jobs.stop() }, { stop: () => db.close() });
      await startAutomationWorkers({ ...deps, db, jobs } as AppDeps);
      const two = await measure(2);
      const rows = [one, two].map((f) => ({
        instances: f.instances,
        runs: f.runs,
        succeeded: f.succeeded,
        'runs/s': f.runsPerSecond,
        'queued→first step p95 ms': f.triggerToFirstStepP95Ms,
        'vendor comments': `${f.vendorComments} (expected ${f.expectedComments})`,
      }));
      return { rows, figures: { oneInstance: one, twoInstances: two } };
    } finally {
      for (const e of extra) await e.stop().catch(() => undefined);
      await server.stop();
      await vendor.close();
    }
  },
};
