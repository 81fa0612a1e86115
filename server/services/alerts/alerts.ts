import type { AlertPage } from '../../../shared/integrations/health.js';
import { defaultAlertPageSize } from '../../../shared/integrations/health.js';
import { listAlerts } from '../../db/alerts.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import { requireIntegration } from '../integrations/lookup.js';

/** One page of the partner's alerts, newest first (keyset: pass back `nextCursor`). */
export async function getAlertPage(deps: AppDeps, partnerId: number, query: { key?: string; cursor?: string; limit?: number }): Promise<AlertPage> {
  if (query.key !== undefined) requireIntegration(deps.registry, query.key);
  const limit = query.limit ?? defaultAlertPageSize;
  const rows = await readAsPartner(deps.db, partnerId, (q) =>
    listAlerts(q, partnerId, { key: query.key, beforeId: query.cursor === undefined ? undefined : Number(query.cursor), limit: limit + 1 }),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      integrationKey: r.integrationKey,
      kind: r.kind,
      fromStatus: r.fromStatus,
      toStatus: r.toStatus,
      health: r.health,
      message: r.message,
      createdAt: r.createdAt.toISOString(),
      delivery: { state: r.deliveryState, attempts: r.deliveryAttempts, deliveredAt: r.deliveredAt?.toISOString() ?? null },
      heldBy: r.heldBy,
      releasedBy: r.releasedBy,
    })),
    nextCursor: rows.length > limit && last ? String(last.id) : null,
  };
}
