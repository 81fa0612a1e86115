import { AppError } from '../../../shared/errors.js';
import type { DiscoveryRunOutput, SnapshotPage, SnapshotQuery } from '../../../shared/integrations/discovery.js';
import { findRun } from '../../db/discoveryRuns.js';
import { findSnapshotHeader, listSnapshotItems, type ItemPosition } from '../../db/orgSnapshots.js';
import { withPartnerSnapshot } from '../../db/pool.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import type { ReadScope } from '../integrations/catalog.js';
import { requireIntegration } from '../integrations/lookup.js';
import { runView } from './views.js';

/** A run of one integration (the newest without `runId`); 404 for a run id it does not have. */
export async function getDiscoveryRun(deps: AppDeps, scope: ReadScope, input: { key: string; runId?: number }): Promise<DiscoveryRunOutput> {
  requireIntegration(deps.registry, input.key);
  const row = await readAsPartner(deps.db, scope.viewerPartnerId, (q) => findRun(q, scope.partnerId, input.key, input.runId));
  if (!row && input.runId !== undefined) throw new AppError('NOT_FOUND', 'There is no discovery run with this id for this integration');
  return { run: row ? runView(row) : null };
}

export const defaultSnapshotPage = 100;

const encodeCursor = (at: ItemPosition) => Buffer.from(JSON.stringify([at.name, at.id])).toString('base64url');

function decodeCursor(cursor: string): ItemPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { name: value[0], id: value[1] };
  } catch {
    // answered below
  }
  throw new AppError('VALIDATION_FAILED', 'Some input is not valid', { fields: { cursor: ['Not a cursor from a previous page'] } });
}

/**
 * One page of the latest snapshot in name order, with when it was taken and what changed
 * since the previous one. Header and page come from one read-only snapshot of the database, so a
 * discovery finishing meanwhile cannot pair one run's header with another's organizations.
 */
export async function getSnapshotPage(deps: AppDeps, scope: ReadScope, input: SnapshotQuery): Promise<SnapshotPage> {
  requireIntegration(deps.registry, input.key);
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  const limit = input.limit ?? defaultSnapshotPage;
  return withPartnerSnapshot(deps.db, scope.viewerPartnerId, async (tx) => {
    const header = await findSnapshotHeader(tx, scope.partnerId, input.key);
    if (!header) return { snapshot: null, items: [], nextCursor: null };
    const rows = await listSnapshotItems(tx, scope.partnerId, input.key, { change: input.change, text: input.q || undefined, after, limit: limit + 1 });
    const items = rows.slice(0, limit).map((r) => ({ id: r.id, name: r.name, ...(r.url ? { url: r.url } : {}), change: r.change, previousName: r.previousName }));
    const last = rows.length > limit ? items[items.length - 1] : undefined;
    return {
      snapshot: { runId: header.runId, takenAt: header.takenAt.toISOString(), previousTakenAt: header.previousTakenAt?.toISOString() ?? null, counts: header.counts },
      items,
      nextCursor: last ? encodeCursor({ name: last.name, id: last.id }) : null,
    };
  });
}
