import type { DiscoveryCounts, OrganizationChange } from '../../shared/integrations/discovery.js';
import type { Queryable } from './pool.js';

/** The header of a partner's latest organization snapshot of one integration. */
export interface SnapshotHeaderRow {
  runId: number;
  takenAt: Date;
  previousTakenAt: Date | null;
  counts: DiscoveryCounts;
}

/** One organization of a snapshot as stored. */
export interface SnapshotItemRow {
  id: string;
  name: string;
  url: string | null;
  change: OrganizationChange;
  previousName: string | null;
}

export async function findSnapshotHeader(q: Queryable, partnerId: number, key: string, options: { lock?: boolean } = {}): Promise<SnapshotHeaderRow | undefined> {
  const { rows } = await q.query<SnapshotHeaderRow>(
    `SELECT run_id AS "runId", taken_at AS "takenAt", previous_taken_at AS "previousTakenAt",
            json_build_object('organizations', organizations, 'new', new_count, 'renamed', renamed_count, 'gone', gone_count) AS counts
       FROM organization_snapshots WHERE partner_id = $1 AND integration_key = $2${options.lock ? ' FOR UPDATE' : ''}`,
    [partnerId, key],
  );
  return rows[0];
}

/** The organizations present in the latest snapshot (not the `gone` ones), id → name. */
export async function readPresentNames(q: Queryable, partnerId: number, key: string): Promise<Map<string, string>> {
  const { rows } = await q.query<{ id: string; name: string }>(
    `SELECT external_id AS id, name FROM organization_snapshot_items
      WHERE partner_id = $1 AND integration_key = $2 AND change <> 'gone'`,
    [partnerId, key],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The organizations present in the latest snapshot with their websites, for suggestions. */
export async function listPresentOrganizations(q: Queryable, partnerId: number, key: string): Promise<{ id: string; name: string; url: string | undefined }[]> {
  const { rows } = await q.query<{ id: string; name: string; url: string | null }>(
    `SELECT external_id AS id, name, url FROM organization_snapshot_items
      WHERE partner_id = $1 AND integration_key = $2 AND change <> 'gone'`,
    [partnerId, key],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, url: r.url ?? undefined }));
}

/**
 * Replaces the snapshot of one integration: header upserted, items deleted and inserted (one
 * statement each, arrays bound as parameters). Run it in the transaction that also ends the run,
 * so readers see the old snapshot or the new one, never a mix.
 */
export async function replaceSnapshot(
  tx: Queryable,
  partnerId: number,
  snapshot: { key: string; runId: number; takenAt: Date; previousTakenAt: Date | null; counts: DiscoveryCounts; items: readonly SnapshotItemRow[] },
): Promise<void> {
  const { key, counts, items } = snapshot;
  await tx.query(
    `INSERT INTO organization_snapshots
       (partner_id, integration_key, run_id, taken_at, previous_taken_at, organizations, new_count, renamed_count, gone_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (partner_id, integration_key) DO UPDATE SET
       run_id = EXCLUDED.run_id, taken_at = EXCLUDED.taken_at, previous_taken_at = EXCLUDED.previous_taken_at,
       organizations = EXCLUDED.organizations, new_count = EXCLUDED.new_count,
       renamed_count = EXCLUDED.renamed_count, gone_count = EXCLUDED.gone_count`,
    [partnerId, key, snapshot.runId, snapshot.takenAt, snapshot.previousTakenAt, counts.organizations, counts.new, counts.renamed, counts.gone],
  );
  await tx.query('DELETE FROM organization_snapshot_items WHERE partner_id = $1 AND integration_key = $2', [partnerId, key]);
  if (items.length === 0) return;
  await tx.query(
    `INSERT INTO organization_snapshot_items (partner_id, integration_key, external_id, name, url, change, previous_name)
     SELECT $1, $2, i.id, i.name, i.url, i.change, i.previous_name
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS i(id, name, url, change, previous_name)`,
    [partnerId, key, items.map((i) => i.id), items.map((i) => i.name), items.map((i) => i.url), items.map((i) => i.change), items.map((i) => i.previousName)],
  );
}

/** Where a page starts: after this (name, id) in `name, id` order (byte order, as the index). */
export interface ItemPosition {
  name: string;
  id: string;
}

/** One page of a snapshot's organizations in name order: present ones, or those with `change`. */
export async function listSnapshotItems(
  q: Queryable,
  partnerId: number,
  key: string,
  page: { change?: OrganizationChange; text?: string; after?: ItemPosition; limit: number },
): Promise<SnapshotItemRow[]> {
  const params: unknown[] = [partnerId, key];
  let where = 'partner_id = $1 AND integration_key = $2';
  where += page.change ? ` AND change = $${params.push(page.change)}` : ` AND change <> 'gone'`;
  if (page.text) where += ` AND strpos(lower(name), $${params.push(page.text.toLowerCase())}) > 0`;
  if (page.after) {
    where += ` AND (name COLLATE "C", external_id COLLATE "C") > ($${params.push(page.after.name)}::text COLLATE "C", $${params.push(page.after.id)}::text COLLATE "C")`;
  }
  const { rows } = await q.query<SnapshotItemRow>(
    `SELECT external_id AS id, name, url, change, previous_name AS "previousName"
       FROM organization_snapshot_items WHERE ${where}
      ORDER BY name COLLATE "C", external_id COLLATE "C" LIMIT $${params.push(page.limit)}`,
    params,
  );
  return rows;
}
