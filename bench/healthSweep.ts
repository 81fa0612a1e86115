import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Agent } from 'undici';
import type { AppDeps } from '../server/deps.js';
import { markAllDue } from '../server/db/healthSchedule.js';
import { createDb, withSystem, type Db } from '../server/db/pool.js';
import { createRegistry } from '../server/integrations/registry.js';
import { createMsp360Plugin } from '../server/integrations/msp360/index.js';
import { createSyncroPlugin } from '../server/integrations/syncro/index.js';
import type { IntegrationPlugin } from '../server/integrations/types.js';
import { secretAad, type SecretCipher } from '../server/secrets/cipher.js';
import { monitorPoolSize } from '../server/services/health/monitor.js';
import { createHealthScheduler, type SweepSummary } from '../server/services/health/scheduler.js';
import type { Benchmark } from './lib/types.js';
import { startBenchServer } from './lib/server.js';
import { busyPercent, cpuSnapshot, machineCpu } from './lib/cpu.js';
import { statementStats, type StatementFigure } from './lib/statementStats.js';

/** BENCH_HEALTH_PARTNERS shrinks the run for quick iterations; the figures are for 1,000. */
const partnerCount = Number(process.env.BENCH_HEALTH_PARTNERS ?? 1_000);
const vendorDelayMs = 200;
/** Eight more keys beside syncro and msp360: the Syncro plugin under other names (see below). */
const cloneKeys = Array.from({ length: 8 }, (_, i) => `bench-${i + 2}`);
const keys = ['syncro', 'msp360', ...cloneKeys];
const integrations = partnerCount * keys.length;
/** Per instance; the server's default (HEALTH_CHECK_CONCURRENCY) unless BENCH_HEALTH_CONCURRENCY says otherwise. */
const concurrencyOverride = process.env.BENCH_HEALTH_CONCURRENCY ? Number(process.env.BENCH_HEALTH_CONCURRENCY) : undefined;

interface Counts {
  syncroMe: number;
  syncroRequests: number;
  msp360Companies: number;
  msp360Logins: number;
}

/** The fakes in a child process, answering every request after `vendorDelayMs`. */
async function startFakes(): Promise<{ env: { SYNCRO_BASE_URL: string; MSP360_BASE_URL: string }; counts(): Promise<Counts>; reset(): Promise<void>; stop(): void }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib', 'fakeVendorsChild.ts');
  const child: ChildProcess = fork(script, [JSON.stringify({ partners: partnerCount, delayMs: vendorDelayMs })], { execArgv: ['--import', 'tsx'] });
  const next = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
    });
  const ready = await next<{ SYNCRO_BASE_URL: string; MSP360_BASE_URL: string }>('ready');
  return {
    env: { SYNCRO_BASE_URL: ready.SYNCRO_BASE_URL, MSP360_BASE_URL: ready.MSP360_BASE_URL },
    counts: async () => {
      const answer = next<Counts>('counts');
      child.send('counts');
      return answer;
    },
    reset: async () => {
      const answer = next('reset');
      child.send('reset');
      await answer;
    },
    stop: () => child.send('stop'),
  };
}

/**
 * One server instance's plugins: the shipped Syncro and MSP360 plugins, plus eight copies of the
 * Syncro plugin under other keys (ten integrations per partner need ten registry keys; copies of
 * a real plugin keep every check a real one: three HTTP calls, two round trips). Each instance
 * has its own connection pool to the fakes, as separate processes would. The shipped request
 * budgets are lifted here: Syncro's (180/min per egress address, all partners together) and
 * MSP360's (55/min per account) would cap the sweep at the vendors' pace, not the scheduler's.
 */
function instancePlugins(): { plugins: IntegrationPlugin[]; close(): Promise<void> } {
  const agent = new Agent({ connections: 256, keepAliveTimeout: 10_000 });
  const syncro = () => createSyncroPlugin({ http: { dispatcher: agent, rateLimit: { perMinute: 1_000_000, burst: 10_000 } } });
  const clones = cloneKeys.map((key, i) => {
    const plugin = syncro();
    // Health checks only: Syncro's actions are named after its key, so a copy under another key drops them.
    return { ...plugin, meta: { ...plugin.meta, key, name: `Bench Syncro ${i + 2}` }, actions: undefined };
  });
  const msp360 = createMsp360Plugin({ http: { dispatcher: agent, rateLimit: { perMinute: 1_000_000, burst: 10_000 } } });
  return { plugins: [syncro(), msp360, ...clones], close: () => agent.close() };
}

async function seed(client: pg.Client, secrets: SecretCipher): Promise<number[]> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO partners (name) SELECT 'Bench ' || lpad(g::text, 6, '0') FROM generate_series(1, ${partnerCount}) g RETURNING id`,
  );
  const ids = rows.map((r) => r.id);
  const enc = (partnerId: number, key: string, field: string, value: string) => secrets.encrypt(value, secretAad({ partnerId, integrationKey: key, fieldKey: field }));
  for (let start = 0; start < ids.length; start += 100) {
    const cols: unknown[][] = [[], [], []];
    ids.slice(start, start + 100).forEach((partnerId, offset) => {
      const n = start + offset + 1;
      for (const key of keys) {
        const settings =
          key === 'msp360'
            ? { api_login: `b${n}-api`, api_password: enc(partnerId, key, 'api_password', `bench-msp-password-${n}`) }
            : { subdomain: `b${n}`, api_token: enc(partnerId, key, 'api_token', `bench-syncro-token-${n}`) };
        cols[0]?.push(partnerId);
        cols[1]?.push(key);
        cols[2]?.push(JSON.stringify(settings));
      }
    });
    await client.query(
      `INSERT INTO integration_configurations (partner_id, integration_key, settings)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::jsonb[])`,
      cols,
    );
  }
  return ids;
}

interface RunFigures {
  instances: number;
  wallSeconds: number;
  checksPerSecond: number;
  cpuSeconds: number;
  cpuPercentOfOneCore: number;
  /** PostgreSQL's CPU over the sweep, and how busy all the machine's cores were (fakes included). */
  postgresCpuSeconds: number;
  machineBusyPercent: number;
  checked: number;
  outcomes: Pick<SweepSummary, 'ok' | 'degraded' | 'error' | 'stale' | 'lost' | 'released'>;
  transitions: number;
  meanMs: SweepSummary['meanMs'][];
  /** Checks at the fakes beyond one per integration (0 = none checked twice). */
  duplicates: number;
  /** From the history table: the most checks any integration got, and how many got none. */
  maxChecksPerIntegration: number;
  unchecked: number;
  /** A further sweep by every instance right after: how many checks it made (goal 0 within the interval). */
  checksOnImmediateResweep: number;
  loadAverage1m: { before: number; after: number };
  topStatements: (StatementFigure & { msPerCheck: number })[];
  statementTotals: { statements: number; execMs: number; planMs: number };
}

export const healthSweepBench: Benchmark = {
  name: 'health-sweep',
  async run() {
    const fakes = await startFakes();
    const first = instancePlugins();
    // The runtime's registry only has to know the keys; each measured instance brings its own plugins.
    // A failed start must not leave the fakes' process running (it kept the bench from exiting).
    const server = await startBenchServer({ plugins: first.plugins }).catch((error: unknown) => {
      fakes.stop();
      throw error;
    });
    const client = new pg.Client({ connectionString: server.runtime.databaseUrl });
    await client.connect();
    const extraPools: Db[] = [];
    const stats = statementStats(client);
    const pluginSets = [first];
    try {
      const loadStarted = Date.now();
      await seed(client, server.runtime.deps.secrets);
      await client.query('ANALYZE');
      console.log(`seeded ${integrations} configurations over ${partnerCount} partners in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);

      const base = server.runtime.deps;
      const config = { ...base.config, syncroBaseUrl: fakes.env.SYNCRO_BASE_URL, msp360BaseUrl: fakes.env.MSP360_BASE_URL };
      // Every instance gets fresh plugins (own vendor clients, token caches) and its own pool.
      const instanceDeps = (): AppDeps => {
        const set = instancePlugins();
        pluginSets.push(set);
        // As server.ts gives the health monitor a pool of its own.
        const db = createDb(server.runtime.databaseUrl, { max: monitorPoolSize });
        extraPools.push(db);
        return { ...base, config, db, registry: createRegistry(set.plugins) };
      };

      const concurrency = concurrencyOverride ?? base.config.health.concurrency;
      const measureRun = async (instances: number): Promise<RunFigures> => {
        // Same work every run: all due, all unchecked (each check is a transition), fresh counters.
        await client.query("UPDATE integration_configurations SET status = 'Configured', health = 'unknown', last_health_check = NULL, consecutive_failures = 0");
        await client.query('TRUNCATE integration_health_history, integration_alerts');
        await client.query("UPDATE integration_health_schedule SET next_check_at = now() + interval '1 day', lease_id = NULL, lease_owner = NULL");
        await withSystem(base.db, (tx) => markAllDue(tx, keys, { unplacedOnly: false })); // as `health-sweep --all`
        await fakes.reset();
        await stats.reset();
        const schedulers = Array.from({ length: instances }, (_, i) => createHealthScheduler(instanceDeps(), { instanceId: `bench-${instances}-${i}`, concurrency }));
        const loadBefore = os.loadavg()[0] ?? 0;
        const cpu = process.cpuUsage();
        const [machineBefore, snapshotBefore] = [await machineCpu(), await cpuSnapshot()];
        const started = performance.now();
        const summaries = await Promise.all(schedulers.map((s) => s.sweep()));
        const wallSeconds = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        const [machineAfter, snapshotAfter] = [await machineCpu(), await cpuSnapshot()];
        const loadAfter = os.loadavg()[0] ?? 0;
        const counts = await fakes.counts();
        const resweep = await Promise.all(schedulers.map((s) => s.sweep()));
        await Promise.all(schedulers.map((s) => s.stop({ graceMs: 0 })));
        const perIntegration = (
          await client.query<{ max: number; checked: number }>(
            'SELECT max(n)::int AS max, count(*)::int AS checked FROM (SELECT count(*) AS n FROM integration_health_history GROUP BY partner_id, integration_key) t',
          )
        ).rows[0];
        const sum = (k: Exclude<keyof SweepSummary, 'meanMs'>) => summaries.reduce((acc, s) => acc + s[k], 0);
        const checked = sum('checked');
        const cpuSeconds = (used.user + used.system) / 1e6;
        return {
          instances,
          wallSeconds: Number(wallSeconds.toFixed(2)),
          checksPerSecond: Math.round(checked / wallSeconds),
          cpuSeconds: Number(cpuSeconds.toFixed(2)),
          cpuPercentOfOneCore: Math.round((cpuSeconds / wallSeconds) * 100),
          postgresCpuSeconds: Number(((snapshotAfter.postgresMs - snapshotBefore.postgresMs) / 1000).toFixed(2)),
          machineBusyPercent: busyPercent(machineBefore, machineAfter),
          checked,
          outcomes: { ok: sum('ok'), degraded: sum('degraded'), error: sum('error'), stale: sum('stale'), lost: sum('lost'), released: sum('released') },
          transitions: sum('transitions'),
          meanMs: summaries.map((s) => s.meanMs),
          duplicates: counts.syncroMe - partnerCount * (keys.length - 1) + (counts.msp360Companies - partnerCount),
          maxChecksPerIntegration: perIntegration?.max ?? 0,
          unchecked: integrations - (perIntegration?.checked ?? 0),
          checksOnImmediateResweep: resweep.reduce((acc, s) => acc + s.checked, 0),
          loadAverage1m: { before: Number(loadBefore.toFixed(2)), after: Number(loadAfter.toFixed(2)) },
          // Where PostgreSQL's time went, per check (the sweep's statements, nested ones included).
          statementTotals: await stats.totals(),
          topStatements: (await stats.top(8)).map((t) => ({ ...t, msPerCheck: Number((t.totalMs / Math.max(1, checked)).toFixed(3)) })),
        };
      };

      const one = await measureRun(1);
      console.log(`one instance: ${one.wallSeconds} s; statements ${JSON.stringify(one.statementTotals)}; PostgreSQL's time per check by statement:`);
      console.table(one.topStatements.map((t) => ({ msPerCheck: t.msPerCheck, calls: t.calls, meanMs: t.meanMs, statement: t.statement.slice(0, 90) })));
      // BENCH_HEALTH_INSTANCES=1: the one-instance run only (the 100,000-integration figure).
      const two = process.env.BENCH_HEALTH_INSTANCES === '1' ? undefined : await measureRun(2);
      const goals = (r: RunFigures) => ({ sweepWithin60s: r.wallSeconds <= 60, zeroDuplicates: r.duplicates === 0, atMostOneCheckPerInterval: r.maxChecksPerIntegration <= 1 && r.checksOnImmediateResweep === 0 });
      const row = (r: RunFigures) => ({
        instances: r.instances,
        wallSeconds: r.wallSeconds,
        checksPerSecond: r.checksPerSecond,
        cpuSeconds: r.cpuSeconds,
        'cpu%': r.cpuPercentOfOneCore,
        pgCpuSeconds: r.postgresCpuSeconds,
        'machineBusy%': r.machineBusyPercent,
        checked: r.checked,
        errors: r.outcomes.error,
        duplicates: r.duplicates,
        maxPerIntegration: r.maxChecksPerIntegration,
        resweep: r.checksOnImmediateResweep,
        meanCheckMs: r.meanMs.map((m) => m.check).join('/'),
        meanRecordMs: r.meanMs.map((m) => m.record).join('/'),
      });
      return {
        rows: two ? [row(one), row(two)] : [row(one)],
        figures: {
          data: { partners: partnerCount, integrations, keys, vendorDelayMs, concurrencyPerInstance: concurrency },
          machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0] },
          oneInstance: { ...one, goals: goals(one) },
          twoInstances: two && { ...two, goals: goals(two), speedUp: Number((one.wallSeconds / two.wallSeconds).toFixed(2)) },
          note: 'CPU is this process (schedulers, their HTTP clients, pg driver); PostgreSQL and the fakes run in other processes on the same 2 cores.',
        },
      };
    } finally {
      await client.end();
      await Promise.all(extraPools.map((p) => p.close()));
      await server.stop();
      await Promise.all(pluginSets.map((s) => s.close()));
      fakes.stop();
    }
  },
};
