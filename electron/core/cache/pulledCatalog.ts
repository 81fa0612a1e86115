import { auditActorKind, notConfiguredState, type AuditEntry, type IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SettingsView } from '../../../shared/integrations/fields.js';
import type { SyncChange } from '../../../shared/sync.js';
import type { CacheDb } from '../db/types.js';

/**
 * The catalog and audit trail as last pulled (the `mirror_*` tables): a copy of what the server
 * said, written only by pull (through `applyChange`) and safe to wipe. Nothing here is user data.
 */

/** Applies one pulled change. Runs inside the caller's page transaction. */
export function applyChange(db: CacheDb, change: SyncChange): void {
  switch (change.kind) {
    case 'integration': {
      const detail = withoutSecretValues(change.detail);
      db.prepare(
        `INSERT INTO mirror_integrations (key, name, detail_json, sync_version) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, detail_json = excluded.detail_json, sync_version = excluded.sync_version`,
      ).run(detail.key, detail.name, JSON.stringify(detail), change.version);
      return;
    }
    case 'integration_deleted': {
      const current = getIntegration(db, change.key);
      // A tombstone for an entry we never had needs nothing: the catalog baseline brings it.
      if (!current) return;
      const reset: IntegrationDetail = { ...current, state: { ...notConfiguredState }, settings: null };
      db.prepare('UPDATE mirror_integrations SET detail_json = ?, sync_version = ? WHERE key = ?').run(JSON.stringify(reset), change.version, change.key);
      return;
    }
    case 'audit':
      db.prepare(
        `INSERT INTO mirror_audit (id, integration_key, entry_json, sync_version) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET entry_json = excluded.entry_json, sync_version = excluded.sync_version`,
      ).run(change.entry.id, change.entry.integrationKey, JSON.stringify(change.entry), change.version);
      return;
  }
}

/** Keeps the newest `window` audit rows per integration; older ones are fetched on demand. */
export function trimAuditWindow(db: CacheDb, window: number): number {
  return db
    .prepare(
      `DELETE FROM mirror_audit WHERE id IN (
         SELECT id FROM (
           SELECT id, row_number() OVER (PARTITION BY integration_key ORDER BY id DESC) AS rn FROM mirror_audit
         ) WHERE rn > ?
       )`,
    )
    .run(window).changes;
}

/** Drops every mirror (a reset). Drafts, draft secrets and the outbox are not mirrors. */
export function wipeMirrors(db: CacheDb): void {
  db.exec('DELETE FROM mirror_integrations; DELETE FROM mirror_audit;');
}

export function listIntegrations(db: CacheDb): IntegrationDetail[] {
  const rows = db.prepare('SELECT detail_json FROM mirror_integrations ORDER BY name COLLATE NOCASE, key').all() as { detail_json: string }[];
  return rows.map((r) => JSON.parse(r.detail_json) as IntegrationDetail);
}

export function getIntegration(db: CacheDb, key: string): IntegrationDetail | null {
  const row = db.prepare('SELECT detail_json FROM mirror_integrations WHERE key = ?').get(key) as { detail_json: string } | undefined;
  return row ? (JSON.parse(row.detail_json) as IntegrationDetail) : null;
}

/** Newest first, keyset on id. */
export function auditFromCache(db: CacheDb, key: string, before: number | undefined, limit: number): AuditEntry[] {
  const rows = db
    .prepare('SELECT entry_json FROM mirror_audit WHERE integration_key = ? AND id < ? ORDER BY id DESC LIMIT ?')
    .all(key, before ?? Number.MAX_SAFE_INTEGER, limit) as { entry_json: string }[];
  // Rows mirrored before entries carried their actor's kind get it by the same rule the server uses.
  return rows.map((r) => {
    const entry = JSON.parse(r.entry_json) as Omit<AuditEntry, 'actorKind'> & Partial<Pick<AuditEntry, 'actorKind'>>;
    return { ...entry, actorKind: entry.actorKind ?? auditActorKind(entry) };
  });
}

/**
 * Defence in depth: the server sends secrets only as `{isSet, last4}`, but should a value ever
 * arrive as a string for a Secret field, it is reduced to "set" before it can reach the file.
 * Keys that are not fields of the entry are dropped for the same reason.
 */
export function withoutSecretValues(detail: IntegrationDetail): IntegrationDetail {
  if (!detail.settings) return detail;
  const settings: SettingsView = {};
  for (const spec of detail.fields) {
    const value = detail.settings[spec.key];
    if (value === undefined) continue;
    if (spec.kind === 'Secret') {
      settings[spec.key] = typeof value === 'object' ? value : { isSet: value !== '' && value !== false, last4: null };
    } else {
      settings[spec.key] = value;
    }
  }
  return { ...detail, settings };
}
