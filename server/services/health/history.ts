import { AppError } from '../../../shared/errors.js';
import type { HealthHistory } from '../../../shared/integrations/health.js';
import { maxHistoryDays, maxHistoryPoints } from '../../../shared/integrations/health.js';
import { countHealthPoints, listHealthPoints, measureUptime, type HealthCounts, type UptimeSpans } from '../../db/healthHistory.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { requireIntegration } from '../integrations/lookup.js';
import { maxPointSpanMs } from './timing.js';

const day = 24 * 60 * 60_000;

/**
 * One integration's checks since `since` (default: the last 24 hours) for a sparkline, with the
 * uptime: the share of the time since then that it was known to be working (Ok or Degraded),
 * each check standing for the time until the next (see measureUptime, maxPointSpanMs). Weighted
 * by time, not by checks: a failing integration is checked less often (backoff), so counting
 * checks would read 12 h down and 12 h up as about 80 % instead of 50 %. A known key without
 * checks is an empty history, not a 404 (history outlives a configuration until pruned).
 */
export async function getHealthHistory(deps: AppDeps, partnerId: number, input: { key: string; since?: string }, now = new Date()): Promise<HealthHistory> {
  requireIntegration(deps.registry, input.key);
  const since = input.since === undefined ? new Date(now.getTime() - day) : new Date(input.since);
  if (since.getTime() < now.getTime() - maxHistoryDays * day) {
    throw new AppError('VALIDATION_FAILED', 'The history goes back at most 90 days', { fields: { since: [`At most ${maxHistoryDays} days ago`] } });
  }
  const maxSpanMs = maxPointSpanMs(deps.config.healthCheckIntervalMs);
  const { points, counts, spans } = await withPartner(deps.db, partnerId, async (tx) => ({
    points: await listHealthPoints(tx, partnerId, input.key, since, maxHistoryPoints),
    counts: await countHealthPoints(tx, partnerId, input.key, since),
    spans: await measureUptime(tx, partnerId, input.key, since, now, maxSpanMs),
  }));
  return {
    key: input.key,
    since: since.toISOString(),
    points: points.map((p) => ({ ...p, checkedAt: p.checkedAt.toISOString() })),
    checks: counts.total,
    okChecks: counts.ok,
    degradedChecks: counts.degraded,
    errorChecks: counts.error,
    uptimePercent: uptimePercent(spans, counts),
  };
}

const percent = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 100;

/**
 * Null when nothing is known about the period. Checks that cover no time (the only one was made
 * just now) fall back to their share, so a first check reads 100 % or 0 %, not "no data".
 */
function uptimePercent(spans: UptimeSpans, counts: HealthCounts): number | null {
  if (spans.coveredMs > 0) return percent(spans.upMs, spans.coveredMs);
  return counts.total === 0 ? null : percent(counts.ok + counts.degraded, counts.total);
}
