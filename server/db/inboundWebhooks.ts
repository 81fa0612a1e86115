import type { InboundDeliveryStatus } from '../../shared/integrations/inboundWebhooks.js';
import type { StoredSecret } from '../secrets/cipher.js';
import { oneRow, type Queryable } from './pool.js';

// Issue 18 §5: inbound webhook endpoints and their deliveries. Partner-scoped (withPartner /
// readAsPartner) except `findEndpointById`, the one lookup made before a partner is known.

export interface EndpointRow {
  partnerId: number;
  integrationKey: string;
  endpointId: string;
  secret: StoredSecret;
  createdAt: Date;
  rotatedAt: Date | null;
}

const endpointColumns = `partner_id AS "partnerId", integration_key AS "integrationKey", endpoint_id AS "endpointId", secret,
  created_at AS "createdAt", rotated_at AS "rotatedAt"`;

export async function findEndpoint(db: Queryable, partnerId: number, key: string): Promise<(EndpointRow & { lastDeliveryAt: Date | null }) | undefined> {
  const { rows } = await db.query<EndpointRow & { lastDeliveryAt: Date | null }>(
    `SELECT ${endpointColumns},
            (SELECT max(d.received_at) FROM inbound_deliveries d WHERE d.partner_id = e.partner_id AND d.integration_key = e.integration_key) AS "lastDeliveryAt"
       FROM inbound_endpoints e WHERE partner_id = $1 AND integration_key = $2`,
    [partnerId, key],
  );
  return rows[0];
}

/**
 * Which partner and integration an incoming URL names. Runs as the connecting role (the pool):
 * the request carries no token, so there is no partner to scope by until this answers.
 */
export async function findEndpointById(db: Queryable, endpointId: string): Promise<EndpointRow | undefined> {
  const { rows } = await db.query<EndpointRow>(`SELECT ${endpointColumns} FROM inbound_endpoints WHERE endpoint_id = $1`, [endpointId]);
  return rows[0];
}

/** Creates the endpoint, or replaces its secret (the URL stays) when it exists. */
export async function upsertEndpoint(
  db: Queryable,
  partnerId: number,
  values: { key: string; endpointId: string; secret: StoredSecret; userId: number | null },
): Promise<EndpointRow & { created: boolean }> {
  const result = await db.query<EndpointRow & { created: boolean }>(
    `INSERT INTO inbound_endpoints AS e (partner_id, integration_key, endpoint_id, secret, created_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (partner_id, integration_key) DO UPDATE SET secret = EXCLUDED.secret, rotated_at = now()
     RETURNING ${endpointColumns}, (xmax = 0) AS created`,
    [partnerId, values.key, values.endpointId, JSON.stringify(values.secret), values.userId],
  );
  return oneRow(result);
}

export async function deleteEndpoint(db: Queryable, partnerId: number, key: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM inbound_endpoints WHERE partner_id = $1 AND integration_key = $2', [partnerId, key]);
  return (rowCount ?? 0) > 0;
}

// Deliveries.

export interface DeliveryRow {
  id: number;
  integrationKey: string;
  deliveryId: string;
  status: InboundDeliveryStatus;
  attempts: number;
  lastError: string | null;
  bytes: number;
  receivedAt: Date;
  processedAt: Date | null;
  replayedAt: Date | null;
}

const deliveryColumns = `id, integration_key AS "integrationKey", delivery_id AS "deliveryId", status, attempts,
  last_error AS "lastError", octet_length(body) AS bytes, received_at AS "receivedAt", processed_at AS "processedAt", replayed_at AS "replayedAt"`;

/**
 * Stores an accepted delivery. A second one with the same delivery id or signature for this
 * endpoint stores nothing and answers undefined (the caller's 409).
 */
export async function insertDelivery(
  db: Queryable,
  partnerId: number,
  values: { key: string; deliveryId: string; signature: string; signedAt: Date; body: string },
): Promise<number | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO inbound_deliveries (partner_id, integration_key, delivery_id, signature, signed_at, body) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING RETURNING id`,
    [partnerId, values.key, values.deliveryId, values.signature, values.signedAt, values.body],
  );
  return rows[0] ? Number(rows[0].id) : undefined;
}

export async function deleteDelivery(db: Queryable, partnerId: number, id: number): Promise<void> {
  await db.query('DELETE FROM inbound_deliveries WHERE partner_id = $1 AND id = $2', [partnerId, id]);
}

/** One page, newest first; one more than `limit` is read to know whether another page follows. */
export async function listDeliveries(
  db: Queryable,
  partnerId: number,
  key: string,
  filter: { status?: InboundDeliveryStatus; cursor?: { at: Date; id: number }; limit: number },
): Promise<DeliveryRow[]> {
  const values: unknown[] = [partnerId, key];
  const where = ['partner_id = $1', 'integration_key = $2'];
  if (filter.status) {
    values.push(filter.status);
    where.push(`status = $${values.length}`);
  }
  if (filter.cursor) {
    values.push(filter.cursor.at, filter.cursor.id);
    where.push(`(received_at, id) < ($${values.length - 1}, $${values.length})`);
  }
  values.push(filter.limit + 1);
  const { rows } = await db.query<DeliveryRow>(
    `SELECT ${deliveryColumns} FROM inbound_deliveries WHERE ${where.join(' AND ')} ORDER BY received_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** What a processing attempt needs: the body and where it stands. */
export interface DeliveryWork {
  integrationKey: string;
  deliveryId: string;
  status: InboundDeliveryStatus;
  attempts: number;
  body: string;
  receivedAt: Date;
}

/**
 * Counts one more attempt of a delivery still waiting to be processed, and answers it with its
 * body; undefined when it is processed, dead or gone (a late retry or a duplicate job does nothing).
 */
export async function beginAttempt(db: Queryable, partnerId: number, id: number): Promise<DeliveryWork | undefined> {
  const { rows } = await db.query<DeliveryWork>(
    `UPDATE inbound_deliveries SET attempts = attempts + 1 WHERE partner_id = $1 AND id = $2 AND status = 'received'
     RETURNING integration_key AS "integrationKey", delivery_id AS "deliveryId", status, attempts, body, received_at AS "receivedAt"`,
    [partnerId, id],
  );
  return rows[0];
}

/** The attempt's outcome: processed, dead (the last one failed) or still received (a retry follows). */
export async function finishAttempt(db: Queryable, partnerId: number, id: number, outcome: { status: InboundDeliveryStatus; error: string | null }): Promise<void> {
  await db.query(
    `UPDATE inbound_deliveries SET status = $3, last_error = $4, processed_at = CASE WHEN $3 = 'processed' THEN now() ELSE processed_at END
      WHERE partner_id = $1 AND id = $2 AND status = 'received'`,
    [partnerId, id, outcome.status, outcome.error?.slice(0, 500) ?? null],
  );
}

/** Puts a dead delivery back to received for a fresh round of attempts; undefined unless it was dead. */
export async function reviveDelivery(db: Queryable, partnerId: number, key: string, id: number, userId: number | null): Promise<string | undefined> {
  const { rows } = await db.query<{ deliveryId: string }>(
    `UPDATE inbound_deliveries SET status = 'received', attempts = 0, replayed_by = $4, replayed_at = now()
      WHERE partner_id = $1 AND integration_key = $2 AND id = $3 AND status = 'dead' RETURNING delivery_id AS "deliveryId"`,
    [partnerId, key, id, userId],
  );
  return rows[0]?.deliveryId;
}

export async function findDeliveryStatus(db: Queryable, partnerId: number, key: string, id: number): Promise<InboundDeliveryStatus | undefined> {
  const { rows } = await db.query<{ status: InboundDeliveryStatus }>(
    'SELECT status FROM inbound_deliveries WHERE partner_id = $1 AND integration_key = $2 AND id = $3',
    [partnerId, key, id],
  );
  return rows[0]?.status;
}

// Key rotation (`rotate-key`): deployment-wide, through withSystem.

export async function lockEndpointsWithStaleSecret(db: Queryable, currentKid: string, limit: number): Promise<{ partnerId: number; integrationKey: string; secret: StoredSecret }[]> {
  const { rows } = await db.query<{ partnerId: number; integrationKey: string; secret: StoredSecret }>(
    `SELECT partner_id AS "partnerId", integration_key AS "integrationKey", secret FROM inbound_endpoints WHERE secret->>'kid' <> $1
      ORDER BY partner_id, integration_key LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [currentKid, limit],
  );
  return rows;
}

/** Writes a re-encrypted secret (same value: rotated_at is left alone). */
export async function replaceEndpointSecret(db: Queryable, partnerId: number, key: string, secret: StoredSecret): Promise<void> {
  await db.query('UPDATE inbound_endpoints SET secret = $3 WHERE partner_id = $1 AND integration_key = $2', [partnerId, key, JSON.stringify(secret)]);
}

export async function countStaleEndpointSecrets(db: Queryable, currentKid: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM inbound_endpoints WHERE secret->>'kid' <> $1", [currentKid]);
  return rows[0]?.n ?? 0;
}

/** One inbound secret per key id in use, with how many that id encrypts (the boot key check). */
export async function sampleEndpointSecretPerKeyId(db: Queryable): Promise<{ kid: string; secrets: number; partnerId: number; integrationKey: string; secret: StoredSecret }[]> {
  const { rows } = await db.query<{ kid: string; secrets: number; partnerId: number; integrationKey: string; secret: StoredSecret }>(
    // Ring-key secrets only: one under a partner's data key has no kid (the data keys are checked apart).
    `SELECT DISTINCT ON (secret->>'kid') secret->>'kid' AS kid, count(*) OVER (PARTITION BY secret->>'kid')::int AS secrets,
            partner_id AS "partnerId", integration_key AS "integrationKey", secret
       FROM inbound_endpoints WHERE secret ? 'kid' ORDER BY secret->>'kid', partner_id, integration_key`,
  );
  return rows;
}
