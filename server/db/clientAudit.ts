import type { Queryable } from './pool.js';

/** One audit row of a client or mapping change. */
export interface NewClientAudit {
  clientId: number | null;
  integrationKey: string | null;
  action: 'client_created' | 'client_renamed' | 'client_archived' | 'mapping_created' | 'mapping_deleted';
  userId: number | null;
  actor: string;
  before: unknown;
  after: unknown;
}

/** Writes audit rows in one statement (a batch apply writes one per mapping). */
export async function insertClientAudits(db: Queryable, partnerId: number, entries: readonly NewClientAudit[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO client_audit_logs (partner_id, client_id, integration_key, action, user_id, actor, before, after)
     SELECT $1, e.client_id, e.key, e.action, e.user_id, e.actor, e.before, e.after
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::jsonb[], $8::jsonb[])
            AS e(client_id, key, action, user_id, actor, before, after)`,
    [
      partnerId,
      entries.map((e) => e.clientId),
      entries.map((e) => e.integrationKey),
      entries.map((e) => e.action),
      entries.map((e) => e.userId),
      entries.map((e) => e.actor),
      entries.map((e) => (e.before === null || e.before === undefined ? null : JSON.stringify(e.before))),
      entries.map((e) => (e.after === null || e.after === undefined ? null : JSON.stringify(e.after))),
    ],
  );
}

/** A client audit row as read. */
export interface ClientAuditRow {
  id: number;
  clientId: number | null;
  integrationKey: string | null;
  action: NewClientAudit['action'];
  userId: number | null;
  actor: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: Date;
}

/** A page of a partner's client and mapping audit, newest first, optionally of one client. */
export async function listClientAudits(
  db: Queryable,
  partnerId: number,
  page: { clientId?: number | undefined; before?: number | undefined; limit: number },
): Promise<ClientAuditRow[]> {
  const { rows } = await db.query<ClientAuditRow>(
    `SELECT id, client_id AS "clientId", integration_key AS "integrationKey", action, user_id AS "userId", actor, before, after, created_at AS "createdAt"
       FROM client_audit_logs
      WHERE partner_id = $1 AND ($2::bigint IS NULL OR client_id = $2) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [partnerId, page.clientId ?? null, page.before ?? null, page.limit],
  );
  return rows;
}
