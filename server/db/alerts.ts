import type { AlertKind } from '../../shared/integrations/health.js';
import type { IntegrationStatus } from '../../shared/integrations/catalog.js';
import type { StoredSecret } from '../secrets/cipher.js';
import { oneRow, type Queryable } from './pool.js';

export interface NewAlert {
  integrationKey: string;
  kind: AlertKind;
  fromStatus: IntegrationStatus;
  toStatus: IntegrationStatus;
  health: 'ok' | 'degraded' | 'error';
  message: string | null;
  createdAt: Date;
  /** The maintenance window holding it: recorded, never sent (issue 18 §4). */
  heldBy?: number | undefined;
  /** The maintenance window whose end this alert reports. */
  releasedBy?: number | undefined;
}

export interface AlertRow {
  id: number;
  integrationKey: string;
  kind: AlertKind;
  fromStatus: IntegrationStatus;
  toStatus: IntegrationStatus;
  health: 'ok' | 'degraded' | 'error';
  message: string | null;
  createdAt: Date;
  deliveryState: 'none' | 'pending' | 'delivered' | 'failed';
  deliveryAttempts: number;
  deliveredAt: Date | null;
  heldBy: number | null;
  releasedBy: number | null;
}

const alertColumns = `id, integration_key AS "integrationKey", kind, from_status AS "fromStatus", to_status AS "toStatus",
  health, message, created_at AS "createdAt", delivery_state AS "deliveryState", delivery_attempts AS "deliveryAttempts",
  delivered_at AS "deliveredAt", held_by AS "heldBy", released_by AS "releasedBy"`;

/**
 * Inserts an alert. It is queued for the partner's webhook when one is enabled at this moment
 * (same transaction as the transition, so an alert is never raised without its delivery), unless
 * a maintenance window holds it: then it is never queued.
 */
export async function insertAlert(db: Queryable, partnerId: number, alert: NewAlert): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO integration_alerts (partner_id, integration_key, kind, from_status, to_status, health, message, created_at,
                                     delivery_state, next_delivery_at, held_by, released_by)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8::timestamptz, CASE WHEN w.enabled THEN 'pending' ELSE 'none' END, CASE WHEN w.enabled THEN $8::timestamptz END, $9, $10
       FROM (SELECT bool_or(enabled) AND $9::bigint IS NULL AS enabled FROM partner_webhooks WHERE partner_id = $1) w
     RETURNING id`,
    [partnerId, alert.integrationKey, alert.kind, alert.fromStatus, alert.toStatus, alert.health, alert.message, alert.createdAt, alert.heldBy ?? null, alert.releasedBy ?? null],
  );
  return oneRow(result).id;
}

/** One page of a partner's alerts, newest first, keyset on id (`beforeId` = last id of the previous page). */
export async function listAlerts(db: Queryable, partnerId: number, page: { key?: string; beforeId?: number; limit: number }): Promise<AlertRow[]> {
  const params: unknown[] = [partnerId];
  let where = 'partner_id = $1';
  if (page.key !== undefined) where += ` AND integration_key = $${params.push(page.key)}`;
  if (page.beforeId !== undefined) where += ` AND id < $${params.push(page.beforeId)}`;
  const { rows } = await db.query<AlertRow>(
    `SELECT ${alertColumns} FROM integration_alerts WHERE ${where} ORDER BY id DESC LIMIT $${params.push(page.limit)}`,
    params,
  );
  return rows;
}

/** A pending delivery claimed by the deliverer, with where it goes. */
export interface ClaimedDelivery extends AlertRow {
  partnerId: number;
  url: string;
  secret: StoredSecret;
}

/**
 * Claims pending webhook deliveries that are due, across partners (withSystem), pushing their
 * next attempt past a lease so a crashed deliverer's work comes back by itself. An alert whose
 * partner has since removed or disabled its webhook is not claimed.
 */
export async function claimDueDeliveries(db: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<ClaimedDelivery>(
    `WITH due AS (
       SELECT partner_id, id FROM integration_alerts
        WHERE delivery_state = 'pending' AND next_delivery_at <= now()
        ORDER BY next_delivery_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE integration_alerts a
        SET next_delivery_at = now() + make_interval(secs => $2::double precision / 1000), delivery_attempts = a.delivery_attempts + 1
       FROM due, partner_webhooks w
      WHERE a.partner_id = due.partner_id AND a.id = due.id AND w.partner_id = a.partner_id AND w.enabled
      RETURNING a.partner_id AS "partnerId", a.id, a.integration_key AS "integrationKey", a.kind, a.from_status AS "fromStatus",
                a.to_status AS "toStatus", a.health, a.message, a.created_at AS "createdAt", a.delivery_state AS "deliveryState",
                a.delivery_attempts AS "deliveryAttempts", a.delivered_at AS "deliveredAt", a.held_by AS "heldBy",
                a.released_by AS "releasedBy", w.url, w.secret`,
    [limit, leaseMs],
  );
  return rows;
}

/** Records an attempt's outcome: delivered, retry at `retryAt`, or failed for good (retryAt null). */
export async function finishDelivery(
  db: Queryable,
  partnerId: number,
  id: number,
  outcome: { delivered: true } | { delivered: false; error: string; retryAt: Date | null },
): Promise<void> {
  if (outcome.delivered) {
    await db.query(
      `UPDATE integration_alerts SET delivery_state = 'delivered', delivered_at = now(), next_delivery_at = NULL, last_delivery_error = NULL
        WHERE partner_id = $1 AND id = $2`,
      [partnerId, id],
    );
    return;
  }
  await db.query(
    `UPDATE integration_alerts SET delivery_state = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
            next_delivery_at = $3, last_delivery_error = $4
      WHERE partner_id = $1 AND id = $2`,
    [partnerId, id, outcome.retryAt, outcome.error.slice(0, 300)],
  );
}

/** Pending deliveries whose webhook is gone or disabled will never be sent: close them. */
export async function dropOrphanDeliveries(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE integration_alerts a SET delivery_state = 'none', next_delivery_at = NULL
      WHERE a.delivery_state = 'pending' AND a.next_delivery_at <= now()
        AND NOT EXISTS (SELECT 1 FROM partner_webhooks w WHERE w.partner_id = a.partner_id AND w.enabled)`,
  );
  return rowCount ?? 0;
}
