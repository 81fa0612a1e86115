import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pruneHealthHistory } from '../../db/healthHistory.js';
import { pruneWebhookDeliveries } from '../../db/webhookDeliveries.js';
import { claimDueChecks, markAllDue, placeNewSchedules, releaseLeases, type ClaimedCheck } from '../../db/healthSchedule.js';
import { withSystem } from '../../db/pool.js';
import { isDatabaseUnreachable } from '../../db/unreachable.js';
import type { AppDeps } from '../../deps.js';
import { checkClaimed, type CheckOutcome, type CheckReport } from './checkOne.js';
import { Semaphore } from './semaphore.js';
import { leaseMsFor } from './timing.js';
import { healthChecks } from '../../metrics/metrics.js';

export interface HealthSchedulerOptions {
  /** Names this instance in leases (default: a random id). */
  instanceId?: string;
  /** Checks in flight at once on this instance (default HEALTH_CHECK_CONCURRENCY). */
  concurrency?: number;
  /** Checks in flight at once per integration key, i.e. per vendor (default a quarter of `concurrency`, at least 8). */
  perKeyConcurrency?: number;
  /** How often an idle instance looks for due work (default 1 s). */
  pollMs?: number;
  /** How long a claim is held (default: see leaseMsFor). */
  leaseMs?: number;
  /** How long stop() lets running checks finish before releasing them (default 10 s). */
  graceMs?: number;
  /** History retention and how often (and how much at a time) it is pruned. */
  retentionMs?: number;
  pruneEveryMs?: number;
  pruneBatch?: number;
  random?: () => number;
  /** Told after each recorded transition (the webhook deliverer wakes up). */
  onTransition?: () => void;
}

export type SweepSummary = Record<CheckOutcome, number> & {
  checked: number;
  transitions: number;
  durationMs: number;
  /** Mean per recorded check: waiting for a per-vendor slot, the vendor check, recording it. */
  meanMs: { wait: number; check: number; record: number };
};

export interface StopReport {
  /** Checks that finished (recorded) during the grace period. */
  finished: number;
  /** Claims handed back unfinished, due now for any instance. */
  released: number;
}

export interface HealthScheduler {
  readonly instanceId: string;
  /** Runs the background loop: claims due work every `pollMs`, all the time. */
  start(): void;
  /** Checks everything due now (and never-checked; with `all`, everything) and resolves when done. */
  sweep(options?: { all?: boolean }): Promise<SweepSummary>;
  /** Stops claiming, lets running checks finish within the grace period, releases the rest. */
  stop(options?: { graceMs?: number }): Promise<StopReport>;
  /** Checks in flight now. */
  readonly inFlight: number;
}

const emptySummary = (): SweepSummary => ({
  ok: 0, degraded: 0, error: 0, stale: 0, gone: 0, lost: 0, released: 0, checked: 0, transitions: 0, durationMs: 0,
  meanMs: { wait: 0, check: 0, record: 0 },
});

/**
 * The health scheduler of one server instance. Instances share nothing but the database: each
 * claims due rows of `integration_health_schedule` with `FOR UPDATE SKIP LOCKED` and a lease, so
 * N instances check every configuration once per HEALTH_CHECK_INTERVAL between them. Vendor calls
 * run outside any transaction; each result is recorded in a short transaction of its partner.
 */
export function createHealthScheduler(deps: AppDeps, options: HealthSchedulerOptions = {}): HealthScheduler {
  const instanceId = options.instanceId ?? `ic-${randomUUID()}`;
  const concurrency = options.concurrency ?? deps.config.health.concurrency;
  const perKey = options.perKeyConcurrency ?? Math.min(concurrency, Math.max(8, Math.ceil(concurrency / 4)));
  const pollMs = options.pollMs ?? 1_000;
  const leaseMs = options.leaseMs ?? leaseMsFor(deps.pluginTimeoutMs);
  const retentionMs = options.retentionMs ?? deps.config.health.historyRetentionMs;
  const pruneEveryMs = options.pruneEveryMs ?? 10 * 60_000;
  const pruneBatch = options.pruneBatch ?? 1_000;
  const random = options.random ?? Math.random;
  const intervalMs = deps.config.healthCheckIntervalMs;
  const keys = deps.registry.list().map((i) => i.entry.key);
  const log = deps.log.child({ component: 'health-scheduler', instanceId });

  const checkControllers = new Set<AbortController>();
  let stopped = false;
  const checkSignal = () => {
    const controller = new AbortController();
    if (stopped) controller.abort();
    checkControllers.add(controller);
    return { signal: controller.signal, done: () => checkControllers.delete(controller) };
  };
  const slots = new Map<string, Semaphore>();
  const slotFor = (key: string) => slots.get(key) ?? slots.set(key, new Semaphore(perKey)).get(key) as Semaphore;
  const env = { deps, intervalMs, random, slotFor, checkSignal };

  const inFlight = new Map<string, Promise<void>>();
  // Claims in flight per integration key. A claim is only made when its key has a free slot, so
  // the per-vendor semaphore (checkOne) never queues a claim: queued claims would count against
  // `concurrency` and a hanging vendor could then fill every slot of the instance.
  const inFlightByKey = new Map<string, number>();
  const toRelease: ClaimedCheck[] = [];
  let stopRequested = false;
  let loop: Promise<void> | undefined;
  let lastPruneAt = 0;
  let finishedDuringStop = 0;

  const wakers = new Set<() => void>();
  const wakeAll = () => {
    for (const w of [...wakers]) w();
  };
  /** Waits `ms`, or less when stop() is called or (with `untilSlotFrees`) a check finishes. */
  const nap = (ms: number, untilSlotFrees = false) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        slotWakers.delete(done);
        resolve();
      }
      wakers.add(done);
      if (untilSlotFrees) slotWakers.add(done);
    });
  const slotWakers = new Set<() => void>();

  function launch(claim: ClaimedCheck, onReport: (report: CheckReport) => void) {
    const id = claim.leaseId;
    const key = claim.integrationKey;
    inFlightByKey.set(key, (inFlightByKey.get(key) ?? 0) + 1);
    const task = checkClaimed(env, claim)
      .catch((error: unknown) => {
        // A database failure while recording: hand the claim back rather than wait out the lease.
        // The database being down is an outage (a warning, as for requests), not a bug.
        // PostgreSQL's SQLSTATE says which failure it was (a deadlock, a constraint) without the
        // message, which can quote row values.
        log[isDatabaseUnreachable(error) ? 'warn' : 'error'](
          { errorType: error instanceof Error ? error.name : typeof error, code: error instanceof pg.DatabaseError ? error.code : undefined, partnerId: claim.partnerId, integration: claim.integrationKey },
          'recording a health check failed',
        );
        return { outcome: 'released', transition: false } satisfies CheckReport;
      })
      .then((report) => {
        if (report.outcome === 'released') toRelease.push(claim);
        else if (stopRequested) finishedDuringStop++;
        if (report.transition) options.onTransition?.();
        onReport(report);
      })
      .finally(() => {
        inFlight.delete(id);
        inFlightByKey.set(key, (inFlightByKey.get(key) ?? 1) - 1);
        for (const w of [...slotWakers]) w();
      });
    inFlight.set(id, task);
  }

  /** Free per-vendor slots of each key (what a claim may take of it). */
  const roomPerKey = (): Record<string, number> => Object.fromEntries(keys.map((k) => [k, perKey - (inFlightByKey.get(k) ?? 0)]));

  /**
   * Claims up to `limit` due checks, of each key at most its free slots. `capped` tells whether
   * more may be due than was taken (a full batch, or a key that got all it had room for): then
   * the caller goes again as soon as a check finishes instead of waiting a poll interval.
   */
  async function claim(limit: number): Promise<{ claims: ClaimedCheck[]; capped: boolean }> {
    if (limit <= 0) return { claims: [], capped: true };
    const room = roomPerKey();
    const claims = await withSystem(deps.db, (tx) => claimDueChecks(tx, { owner: instanceId, limit, leaseMs, keys, perKey: room }));
    const taken = new Map<string, number>();
    for (const c of claims) taken.set(c.integrationKey, (taken.get(c.integrationKey) ?? 0) + 1);
    const capped = claims.length >= limit || keys.some((k) => (taken.get(k) ?? 0) >= Math.min(limit, room[k] ?? 0));
    return { claims, capped };
  }

  async function flushReleases(): Promise<number> {
    const batch = toRelease.splice(0, toRelease.length);
    if (batch.length === 0) return 0;
    try {
      return await withSystem(deps.db, (tx) => releaseLeases(tx, batch));
    } catch (error) {
      log.warn({ errorType: error instanceof Error ? error.name : typeof error, claims: batch.length }, 'could not release claims; they come back when their lease ends');
      return 0;
    }
  }

  async function housekeeping(now: number) {
    await withSystem(deps.db, (tx) => placeNewSchedules(tx, intervalMs));
    if (now - lastPruneAt >= pruneEveryMs) {
      lastPruneAt = now;
      const before = new Date(now - retentionMs);
      // A few small batches per round: old rows go within rounds without long transactions.
      for (let i = 0; i < 10 && !stopRequested; i++) {
        if ((await withSystem(deps.db, (tx) => pruneHealthHistory(tx, before, pruneBatch))) < pruneBatch) break;
      }
      // Webhook delivery attempts are kept as long as the checks that raised their alerts.
      for (let i = 0; i < 10 && !stopRequested; i++) {
        if ((await withSystem(deps.db, (tx) => pruneWebhookDeliveries(tx, before, pruneBatch))) < pruneBatch) break;
      }
    }
  }

  async function runLoop() {
    let lastHousekeeping = 0;
    while (!stopRequested) {
      try {
        const now = Date.now();
        if (now - lastHousekeeping >= pollMs) {
          lastHousekeeping = now;
          await housekeeping(now);
        }
        const free = concurrency - inFlight.size;
        const { claims, capped } = await claim(free);
        for (const c of claims) launch(c, () => undefined);
        if (stopRequested) break;
        // Capped (every slot busy, a full batch, or a vendor's slots full: more may be due): go
        // again as soon as a slot frees up. Otherwise nothing more is due: look again after pollMs.
        await nap(free <= 0 ? pollMs * 10 : pollMs, capped);
      } catch (error) {
        log[isDatabaseUnreachable(error) ? 'warn' : 'error']({ errorType: error instanceof Error ? error.name : typeof error }, 'health scheduler round failed; retrying');
        await nap(pollMs * 5);
      }
    }
  }

  return {
    instanceId,
    get inFlight() {
      return inFlight.size;
    },

    start() {
      if (loop || stopRequested) return;
      loop = runLoop();
    },

    async sweep(sweepOptions = {}) {
      const started = performance.now();
      const summary = emptySummary();
      await withSystem(deps.db, (tx) => markAllDue(tx, keys, { unplacedOnly: !sweepOptions.all }));
      const totals = { wait: 0, check: 0, record: 0, n: 0 };
      const record = (report: CheckReport) => {
        summary[report.outcome]++;
        healthChecks.inc({ outcome: report.outcome });
        if (report.timings) {
          totals.n++;
          totals.wait += report.timings.waitMs;
          totals.check += report.timings.checkMs;
          totals.record += report.timings.recordMs;
        }
        if (report.outcome !== 'released' && report.outcome !== 'lost') summary.checked++;
        if (report.transition) summary.transitions++;
      };
      while (!stopRequested) {
        const free = concurrency - inFlight.size;
        const { claims } = await claim(free);
        for (const c of claims) launch(c, record);
        if (claims.length === 0 && inFlight.size === 0) break;
        if (claims.length < free || free === 0) await nap(pollMs, true);
      }
      await Promise.all(inFlight.values());
      await flushReleases();
      summary.durationMs = Math.round(performance.now() - started);
      const mean = (total: number) => (totals.n ? Math.round(total / totals.n) : 0);
      summary.meanMs = { wait: mean(totals.wait), check: mean(totals.check), record: mean(totals.record) };
      return summary;
    },

    async stop(stopOptions = {}) {
      const graceMs = stopOptions.graceMs ?? options.graceMs ?? 10_000;
      stopRequested = true;
      wakeAll();
      await loop;
      const running = [...inFlight.values()];
      if (running.length > 0) {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
        await Promise.race([Promise.all(running), grace]);
        clearTimeout(timer);
      }
      // Whatever has not answered by now is abandoned and handed back for another instance.
      stopped = true;
      for (const controller of checkControllers) controller.abort();
      await Promise.all(inFlight.values());
      const releasedCount = await flushReleases();
      return { finished: finishedDuringStop, released: releasedCount };
    },
  };
}
