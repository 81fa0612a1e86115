import type { HealthCheckPage, HealthChecksInput } from '../../../shared/integrations/healthChecks.js';
import { defaultCheckPageSize, healthChecksInputSchema } from '../../../shared/integrations/healthChecks.js';
import { listHealthChecks } from '../../db/healthHistory.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import { requireIntegration } from '../integrations/lookup.js';

/**
 * One integration's recent checks, newest first, optionally only those with one result: the list
 * the detail's sparkline opens. Like the history, a known key without checks is an empty list.
 */
export async function getHealthChecks(deps: AppDeps, partnerId: number, input: HealthChecksInput): Promise<HealthCheckPage> {
  const parsed = healthChecksInputSchema.parse(input);
  requireIntegration(deps.registry, parsed.key);
  const limit = parsed.limit ?? defaultCheckPageSize;
  const rows = await readAsPartner(deps.db, partnerId, (q) =>
    listHealthChecks(q, partnerId, { key: parsed.key, health: parsed.result, limit: limit + 1, ...(parsed.cursor ? { beforeId: Number(parsed.cursor) } : {}) }),
  );
  const items = rows.slice(0, limit);
  return {
    key: parsed.key,
    items: items.map((r) => ({
      id: r.id,
      checkedAt: r.checkedAt.toISOString(),
      result: r.health,
      status: r.status,
      message: r.message,
      durationMs: r.durationMs,
      source: r.source,
    })),
    nextCursor: rows.length > limit && items.length > 0 ? String(items[items.length - 1]?.id) : null,
  };
}
