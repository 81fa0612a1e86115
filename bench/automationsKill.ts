import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createActionPlugin, startLoopbackVendor } from '../server/integrations/testing/actionPlugin.js';
import { createJobEngine } from '../server/jobs/engine.js';
import { createLogger } from '../server/logger.js';
import { generateKeyRingEntry } from '../server/secrets/keyRing.js';
import { automationQueue } from '../server/services/automations/queue.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import { startBenchServer } from './lib/server.js';
import type { Benchmark } from './lib/types.js';

/** Runs (BENCH_AUTOMATION_KILL_RUNS for another number) and how often an instance is killed. */
const runs = Number(process.env.BENCH_AUTOMATION_KILL_RUNS ?? 1_000);
const killEveryMs = Number(process.env.BENCH_AUTOMATION_KILL_EVERY_MS ?? 3_000);
/**
 * A killed instance's jobs are retried once pg-boss's maintenance finds them expired. In
 * production an attempt may take 10 minutes (automationQueue.expireInSeconds), so a killed
 * instance's runs resume up to 10 + 2 minutes later; the bench shortens the expiry to this and
 * runs maintenance every 2 s, or it would wait those minutes for every kill.
 */
const benchExpirySeconds = 15;
const sideEffectfulSteps = 2;
/** The comments run number `n` posts (the automation's two side-effectful steps). */
const bodiesOf = (n: number) => [`Seen #${n}`, `Done #${n}`];

/** A server instance's job workers in a child process (bench/lib/automationWorkerChild.ts), spawned ahead of use. */
function spawnInstance(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/automationWorkerChild.ts'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`instance exited before loading (${code})`)));
  });
}

function startInstance(child: ChildProcess, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code, signal) => reject(new Error(`instance exited while starting (${code ?? signal})`)));
    child.send({ env });
  });
}

/**
 * Issue 23's second figure: `runs` runs of the 3-step automation (read a ticket, then two
 * comments: two side-effectful steps) worked by two server instances — child processes on one
 * PostgreSQL — while every `killEveryMs` the older one is SIGKILLed (no graceful stop: whatever
 * it was doing, a vendor call included, is cut) and a fresh one takes its place. Each run's
 * comments carry its number, so the loopback vendor (in this process) tells which were posted
 * twice. Figures: runs that did not finish (lost), comments posted more than once (repeated),
 * how each run ended, and the runs a kill cut mid-call whose outcome is unknown (the action
 * framework says so rather than call the vendor again).
 */
export const automationsKillBench: Benchmark = {
  name: 'automations-kill',
  async run() {
    const vendor = await startLoopbackVendor();
    const { plugin } = createActionPlugin(vendor);
    const secrets = { JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!', ENCRYPTION_KEYS: generateKeyRingEntry(), CREDENTIALS_KEY: randomBytes(32).toString('base64') };
    const server = await startBenchServer({ plugins: [plugin], jobWorkers: false, env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true', ...secrets } });
    const deps = server.runtime.deps;
    const env = { ...secrets, INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true', DATABASE_URL: server.runtime.databaseUrl, DATA_DIR: deps.config.dataDir, LOG_LEVEL: 'error' };
    const supervisor = createJobEngine({ connectionString: server.runtime.databaseUrl, log: createLogger({ level: 'error' }), maintenanceIntervalSeconds: 2 });
    const live: ChildProcess[] = [];
    let spare: Promise<ChildProcess> | undefined;
    try {
      const partner = await makePartner(deps.db, { name: 'Bench Automations Kill' });
      const admin = await makeUser(deps.db, partner.id, 'partner_admin');
      const auth = `Bearer ${(await deps.tokens.sign({ userId: admin.id, partnerId: partner.id, role: 'partner_admin' })).token}`;
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return res.json() as Promise<Record<string, unknown>>;
      };
      await post('/api/integrations/ticketdesk/configure', { settings: { subdomain: 'bench', api_token: 'tok_bench_automation_long_enough', region: 'us', base_url: vendor.url } });
      const automation = (await post('/api/automations', {
        name: 'Bench: read, comment twice, killed',
        enabled: true,
        concurrency: 10,
        trigger: { kind: 'manual', inputs: [{ name: 'n', type: 'number', required: true }] },
        steps: [
          { name: 'read', actionId: 'ticketdesk.tickets.get', input: { ticketId: '101' } },
          { name: 'note', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '{{steps.read.output.ticket.id}}', body: 'Seen #{{trigger.input.n}}' } },
          { name: 'again', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '101', body: 'Done #{{trigger.input.n}}' } },
        ],
      })) as { id: number; version: number };

      // The queue is made here first, with the bench's expiry; the instances find it made.
      const queue = { ...automationQueue, expireInSeconds: benchExpirySeconds };
      await supervisor.start();
      spare = spawnInstance();
      const started = performance.now();
      const ids = (
        await deps.db.pool.query<{ id: number }>(
          `INSERT INTO automation_runs (partner_id, automation_id, automation_version, trigger_kind, trigger_data, status)
           SELECT $1, $2, $3, 'manual', jsonb_build_object('kind', 'manual', 'input', jsonb_build_object('n', n)), 'queued' FROM generate_series(1, $4) AS n RETURNING id`,
          [partner.id, automation.id, automation.version, runs],
        )
      ).rows.map((r) => r.id);
      for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((runId) => supervisor.send(queue, { partnerId: partner.id, runId })));

      const bring = async () => {
        const child = await (spare as Promise<ChildProcess>);
        spare = spawnInstance();
        await startInstance(child, env);
        live.push(child);
      };
      await bring();
      await bring();
      const left = async () => Number((await deps.db.pool.query(`SELECT count(*)::int AS n FROM automation_runs WHERE id = ANY($1) AND status IN ('queued', 'running')`, [ids])).rows[0].n);
      const deadline = Date.now() + 15 * 60_000;
      let kills = 0;
      let lastKill = Date.now();
      while ((await left()) > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        if (Date.now() - lastKill < killEveryMs) continue;
        const victim = live.shift();
        victim?.kill('SIGKILL');
        kills++;
        await bring();
        lastKill = Date.now();
      }
      const wallSeconds = (performance.now() - started) / 1000;

      const bodies = new Map<string, number>();
      for (const c of vendor.comments) bodies.set(c.body, (bodies.get(c.body) ?? 0) + 1);
      const outcome = (await deps.db.pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM automation_runs WHERE id = ANY($1) GROUP BY status ORDER BY status`, [ids])).rows;
      const failures = (await deps.db.pool.query<{ code: string; n: number }>(`SELECT coalesce(error->>'code', '') AS code, count(*)::int AS n FROM automation_runs WHERE id = ANY($1) AND status <> 'succeeded' GROUP BY 1 ORDER BY 1`, [ids])).rows;
      // A run that did not succeed: did the vendor get its comments? (Its number is in them.)
      const unfinishedNumbers = (await deps.db.pool.query<{ n: number }>(`SELECT (trigger_data->'input'->>'n')::int AS n FROM automation_runs WHERE id = ANY($1) AND status <> 'succeeded'`, [ids])).rows.map((r) => r.n);
      const commentsOfOthers = unfinishedNumbers.reduce((sum, n) => sum + bodiesOf(n).filter((b) => bodies.has(b)).length, 0);
      const retried = Number((await deps.db.pool.query(`SELECT count(*)::int AS n FROM automation_runs WHERE id = ANY($1) AND job_attempts > 1`, [ids])).rows[0].n);
      const repeated = [...bodies.values()].filter((n) => n > 1).reduce((s, n) => s + n - 1, 0);
      const succeeded = outcome.find((o) => o.status === 'succeeded')?.n ?? 0;
      const lost = outcome.filter((o) => o.status === 'queued' || o.status === 'running').reduce((s, o) => s + o.n, 0);
      const figures = {
        runs,
        killEveryMs,
        kills,
        runsWallSeconds: Number(wallSeconds.toFixed(1)),
        outcome: Object.fromEntries(outcome.map((o) => [o.status, o.n])),
        notSucceededBy: Object.fromEntries(failures.map((f) => [f.code, f.n])),
        lost,
        runsResumedAfterAKill: retried,
        vendorComments: vendor.comments.length,
        commentsOfSucceededRuns: succeeded * sideEffectfulSteps,
        commentsOfRunsNotSucceeded: commentsOfOthers,
        repeatedVendorCalls: repeated,
      };
      const rows = [
        {
          runs,
          kills: `${kills} (one every ${killEveryMs / 1000} s)`,
          succeeded,
          lost,
          'resumed after a kill': retried,
          'vendor comments': `${vendor.comments.length} (${succeeded * sideEffectfulSteps} for the succeeded runs)`,
          'repeated vendor calls': repeated,
          'not succeeded, by code': JSON.stringify(figures.notSucceededBy),
          'wall s': figures.runsWallSeconds,
        },
      ];
      return { rows, figures };
    } finally {
      for (const child of live) child.kill('SIGKILL');
      await spare?.then((c) => c.kill('SIGKILL')).catch(() => undefined);
      await supervisor.stop().catch(() => undefined);
      await server.stop();
      await vendor.close();
    }
  },
};
