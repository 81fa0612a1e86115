import type { HealthHistory } from '../../../shared/integrations/health.js';
import { maxHistoryDays, maxHistoryPoints } from '../../../shared/integrations/health.js';
import { countHealthPoints, listHealthPoints } from '../../db/healthHistory.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { appError } from '../../trpc/errors.js';
import { requireIntegration } from '../integrations/lookup.js';

const day = 24 * 60 * 60_000;

/**
 * One integration's checks since `since` (default: the last 24 hours) for a sparkline, with the
 * uptime: the share of those checks that found it working (Ok or Degraded). A known key without
 * checks is an empty history, not a 404 (history outlives a configuration until pruned).
 */
export async function getHealthHistory(deps: AppDeps, partnerId: number, input: { key: string; since?: string }, now = new Date()): Promise<HealthHistory> {
  requireIntegration(deps.registry, input.key);
  const since = input.since === undefined ? new Date(now.getTime() - day) : new Date(input.since);
  if (since.getTime() < now.getTime() - maxHistoryDays * day) {
    throw appError('VALIDATION_FAILED', 'The history goes back at most 90 days', { fields: { since: [`At most ${maxHistoryDays} days ago`] } });
  }
  const { points, counts } = await withPartner(deps.db, partnerId, async (tx) => ({
    points: await listHealthPoints(tx, partnerId, input.key, since, maxHistoryPoints),
    counts: await countHealthPoints(tx, partnerId, input.key, since),
  }));
  const up = counts.ok + counts.degraded;
  return {
    key: input.key,
    since: since.toISOString(),
    points: points.map((p) => ({ ...p, checkedAt: p.checkedAt.toISOString() })),
    checks: counts.total,
    okChecks: counts.ok,
    degradedChecks: counts.degraded,
    errorChecks: counts.error,
    uptimePercent: counts.total === 0 ? null : Math.round((up / counts.total) * 10_000) / 100,
  };
}
