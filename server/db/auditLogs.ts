import type { AuditAction, AuditEntry } from '../../shared/integrations/catalog.js';
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
