import type { IntegrationStatus } from '../../../shared/integrations/catalog.js';
import type { Fleet, FleetCell } from '../../../shared/integrations/health.js';
import { listFleet } from '../../db/fleet.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import type { Principal } from '../principal.js';

/**
 * The dev partner's matrix of partners × integrations (status, last check, message), a page of
 * partners at a time. Read in the dev partner's own scope, where row-level security lets it read
 * (never write) every partner's configurations; the router admits dev partner users only.
 */
export async function getFleet(deps: AppDeps, viewer: Principal, input: { status?: IntegrationStatus; cursor?: string; limit?: number }): Promise<Fleet> {
  const limit = input.limit ?? 200;
  const rows = await readAsPartner(deps.db, viewer.partnerId, (q) =>
    listFleet(q, { afterPartnerId: input.cursor === undefined ? 0 : Number(input.cursor), limit: limit + 1, status: input.status }),
  );
  const byPartner = new Map<number, Fleet['rows'][number]>();
  for (const r of rows) {
    let row = byPartner.get(r.partnerId);
    if (!row) byPartner.set(r.partnerId, (row = { partnerId: r.partnerId, partnerName: r.partnerName, cells: {} }));
    if (r.integrationKey === null || r.status === null) continue;
    const cell: FleetCell = {
      status: r.status,
      health: r.health ?? 'unknown',
      lastHealthCheck: r.lastHealthCheck?.toISOString() ?? null,
      consecutiveFailures: r.consecutiveFailures ?? 0,
      message: r.errorMessage,
    };
    row.cells[r.integrationKey] = cell;
  }
  const all = [...byPartner.values()];
  const page = all.slice(0, limit);
  const last = page.at(-1);
  return {
    keys: deps.registry.list().map((i) => i.entry.key),
    rows: page,
    nextCursor: all.length > limit && last ? String(last.partnerId) : null,
  };
}
