import type { IntegrationStatus } from '../../../shared/integrations/catalog.js';
import type { Fleet, FleetCell } from '../../../shared/integrations/health.js';
import { healthRangeMs } from '../../../shared/integrations/health.js';
import { listFleet } from '../../db/fleet.js';
import { listHealthTimelines, timelineId, type TimelineTarget } from '../../db/healthTimeline.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { activeWindowEnds } from '../../db/maintenanceWindows.js';
import type { AppDeps } from '../../deps.js';
import type { Principal } from '../principal.js';
import { maxPointSpanMs } from './timing.js';
import { summariseUptime } from './uptime.js';

/**
 * The dev partner's matrix of partners × integrations (status, health, last check, message and
 * the last 24 hours' uptime by the same rule as the detail), a page of partners at a time. Read
 * in the dev partner's own scope, where row-level security lets it read (never write) every
 * partner's configurations and history; the router admits dev partner users only.
 */
export async function getFleet(deps: AppDeps, viewer: Principal, input: { status?: IntegrationStatus; cursor?: string; limit?: number }, now = new Date()): Promise<Fleet> {
  const limit = input.limit ?? 200;
  const rows = await readAsPartner(deps.db, viewer.partnerId, (q) =>
    listFleet(q, { afterPartnerId: input.cursor === undefined ? 0 : Number(input.cursor), limit: limit + 1, status: input.status }),
  );
  const byPartner = new Map<number, Fleet['rows'][number]>();
  const cells: { target: TimelineTarget; cell: FleetCell }[] = [];
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
      uptimePercent: null,
    };
    row.cells[r.integrationKey] = cell;
    cells.push({ target: { partnerId: r.partnerId, key: r.integrationKey }, cell });
  }
  const all = [...byPartner.values()];
  const page = all.slice(0, limit);
  const last = page.at(-1);
  await fillUptime(deps, viewer, cells, now);
  await fillMaintenance(deps, viewer, cells);
  return {
    keys: deps.registry.list().map((i) => i.entry.key),
    rows: page,
    nextCursor: all.length > limit && last ? String(last.partnerId) : null,
  };
}

/** Each configured cell's uptime over the last 24 hours, in one statement for the whole page. */
async function fillUptime(deps: AppDeps, viewer: Principal, cells: { target: TimelineTarget; cell: FleetCell }[], now: Date): Promise<void> {
  if (cells.length === 0) return;
  const range = '24h';
  const from = new Date(now.getTime() - healthRangeMs[range]);
  const maxSpanMs = maxPointSpanMs(deps.config.healthCheckIntervalMs);
  const timelines = await readAsPartner(deps.db, viewer.partnerId, (q) => listHealthTimelines(q, { targets: cells.map((c) => c.target), from, until: now, maxSpanMs }));
  for (const { target, cell } of cells) {
    cell.uptimePercent = summariseUptime({ range, from, until: now, timeline: timelines.get(timelineId(target)) }).percent;
  }
}

/** Issue 18 §4: which cells are in a maintenance window now (their own or partner-wide), and until when. */
async function fillMaintenance(deps: AppDeps, viewer: Principal, cells: { target: TimelineTarget; cell: FleetCell }[]): Promise<void> {
  const partnerIds = [...new Set(cells.map((c) => c.target.partnerId))];
  const windows = await readAsPartner(deps.db, viewer.partnerId, (q) => activeWindowEnds(q, partnerIds));
  for (const { target, cell } of cells) {
    const w = windows.find((x) => Number(x.partnerId) === target.partnerId && (x.integrationKey === null || x.integrationKey === target.key));
    cell.maintenanceUntil = w ? w.endsAt.toISOString() : null;
  }
}
