import { z } from 'zod';
import { pruneInteractions } from '../../db/interactionLog.js';
import { withSystem } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { JobContext, JobQueue } from '../../jobs/engine.js';

/** The prune job carries nothing: the retention is read from the configuration when it runs. */
export const interactionPruneQueue: JobQueue<Record<string, never>> = {
  name: 'interaction-log-prune',
  data: z.strictObject({}),
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 15 * 60,
};

/** Hourly: a day's rows go in small steps rather than one long delete at midnight. */
export const interactionPruneCron = '17 * * * *';

/** Rows per DELETE: short statements that never hold locks for long. */
const pruneStep = 5_000;

/**
 * Deletes interaction log rows older than INTERACTION_LOG_RETENTION, every partner's (the
 * connecting role: this is not work on behalf of one partner), in steps until none are left or
 * the job is told to stop. Returns how many went.
 */
export async function pruneInteractionLog(deps: Pick<AppDeps, 'db' | 'config' | 'log'>, ctx?: Pick<JobContext, 'signal'>, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - deps.config.interactionLogRetentionMs);
  let total = 0;
  for (;;) {
    if (ctx?.signal.aborted) break;
    const deleted = await withSystem(deps.db, (tx) => pruneInteractions(tx, before, pruneStep));
    total += deleted;
    if (deleted < pruneStep) break;
  }
  if (total > 0) deps.log.info({ deleted: total, before: before.toISOString() }, 'interaction log pruned');
  return total;
}

/** Works the prune queue and (re)places its schedule: the one line in server/jobs/workers.ts. */
export async function startInteractionPrune(deps: AppDeps): Promise<void> {
  await deps.jobs.work(interactionPruneQueue, (_data, ctx) => pruneInteractionLog(deps, ctx).then(() => undefined));
  await deps.jobs.schedule(interactionPruneQueue, interactionPruneCron, {});
}
