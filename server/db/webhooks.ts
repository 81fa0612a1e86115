import type { StoredSecret } from '../secrets/cipher.js';
import { oneRow, type Queryable } from './pool.js';

export interface WebhookRow {
  url: string;
  secret: StoredSecret;
  enabled: boolean;
  version: number;
  updatedAt: Date;
}

const columns = 'url, secret, enabled, version, updated_at AS "updatedAt"';

export async function findWebhook(db: Queryable, partnerId: number, options: { lock?: boolean } = {}): Promise<WebhookRow | undefined> {
  const { rows } = await db.query<WebhookRow>(
    `SELECT ${columns} FROM partner_webhooks WHERE partner_id = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [partnerId],
  );
  return rows[0];
}

/** Creates or replaces the partner's webhook (one per partner). */
export async function upsertWebhook(
  db: Queryable,
  partnerId: number,
  values: { url: string; secret: StoredSecret; enabled: boolean; userId: number | null },
): Promise<WebhookRow> {
  const result = await db.query<WebhookRow>(
    `INSERT INTO partner_webhooks (partner_id, url, secret, enabled, updated_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (partner_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, enabled = EXCLUDED.enabled,
       updated_by = EXCLUDED.updated_by, version = partner_webhooks.version + 1, updated_at = now()
     RETURNING ${columns}`,
    [partnerId, values.url, JSON.stringify(values.secret), values.enabled, values.userId],
  );
  return oneRow(result);
}

export async function deleteWebhook(db: Queryable, partnerId: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM partner_webhooks WHERE partner_id = $1', [partnerId]);
  return (rowCount ?? 0) > 0;
}
