import type { Health, IntegrationStatus } from '../../shared/integrations/catalog.js';
import { oneRow, type Queryable } from './pool.js';

// Issue 18 §4: maintenance windows and the state each affected integration was in before its
// first held alert. Partner-scoped except the release finder (withSystem, across partners).

export interface WindowRow {
  id: number;
  integrationKey: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  actor: string;
  createdAt: Date;
  releasedAt: Date | null;
}

const columns = `id, integration_key AS "integrationKey", starts_at AS "startsAt", ends_at AS "endsAt", reason, actor,
  created_at AS "createdAt", released_at AS "releasedAt"`;

/** Windows covering `key` (its own and partner-wide): same key, or either side partner-wide. */
const covers = (keyParam: string) => `(integration_key IS NULL OR ${keyParam}::text IS NULL OR integration_key = ${keyParam})`;

/** Current and upcoming windows (and ended ones not released yet), soonest first. */
export async function listOpenWindows(db: Queryable, partnerId: number, key: string | undefined): Promise<WindowRow[]> {
  const { rows } = await db.query<WindowRow>(
    `SELECT ${columns} FROM maintenance_windows
      WHERE partner_id = $1 AND (released_at IS NULL OR ends_at > now()) AND ($2::text IS NULL OR integration_key IS NULL OR integration_key = $2)
      ORDER BY starts_at, id LIMIT 200`,
    [partnerId, key ?? null],
  );
  return rows;
}

/**
 * One window, optionally locked. NO KEY UPDATE: a health check recording a held alert takes KEY
 * SHARE on the window (its baseline's foreign key) and must not queue behind "End now".
 */
export async function findWindow(db: Queryable, partnerId: number, id: number, options: { lock?: boolean } = {}): Promise<WindowRow | undefined> {
  const { rows } = await db.query<WindowRow>(
    `SELECT ${columns} FROM maintenance_windows WHERE partner_id = $1 AND id = $2${options.lock ? ' FOR NO KEY UPDATE' : ''}`,
    [partnerId, id],
  );
  return rows[0];
}

/**
 * Serialises window writes of one partner (transaction-scoped advisory lock): the overlap check
 * and the insert then see every other window, on every instance.
 */
export async function lockPartnerWindows(db: Queryable, partnerId: number): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('maintenance_windows'), $1::int)`, [partnerId]);
}

/** A window of this partner not released yet that overlaps [startsAt, endsAt) for `key` (null: partner-wide). */
export async function findOverlapping(db: Queryable, partnerId: number, w: { key: string | null; startsAt: Date; endsAt: Date }): Promise<WindowRow | undefined> {
  const { rows } = await db.query<WindowRow>(
    `SELECT ${columns} FROM maintenance_windows
      WHERE partner_id = $1 AND released_at IS NULL AND starts_at < $4 AND ends_at > $3 AND ${covers('$2')}
      ORDER BY starts_at LIMIT 1`,
    [partnerId, w.key, w.startsAt, w.endsAt],
  );
  return rows[0];
}

export async function insertWindow(
  db: Queryable,
  partnerId: number,
  w: { key: string | null; startsAt: Date; endsAt: Date; reason: string; userId: number | null; actor: string },
): Promise<WindowRow> {
  const result = await db.query<WindowRow>(
    `INSERT INTO maintenance_windows (partner_id, integration_key, starts_at, ends_at, reason, created_by, actor)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${columns}`,
    [partnerId, w.key, w.startsAt, w.endsAt, w.reason, w.userId, w.actor],
  );
  return oneRow(result);
}

/** "End now": the window is over from this moment (never before its start, which the CHECK forbids). */
export async function endWindowNow(db: Queryable, partnerId: number, id: number): Promise<WindowRow> {
  const result = await db.query<WindowRow>(
    `UPDATE maintenance_windows SET ends_at = greatest(now(), starts_at + interval '1 millisecond'), ended_early_at = now()
      WHERE partner_id = $1 AND id = $2 RETURNING ${columns}`,
    [partnerId, id],
  );
  return oneRow(result);
}

export async function deleteWindow(db: Queryable, partnerId: number, id: number): Promise<void> {
  await db.query('DELETE FROM maintenance_windows WHERE partner_id = $1 AND id = $2', [partnerId, id]);
}

/** Configured integrations of the partner (the ones a partner-wide window's audit is written on). */
export async function configuredKeys(db: Queryable, partnerId: number): Promise<string[]> {
  const { rows } = await db.query<{ key: string }>('SELECT integration_key AS key FROM integration_configurations WHERE partner_id = $1 ORDER BY integration_key', [partnerId]);
  return rows.map((r) => r.key);
}

// Holding --------------------------------------------------------------------------------------

/**
 * The window holding an alert of `key` raised at `at`: started, covering the key, not released.
 * A window whose end has passed still holds until it is released, so the release compares with
 * every transition it held and nothing slips out in between.
 */
export async function holdingWindow(db: Queryable, partnerId: number, key: string, at: Date): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM maintenance_windows
      WHERE partner_id = $1 AND (integration_key IS NULL OR integration_key = $2) AND starts_at <= $3 AND released_at IS NULL
      ORDER BY starts_at DESC LIMIT 1`,
    [partnerId, key, at],
  );
  return rows[0]?.id;
}

/** Records the state before the window's first held alert of `key`; later ones keep the first. */
export async function keepBaseline(db: Queryable, partnerId: number, windowId: number, key: string, before: { status: IntegrationStatus; health: Health }): Promise<void> {
  await db.query(
    `INSERT INTO maintenance_baselines (partner_id, window_id, integration_key, before_status, before_health)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [partnerId, windowId, key, before.status, before.health],
  );
}

// Releasing ------------------------------------------------------------------------------------

/** Windows over and not released, across partners (withSystem), oldest end first. */
export async function windowsToRelease(db: Queryable, limit: number): Promise<{ partnerId: number; id: number }[]> {
  const { rows } = await db.query<{ partnerId: number; id: number }>(
    `SELECT partner_id AS "partnerId", id FROM maintenance_windows WHERE released_at IS NULL AND ends_at <= now() ORDER BY ends_at LIMIT $1`,
    [limit],
  );
  return rows;
}

/**
 * Claims the release: the one transaction whose conditional UPDATE finds the window over and
 * not released gets its row; a concurrent releaser waits on the row lock and then gets none.
 */
export async function claimRelease(db: Queryable, partnerId: number, id: number): Promise<WindowRow | undefined> {
  const { rows } = await db.query<WindowRow>(
    `UPDATE maintenance_windows SET released_at = now()
      WHERE partner_id = $1 AND id = $2 AND released_at IS NULL AND ends_at <= now() RETURNING ${columns}`,
    [partnerId, id],
  );
  return rows[0];
}

export interface Baseline {
  integrationKey: string;
  beforeStatus: IntegrationStatus;
  beforeHealth: Health;
}

export async function listBaselines(db: Queryable, partnerId: number, windowId: number): Promise<Baseline[]> {
  const { rows } = await db.query<Baseline>(
    `SELECT integration_key AS "integrationKey", before_status AS "beforeStatus", before_health AS "beforeHealth"
       FROM maintenance_baselines WHERE partner_id = $1 AND window_id = $2 ORDER BY integration_key`,
    [partnerId, windowId],
  );
  return rows;
}

/** Locks the configurations a window covers, in key order (the order every locker uses). */
export async function lockCoveredConfigs(db: Queryable, partnerId: number, key: string | null): Promise<void> {
  await db.query(
    'SELECT 1 FROM integration_configurations WHERE partner_id = $1 AND ($2::text IS NULL OR integration_key = $2) ORDER BY integration_key FOR UPDATE',
    [partnerId, key],
  );
}

// Dev fleet --------------------------------------------------------------------------------------

/** Per partner and key ('' for partner-wide), the end of the window in force now (dev scope: RLS shows all). */
export async function activeWindowEnds(db: Queryable, partnerIds: number[]): Promise<{ partnerId: number; integrationKey: string | null; endsAt: Date }[]> {
  if (partnerIds.length === 0) return [];
  const { rows } = await db.query<{ partnerId: number; integrationKey: string | null; endsAt: Date }>(
    `SELECT partner_id AS "partnerId", integration_key AS "integrationKey", ends_at AS "endsAt" FROM maintenance_windows
      WHERE partner_id = ANY($1::bigint[]) AND starts_at <= now() AND released_at IS NULL`,
    [partnerIds],
  );
  return rows;
}
