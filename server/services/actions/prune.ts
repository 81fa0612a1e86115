import { z } from 'zod';
import { pruneExpiredRuns } from '../../db/actionRuns.js';
import type { AppDeps } from '../../deps.js';
import type { JobQueue } from '../../jobs/engine.js';

/**
 * Stored results of side-effectful runs answer retries for ACTION_RESULT_TTL (default 7 days);
 * after that a run is deleted by this hourly job (an expired result already stops answering
 * before it is pruned: exactlyOnce.ts claims the key afresh). One statement, on the owner
 * connection: pruning is upkeep across partners, not a partner's request.
 */
export const pruneActionRunsQueue: JobQueue<Record<string, never>> = {
  name: 'action-runs-prune',
  data: z.strictObject({}),
  retryLimit: 1,
  expireInSeconds: 5 * 60,
};

/** Registers the hourly schedule and this instance's worker for it. */
export async function startActionRunPruning(deps: AppDeps): Promise<void> {
  await deps.jobs.schedule(pruneActionRunsQueue, '23 * * * *', {});
  await deps.jobs.work(pruneActionRunsQueue, async () => {
    const pruned = await pruneExpiredRuns(deps.db.pool);
    if (pruned > 0) deps.log.info({ pruned }, 'expired action results pruned');
  });
}
