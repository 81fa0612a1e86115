import type { HealthHistory, HealthRange } from '../../../shared/integrations/health.js';
import { defaultHealthRange, healthRangeMs, maxHistoryPoints } from '../../../shared/integrations/health.js';
import { countHealthPoints, listHealthPoints } from '../../db/healthHistory.js';
import { listHealthTimelines, timelineId } from '../../db/healthTimeline.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { requireIntegration } from '../integrations/lookup.js';
import { maxPointSpanMs } from './timing.js';
import { summariseUptime } from './uptime.js';

/**
 * One integration's checks over a range (default the last 24 hours) for the detail's bar and
 * check list, with its uptime (summariseUptime: time-weighted, from where the data starts). A
 * known key without checks is an empty history, not a 404 (history outlives a configuration
 * until pruned).
 */
export async function getHealthHistory(
  deps: AppDeps,
  partnerId: number,
  input: { key: string; range?: HealthRange | undefined },
  now = new Date(),
): Promise<HealthHistory> {
  requireIntegration(deps.registry, input.key);
  const range = input.range ?? defaultHealthRange;
  const from = new Date(now.getTime() - healthRangeMs[range]);
  const maxSpanMs = maxPointSpanMs(deps.config.healthCheckIntervalMs);
  const target = { partnerId, key: input.key };
  const { points, counts, timelines } = await withPartner(deps.db, partnerId, async (tx) => ({
    points: await listHealthPoints(tx, partnerId, input.key, from, maxHistoryPoints),
    counts: await countHealthPoints(tx, partnerId, input.key, from),
    timelines: await listHealthTimelines(tx, { targets: [target], from, until: now, maxSpanMs }),
  }));
  return {
    key: input.key,
    points: points.map((p) => ({ ...p, checkedAt: p.checkedAt.toISOString() })),
    checks: counts.total,
    okChecks: counts.ok,
    degradedChecks: counts.degraded,
    errorChecks: counts.error,
    uptime: summariseUptime({ range, from, until: now, timeline: timelines.get(timelineId(target)) }),
  };
}
