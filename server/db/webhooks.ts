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

// Key rotation and the boot key check (deployment-wide, through withSystem): webhook secrets are
// encrypted under the same ring as integration secrets.

/** Locks up to `limit` webhooks whose secret is not under `currentKid` (skipping ones locked by others). */
export async function lockWebhooksWithStaleSecret(db: Queryable, currentKid: string, limit: number): Promise<{ partnerId: number; secret: StoredSecret }[]> {
  const { rows } = await db.query<{ partnerId: number; secret: StoredSecret }>(
    `SELECT partner_id AS "partnerId", secret FROM partner_webhooks WHERE secret->>'kid' <> $1
      ORDER BY partner_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [currentKid, limit],
  );
  return rows;
}

/** Writes a re-encrypted secret; the webhook's version is left alone (same value). */
export async function replaceWebhookSecret(db: Queryable, partnerId: number, secret: StoredSecret): Promise<void> {
  await db.query('UPDATE partner_webhooks SET secret = $2 WHERE partner_id = $1', [partnerId, JSON.stringify(secret)]);
}

export async function countStaleWebhookSecrets(db: Queryable, currentKid: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM partner_webhooks WHERE secret->>'kid' <> $1", [currentKid]);
  return rows[0]?.n ?? 0;
}

/** One webhook secret per key id in use, with how many secrets that id encrypts. */
export async function sampleWebhookSecretPerKeyId(db: Queryable): Promise<{ kid: string; secrets: number; partnerId: number; secret: StoredSecret }[]> {
  const { rows } = await db.query<{ kid: string; secrets: number; partnerId: number; secret: StoredSecret }>(
    `SELECT DISTINCT ON (secret->>'kid') secret->>'kid' AS kid, count(*) OVER (PARTITION BY secret->>'kid')::int AS secrets,
            partner_id AS "partnerId", secret
       FROM partner_webhooks WHERE secret ? 'kid' ORDER BY secret->>'kid', partner_id`, // format 2 (a data key) has no kid
  );
  return rows;
}
