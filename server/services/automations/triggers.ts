import type { Health } from '../../../shared/integrations/catalog.js';
import { automationLimits, type HealthTriggerData } from '../../../shared/automations.js';
import { dueSchedules, setNextRun, triggeredBy } from '../../db/automations.js';
import { insertRun } from '../../db/automationRuns.js';
import type { Queryable } from '../../db/pool.js';
import { withPartner, withSystem } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { Logger } from '../../logger.js';
import { enqueueRuns, lockRunsInLastHour } from './enqueue.js';
import { automationQueue, automationTickQueue } from './queue.js';
import { nextCronTime } from './typecheck.js';

/**
 * Where runs come from (issue 23 §1): health transitions, processed inbound deliveries, due
 * schedules (a minute tick on pg-boss's cron, claimed with SKIP LOCKED), and "run now". A
 * trigger failing never fails what fired it: it is logged and the event goes on.
 */

/** Which health change a transition is, in the trigger's words (none for a first activation). */
export function healthChange(before: Health, after: 'ok' | 'degraded' | 'error'): 'error' | 'degraded' | 'recovered' | null {
  if (after === 'error') return before === 'error' ? null : 'error';
  if (after === 'degraded') return before === 'degraded' ? null : 'degraded';
  return before === 'error' || before === 'degraded' ? 'recovered' : null;
}

/** What a health trigger gives its run as `trigger` (the typecheck's sample is the same shape: samples.ts). */
export function healthTriggerData(t: { integrationKey: string; change: HealthTriggerData['change']; after: HealthTriggerData['health']; status: string; message: string | null; at: Date }): HealthTriggerData {
  return { kind: 'health', integrationKey: t.integrationKey, change: t.change, health: t.after, status: t.status, message: t.message, at: t.at.toISOString() };
}

/**
 * Queues the runs a health transition starts, INSIDE the transaction that records it (called by
 * recordObservation under the configuration's row lock): the transition and its runs commit
 * together, so a crash cannot lose one, and two instances recording the same check serialise on
 * that lock, so a transition starts its runs once. Their jobs are sent after the commit
 * (sendQueuedJobs) and, should that be lost, by the minute tick.
 */
export async function queueHealthRuns(
  tx: Queryable,
  partnerId: number,
  t: { integrationKey: string; before: Health; after: 'ok' | 'degraded' | 'error'; status: string; message: string | null; at: Date },
  log?: Pick<Logger, 'warn'>,
): Promise<number> {
  const change = healthChange(t.before, t.after);
  if (!change) return 0;
  // A trigger failing never fails what fired it: the health result it rides on is kept, and only
  // this part of the transaction is undone (a savepoint, so a failed statement does not poison it).
  await tx.query('SAVEPOINT automation_health_runs');
  try {
    const queued = await queueMatchingHealthRuns(tx, partnerId, t, change, log);
    await tx.query('RELEASE SAVEPOINT automation_health_runs');
    return queued;
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT automation_health_runs');
    log?.warn({ partnerId, integration: t.integrationKey, errorType: error instanceof Error ? error.name : typeof error }, 'automation health trigger failed; the health result is kept');
    return 0;
  }
}

async function queueMatchingHealthRuns(
  tx: Queryable,
  partnerId: number,
  t: { integrationKey: string; after: 'ok' | 'degraded' | 'error'; status: string; message: string | null; at: Date },
  change: NonNullable<ReturnType<typeof healthChange>>,
  log: Pick<Logger, 'warn'> | undefined,
): Promise<number> {
  const candidates = await triggeredBy(tx, partnerId, 'health', t.integrationKey);
  const matching = candidates.filter((a) => a.trigger.kind === 'health' && a.trigger.on.includes(change));
  if (matching.length === 0) return 0;
  // Under the partner's run lock, as every trigger counts: the limit cannot be raced past.
  if ((await lockRunsInLastHour(tx, partnerId)) + matching.length > automationLimits.runsPerHour) {
    log?.warn({ partnerId, integration: t.integrationKey, automations: matching.length }, 'automation hourly run limit reached; health-triggered runs not started');
    return 0;
  }
  const data = healthTriggerData({ ...t, change });
  for (const a of matching) await insertRun(tx, partnerId, { automationId: a.id, automationVersion: a.version, triggerKind: 'health', triggerData: data });
  return matching.length;
}

/** Sends a job for every run of the partner that is queued and was never started (duplicates are harmless: a run is claimed once). */
export async function sendQueuedJobs(deps: AppDeps, partnerId: number): Promise<void> {
  const ids = await withPartner(deps.db, partnerId, async (tx) =>
    (await tx.query<{ id: number }>(`SELECT id FROM automation_runs WHERE partner_id = $1 AND status = 'queued' AND job_attempts = 0 AND started_at IS NULL AND created_at > now() - interval '1 day' LIMIT 100`, [partnerId])).rows,
  );
  for (const r of ids) await deps.jobs.send(automationQueue, { partnerId, runId: r.id });
}

export async function onInboundDelivery(deps: AppDeps, partnerId: number, d: { integrationKey: string; deliveryId: string; receivedAt: Date | string; payload: unknown }): Promise<number[]> {
  try {
    const candidates = await withPartner(deps.db, partnerId, (tx) => triggeredBy(tx, partnerId, 'inbound', d.integrationKey));
    const data = { kind: 'inbound', integrationKey: d.integrationKey, deliveryId: d.deliveryId, receivedAt: new Date(d.receivedAt).toISOString(), payload: d.payload };
    return await enqueueRuns(deps, partnerId, candidates.filter((a) => a.trigger.kind === 'inbound'), { kind: 'inbound', data });
  } catch (error) {
    deps.log.warn({ partnerId, integration: d.integrationKey, errorType: error instanceof Error ? error.name : typeof error }, 'automation inbound trigger failed');
    return [];
  }
}

/**
 * Fires the schedules due now. Each due automation's next time is moved forward in the same
 * transaction that found it (FOR UPDATE SKIP LOCKED), so two ticks never fire one time twice.
 * Runs still `queued` with no live job (their send failed) get their job again.
 */
export async function scheduleTick(deps: AppDeps, now = new Date()): Promise<number> {
  const due = await withSystem(deps.db, async (tx) => {
    const rows = await dueSchedules(tx, now);
    for (const r of rows) {
      if (r.trigger.kind !== 'schedule') continue;
      await setNextRun(tx, r.partnerId, r.id, nextCronTime(r.trigger.cron, r.trigger.timeZone, now));
    }
    return rows;
  });
  let started = 0;
  for (const r of due) {
    if (r.trigger.kind !== 'schedule') continue;
    const automation = await withPartner(deps.db, r.partnerId, (tx) => triggeredBy(tx, r.partnerId, 'schedule', null));
    const self = automation.filter((a) => a.id === r.id);
    const data = { kind: 'schedule', scheduledFor: new Date(r.nextRunAt).toISOString(), timeZone: r.trigger.timeZone };
    started += (await enqueueRuns(deps, r.partnerId, self, { kind: 'schedule', data })).length;
  }
  // Queued runs older than a minute whose job was lost before it was sent.
  const stranded = await withSystem(deps.db, async (tx) =>
    (await tx.query<{ partnerId: number; id: number }>(`SELECT partner_id AS "partnerId", id FROM automation_runs WHERE status = 'queued' AND job_attempts = 0 AND started_at IS NULL AND created_at < now() - interval '30 seconds' AND created_at > now() - interval '1 day' LIMIT 100`)).rows,
  );
  for (const s of stranded) await deps.jobs.send(automationQueue, { partnerId: s.partnerId, runId: s.id });
  return started;
}

export async function startAutomationSchedules(deps: AppDeps): Promise<void> {
  await deps.jobs.work(automationTickQueue, () => scheduleTick(deps).then(() => undefined));
  await deps.jobs.schedule(automationTickQueue, '* * * * *', {});
}
