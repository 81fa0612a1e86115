import type { Queryable } from './pool.js';

export interface NewWebhookDelivery {
  kind: 'test' | 'alert';
  alertId: number | null;
  event: string;
  attempt: number;
  delivered: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

export interface WebhookDeliveryRow extends NewWebhookDelivery {
  id: number;
}

/** Records one delivery attempt of this partner's webhook. */
export async function insertWebhookDelivery(db: Queryable, partnerId: number, d: NewWebhookDelivery): Promise<void> {
  await db.query(
    `INSERT INTO webhook_deliveries (partner_id, attempted_at, kind, alert_id, event, attempt, delivered, http_status, error, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [partnerId, d.attemptedAt, d.kind, d.alertId, d.event, d.attempt, d.delivered, d.httpStatus, d.error?.slice(0, 300) ?? null, Math.max(0, Math.round(d.durationMs))],
  );
}

/** One page of this partner's delivery attempts, newest first, keyset on id. */
export async function listWebhookDeliveries(db: Queryable, partnerId: number, page: { beforeId?: number; limit: number }): Promise<WebhookDeliveryRow[]> {
  const params: unknown[] = [partnerId];
  let where = 'partner_id = $1';
  if (page.beforeId !== undefined) where += ` AND id < $${params.push(page.beforeId)}`;
  const { rows } = await db.query<WebhookDeliveryRow>(
    `SELECT id, attempted_at AS "attemptedAt", kind, alert_id AS "alertId", event, attempt, delivered,
            http_status AS "httpStatus", error, duration_ms AS "durationMs"
       FROM webhook_deliveries WHERE ${where} ORDER BY id DESC LIMIT $${params.push(page.limit)}`,
    params,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), alertId: r.alertId === null ? null : Number(r.alertId) }));
}

/** Deletes up to `limit` attempts older than `before`, across partners (retention, withSystem). */
export async function pruneWebhookDeliveries(db: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM webhook_deliveries d
      USING (SELECT partner_id, id FROM webhook_deliveries WHERE attempted_at < $1 LIMIT $2) old
      WHERE d.partner_id = old.partner_id AND d.id = old.id`,
    [before, limit],
  );
  return rowCount ?? 0;
}
