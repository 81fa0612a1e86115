import type { DiscoveryCounts, Organization } from '../../../shared/integrations/discovery.js';
import type { SnapshotItemRow } from '../../db/orgSnapshots.js';

/**
 * A new list of organizations against the previous snapshot (id → name): each present one is
 * new, renamed (same id, other name) or unchanged, and every previous id missing now is gone.
 * Ids are the vendor's, so a rename keeps its mapping; names are compared exactly (a change of
 * case is a rename the partner may want to see). Without a previous snapshot everything is new.
 */
export function diffOrganizations(current: readonly Organization[], previous: ReadonlyMap<string, string>): { items: SnapshotItemRow[]; counts: DiscoveryCounts } {
  const items: SnapshotItemRow[] = [];
  const counts: DiscoveryCounts = { organizations: current.length, new: 0, renamed: 0, gone: 0 };
  const seen = new Set<string>();
  for (const org of current) {
    seen.add(org.id);
    const before = previous.get(org.id);
    const change = before === undefined ? 'new' : before === org.name ? 'unchanged' : 'renamed';
    if (change !== 'unchanged') counts[change] += 1;
    items.push({ id: org.id, name: org.name, url: org.url ?? null, change, previousName: change === 'renamed' ? (before ?? null) : null });
  }
  for (const [id, name] of previous) {
    if (seen.has(id)) continue;
    counts.gone += 1;
    items.push({ id, name, url: null, change: 'gone', previousName: null });
  }
  return { items, counts };
}

/**
 * The organizations of one walk, each id once. Paging by page number can shift while the vendor
 * adds or removes records, so an id may come twice: the later page wins (it was read later).
 */
export function uniqueOrganizations(pages: readonly (readonly Organization[])[]): Organization[] {
  const byId = new Map<string, Organization>();
  for (const page of pages) for (const org of page) byId.set(org.id, org);
  return [...byId.values()];
}
