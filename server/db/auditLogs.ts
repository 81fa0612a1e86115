import { auditActorKind, type AuditAction, type AuditEntry } from '../../shared/integrations/catalog.js';
import { oneRow, type Queryable } from './pool.js';

export interface NewAuditLog {
  integrationKey: string;
  action: AuditAction;
  userId: number | null;
  /** Who acted, kept as text so the trail survives the user (e.g. an email, or "system"). */
  actor: string;
  /** Built from an allow-list by the service (server/services/integrations/auditDetails.ts). */
  details: AuditEntry['details'];
}

export interface AuditLogRow {
  id: number;
  integrationKey: string;
  action: AuditAction;
  userId: number | null;
  actor: string;
  details: AuditEntry['details'];
  createdAt: Date;
}

/** A stored row as the API and the sync protocol send it. */
export function toAuditEntry(row: AuditLogRow): AuditEntry {
  return {
    id: row.id,
    integrationKey: row.integrationKey,
    action: row.action,
    actor: row.actor,
    actorKind: auditActorKind(row),
    userId: row.userId,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function insertAuditLog(db: Queryable, partnerId: number, entry: NewAuditLog): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO integration_audit_logs (partner_id, integration_key, action, user_id, actor, details)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [partnerId, entry.integrationKey, entry.action, entry.userId, entry.actor, JSON.stringify(entry.details)],
  );
  return oneRow(result).id;
}

/**
 * One page of an integration's audit, newest first. Keyset on id: `beforeId` is the last id of
 * the previous page, so pages stay stable while new rows arrive and cost the same at any depth.
 */
export async function listAuditLogs(
  db: Queryable,
  partnerId: number,
  key: string,
  page: { action?: AuditAction; beforeId?: number; limit: number },
): Promise<AuditLogRow[]> {
  const params: unknown[] = [partnerId, key];
  let where = 'partner_id = $1 AND integration_key = $2';
  if (page.action) where += ` AND action = $${params.push(page.action)}`;
  if (page.beforeId !== undefined) where += ` AND id < $${params.push(page.beforeId)}`;
  const { rows } = await db.query<AuditLogRow>(
    `SELECT id, integration_key AS "integrationKey", action, user_id AS "userId", actor, details, created_at AS "createdAt"
       FROM integration_audit_logs WHERE ${where} ORDER BY id DESC LIMIT $${params.push(page.limit)}`,
    params,
  );
  return rows;
}

export interface SyncAuditRow extends AuditLogRow {
  syncVersion: number;
}

/**
 * Audit rows after a keyset position, in `(sync_version, 'audit:' || id)` order, keeping only
 * the newest `window` rows of each of `keys` (as of this snapshot). The scan starts at the
 * oldest sync_version inside those windows (index-only per key, see the sync migration), so a
 * first sync does not walk the rows outside every window.
 */
export async function listAuditForSync(
  db: Queryable,
  partnerId: number,
  page: { keys: readonly string[]; window: number; version: number; id: string | null; limit: number },
): Promise<SyncAuditRow[]> {
  const { rows } = await db.query<SyncAuditRow>(
    `WITH win AS (
       SELECT k.key, w.min_id, w.min_version
         FROM unnest($2::text[]) AS k(key)
         CROSS JOIN LATERAL (
           SELECT min(t.id) AS min_id, min(t.sync_version) AS min_version
             FROM (SELECT id, sync_version FROM integration_audit_logs
                    WHERE partner_id = $1 AND integration_key = k.key ORDER BY id DESC LIMIT $3) t
         ) w
        WHERE w.min_id IS NOT NULL
     )
     SELECT a.id, a.integration_key AS "integrationKey", a.action, a.user_id AS "userId", a.actor, a.details,
            a.created_at AS "createdAt", a.sync_version AS "syncVersion"
       FROM integration_audit_logs a
       JOIN win ON win.key = a.integration_key AND a.id >= win.min_id
      WHERE a.partner_id = $1
        AND a.sync_version >= greatest($4::bigint, (SELECT min(min_version) FROM win))
        AND (a.sync_version > $4 OR (a.sync_version = $4 AND ('audit:' || a.id) COLLATE "C" > $5))
      ORDER BY a.sync_version, ('audit:' || a.id) COLLATE "C"
      LIMIT $6`,
    [partnerId, page.keys, page.window, page.version, page.id, page.limit],
  );
  return rows;
}

/**
 * The newest settings-changing rows (configured, reconfigured, deleted) of one integration:
 * what a sync conflict reads to tell the client which fields the server changed.
 */
export async function listSettingsChanges(db: Queryable, partnerId: number, key: string, limit: number): Promise<Pick<AuditLogRow, 'action' | 'details'>[]> {
  const { rows } = await db.query<Pick<AuditLogRow, 'action' | 'details'>>(
    `SELECT action, details FROM integration_audit_logs
      WHERE partner_id = $1 AND integration_key = $2 AND action IN ('configured', 'reconfigured', 'deleted')
      ORDER BY id DESC LIMIT $3`,
    [partnerId, key, limit],
  );
  return rows;
}
