import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SettingsInput, SettingsView } from '../../../shared/integrations/fields.js';
import type { DraftValues } from '../../../shared/localApi.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import type { CacheDb } from '../db/types.js';
import { typedSecretFields, type DraftRow } from './draftRows.js';
import { threeWayMerge } from './merge.js';

/**
 * Drafts that have not been sent yet (nothing of them is in the outbox) and still hold the
 * admin's work. A queued one is the server's to judge: it answers `conflict` on push.
 */
const unsentStates = ['draft', 'reviewed', 'rejected'] as const;

/**
 * Runs inside the pull page's transaction, after the page's changes are in the mirror: every
 * unsent draft whose base version is no longer the server's version of its integration is
 * either rebased (the server changed only fields the draft leaves alone: their values are taken
 * and the draft now builds on the new version) or marked `conflict` (both sides changed a field
 * differently, or the configuration appeared, vanished or is being deleted), so the conflict is
 * counted and shown as soon as the newer version is known, not only when Apply is pressed.
 * A draft already in conflict gets the newest server value, so its resolution rebases on it.
 * Returns how many drafts changed.
 */
export function reconcileStaleDrafts(db: CacheDb, now: Date): number {
  const placeholders = unsentStates.map(() => '?').join(', ');
  const rows = db.prepare(`SELECT * FROM drafts WHERE state IN (${placeholders}, 'conflict')`).all(...unsentStates) as DraftRow[];
  let changed = 0;
  for (const row of rows) {
    const server = getIntegration(db, row.integration_key);
    if (!server) continue;
    if (row.state === 'conflict') {
      changed += refreshConflict(db, row, server, now);
      continue;
    }
    if (server.state.version === row.base_version) continue;
    changed += 1;
    const merge = mergeable(db, row, server);
    if (merge) rebaseOnServer(db, row, server, merge.values, now);
    else markConflict(db, row, server, now);
  }
  return changed;
}

/** The draft's values rebased on `server`, or null when a person has to choose. */
function mergeable(db: CacheDb, row: DraftRow, server: IntegrationDetail): { values: SettingsInput } | null {
  // Creating what now exists, changing what is gone, deleting what changed: nothing to merge.
  if (row.kind !== 'reconfigure' || row.base_version === null || server.state.version === null) return null;
  // A rollback restores a whole version: over someone else's change a person decides again.
  if (row.restore_from !== null) return null;
  const base = parse<SettingsView | null>(row.base_json, null);
  const draftValues = parse<DraftValues>(row.values_json, {});
  const merge = threeWayMerge({ fields: server.fields, base, server: server.settings, draftValues, typedSecrets: new Set(typedSecretFields(db, row.id)) });
  if (merge.overlapping.length > 0) return null;
  const values: SettingsInput = { ...draftValues };
  for (const key of merge.fromServer) {
    // A secret the server changed is kept by sending none, which the draft already does.
    const value = server.settings?.[key];
    if (typeof value === 'string' || typeof value === 'boolean') values[key] = value;
    else if (value === undefined) delete values[key];
  }
  return { values };
}

function rebaseOnServer(db: CacheDb, row: DraftRow, server: IntegrationDetail, values: SettingsInput, now: Date): void {
  // A review covered the old values; the merged ones are reviewed again on Apply.
  const state = row.state === 'reviewed' ? 'draft' : row.state;
  db.prepare('UPDATE drafts SET base_version = ?, base_json = ?, values_json = ?, state = ?, updated_at = ? WHERE id = ?').run(
    server.state.version,
    JSON.stringify(server.settings),
    JSON.stringify(values),
    state,
    now.toISOString(),
    row.id,
  );
}

function markConflict(db: CacheDb, row: DraftRow, server: IntegrationDetail, now: Date): void {
  // No server-reported field list: the merge compares base and server itself.
  db.prepare("UPDATE drafts SET state = 'conflict', server_json = ?, conflict_fields_json = '[]', updated_at = ? WHERE id = ?").run(JSON.stringify(server), now.toISOString(), row.id);
}

function refreshConflict(db: CacheDb, row: DraftRow, server: IntegrationDetail, now: Date): number {
  const known = parse<IntegrationDetail | null>(row.server_json, null);
  if (known && known.state.version === server.state.version && known.state.updatedAt === server.state.updatedAt) return 0;
  markConflict(db, row, server, now);
  return 1;
}

function parse<T>(json: string | null, fallback: T): T {
  return json === null ? fallback : (JSON.parse(json) as T);
}
