import { automationLimits } from '../../../shared/automations.js';
import { AppError } from '../../../shared/errors.js';
import type { AutomationRow } from '../../db/automations.js';
import { insertRun, runsInLastHour } from '../../db/automationRuns.js';
import { withPartner, type Queryable } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { automationQueue } from './queue.js';

/**
 * Starts runs: a row per run (the state), then a job per run (the work). The row is committed
 * before the job is sent, so a job always finds its run; a run whose job could not be sent
 * stays `queued` and the minute tick sends it again (sweepQueued).
 */

export class RunLimitReached extends AppError {
  constructor() {
    super('RATE_LIMITED', `This partner started ${automationLimits.runsPerHour} automation runs in the last hour, the most allowed; new runs start again as the hour moves on`, { retryAfterSeconds: 60 });
  }
}

/**
 * The partner's runs in the last hour, counted under the partner's run lock (held to the end of
 * the transaction): every trigger that starts runs takes it before counting, so two of them —
 * two instances, a health transition and a manual run — cannot both pass the hourly limit.
 */
export async function lockRunsInLastHour(tx: Queryable, partnerId: number): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), $2::int)', ['automation-runs', partnerId]);
  return runsInLastHour(tx, partnerId);
}

/** Queues one run of each automation given; over the hourly limit, throws (manual) or skips with a warning (events). */
export async function enqueueRuns(
  deps: AppDeps,
  partnerId: number,
  automations: Pick<AutomationRow, 'id' | 'version'>[],
  trigger: { kind: string; data: unknown },
  options: { throwAtLimit?: boolean; nextStep?: number; rerunOf?: number; copyFrom?: (tx: Queryable, runId: number) => Promise<void> } = {},
): Promise<number[]> {
  if (automations.length === 0) return [];
  const ids = await withPartner(deps.db, partnerId, async (tx) => {
    const used = await lockRunsInLastHour(tx, partnerId);
    if (used + automations.length > automationLimits.runsPerHour) {
      if (options.throwAtLimit) throw new RunLimitReached();
      deps.log.warn({ partnerId, used }, 'automation runs per hour reached: trigger skipped');
      return [];
    }
    const out: number[] = [];
    for (const a of automations) {
      const runId = await insertRun(tx, partnerId, { automationId: a.id, automationVersion: a.version, triggerKind: trigger.kind, triggerData: trigger.data, nextStep: options.nextStep ?? 0, rerunOf: options.rerunOf ?? null });
      if (options.copyFrom) await options.copyFrom(tx, runId);
      out.push(runId);
    }
    return out;
  });
  for (const runId of ids) {
    await deps.jobs.send(automationQueue, { partnerId, runId }).catch((error: unknown) => {
      deps.log.warn({ partnerId, runId, errorType: error instanceof Error ? error.name : typeof error }, 'automation job not sent; the tick sends it');
    });
  }
  return ids;
}
