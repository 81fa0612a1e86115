import type { IntegrationStatus } from '../../shared/integrations/catalog.js';
import type { Queryable } from './pool.js';

export interface NewHealthPoint {
  integrationKey: string;
  checkedAt: Date;
  health: 'ok' | 'degraded' | 'error';
  status: Extract<IntegrationStatus, 'Active' | 'Error'>;
  message: string | null;
  source: 'scheduled' | 'tested';
  /** How long the check's vendor calls took (undefined: not measured). */
  durationMs?: number | undefined;
}

export interface HealthPointRow {
  checkedAt: Date;
  health: 'ok' | 'degraded' | 'error';
  status: 'Active' | 'Error';
  message: string | null;
  source: 'scheduled' | 'tested';
}

export async function insertHealthPoint(db: Queryable, partnerId: number, point: NewHealthPoint): Promise<void> {
  await db.query(
    `INSERT INTO integration_health_history (partner_id, integration_key, checked_at, health, status, message, source, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [partnerId, point.integrationKey, point.checkedAt, point.health, point.status, point.message, point.source,
     point.durationMs === undefined ? null : Math.max(0, Math.round(point.durationMs))],
  );
}

/** Checks of one integration since `since`, oldest first, at most `limit` (the newest are kept). */
export async function listHealthPoints(db: Queryable, partnerId: number, key: string, since: Date, limit: number): Promise<HealthPointRow[]> {
  const { rows } = await db.query<HealthPointRow>(
    `SELECT * FROM (
       SELECT checked_at AS "checkedAt", health, status, message, source
         FROM integration_health_history
        WHERE partner_id = $1 AND integration_key = $2 AND checked_at >= $3
        ORDER BY checked_at DESC LIMIT $4) newest
      ORDER BY "checkedAt"`,
    [partnerId, key, since, limit],
  );
  return rows;
}

export interface HealthCheckRow extends HealthPointRow {
  id: number;
  durationMs: number | null;
}

/** One page of one integration's checks, newest first (keyset on id), optionally of one health. */
export async function listHealthChecks(
  db: Queryable,
  partnerId: number,
  page: { key: string; health?: 'ok' | 'degraded' | 'error' | undefined; beforeId?: number | undefined; limit: number },
): Promise<HealthCheckRow[]> {
  const params: unknown[] = [partnerId, page.key];
  let where = 'partner_id = $1 AND integration_key = $2';
  if (page.health !== undefined) where += ` AND health = $${params.push(page.health)}`;
  if (page.beforeId !== undefined) where += ` AND id < $${params.push(page.beforeId)}`;
  const { rows } = await db.query<HealthCheckRow>(
    `SELECT id, checked_at AS "checkedAt", health, status, message, source, duration_ms AS "durationMs"
       FROM integration_health_history WHERE ${where} ORDER BY id DESC LIMIT $${params.push(page.limit)}`,
    params,
  );
  return rows;
}

export interface HealthCounts {
  total: number;
  ok: number;
  degraded: number;
  error: number;
}

/** How many checks since `since` found each health. */
export async function countHealthPoints(db: Queryable, partnerId: number, key: string, since: Date): Promise<HealthCounts> {
  const { rows } = await db.query<HealthCounts>(
    `SELECT count(*)::int AS total, (count(*) FILTER (WHERE health = 'ok'))::int AS ok,
            (count(*) FILTER (WHERE health = 'degraded'))::int AS degraded, (count(*) FILTER (WHERE health = 'error'))::int AS error
       FROM integration_health_history WHERE partner_id = $1 AND integration_key = $2 AND checked_at >= $3`,
    [partnerId, key, since],
  );
  return rows[0] ?? { total: 0, ok: 0, degraded: 0, error: 0 };
}

/**
 * Deletes up to `limit` history rows older than `before`, across partners (the scheduler's
 * retention job, through withSystem). Small batches keep each transaction and its locks short.
 */
export async function pruneHealthHistory(db: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM integration_health_history h
      USING (SELECT partner_id, id FROM integration_health_history WHERE checked_at < $1 LIMIT $2) old
      WHERE h.partner_id = old.partner_id AND h.id = old.id`,
    [before, limit],
  );
  return rowCount ?? 0;
}

/**
 * The newest check of one integration at or after `since` (the configuration's creation: history
 * outlives a deleted configuration, and a new one must not inherit it), if any.
 */
export async function lastHealthPoint(db: Queryable, partnerId: number, key: string, since: Date): Promise<Pick<HealthPointRow, 'health' | 'status'> | undefined> {
  const { rows } = await db.query<Pick<HealthPointRow, 'health' | 'status'>>(
    `SELECT health, status FROM integration_health_history
      WHERE partner_id = $1 AND integration_key = $2 AND checked_at >= $3
      ORDER BY checked_at DESC, id DESC LIMIT 1`,
    [partnerId, key, since],
  );
  return rows[0];
}
