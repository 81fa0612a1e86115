import type { DataKeyRow, WrappedDataKey } from '../secrets/dataKeys.js';
import type { Queryable } from './pool.js';

// Issue 18 §3: the partners' wrapped data keys. Read and written by system work (boot, refresh,
// rotation, offboarding) through withSystem; a partner's own transaction sees at most its row.

const columns = `partner_id AS "partnerId", kid, wrapped_key AS wrapped, created_at AS "createdAt"`;

/** Every data key (boot and periodic refresh: 10,000 rows of 60 bytes). */
export async function listDataKeys(db: Queryable): Promise<DataKeyRow[]> {
  const { rows } = await db.query<DataKeyRow>(`SELECT ${columns} FROM partner_data_keys ORDER BY partner_id`);
  return rows;
}

/** Partners that have no data key yet, oldest first. */
export async function partnersWithoutDataKey(db: Queryable, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT p.id FROM partners p WHERE NOT EXISTS (SELECT 1 FROM partner_data_keys k WHERE k.partner_id = p.id) ORDER BY p.id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.id);
}

/**
 * Stores new data keys; a partner that got one meanwhile (another instance) keeps its own, and
 * a partner deleted meanwhile is skipped instead of failing the batch on its foreign key.
 */
export async function insertDataKeys(db: Queryable, keys: readonly (WrappedDataKey & { partnerId: number })[]): Promise<number> {
  const result = await db.query(
    `INSERT INTO partner_data_keys (partner_id, kid, wrapped_key)
     SELECT k.partner_id, k.kid, k.wrapped_key FROM unnest($1::bigint[], $2::text[], $3::bytea[]) AS k(partner_id, kid, wrapped_key)
      WHERE EXISTS (SELECT 1 FROM partners p WHERE p.id = k.partner_id)
     ON CONFLICT (partner_id) DO NOTHING`,
    [keys.map((k) => k.partnerId), keys.map((k) => k.kid), keys.map((k) => k.wrapped)],
  );
  return result.rowCount ?? 0;
}

/** The next data keys not wrapped under `currentKid`, locked (others skip them: concurrent runs share the work). */
export async function lockStaleDataKeys(db: Queryable, currentKid: string, limit: number): Promise<DataKeyRow[]> {
  const { rows } = await db.query<DataKeyRow>(
    `SELECT ${columns} FROM partner_data_keys WHERE kid <> $1 ORDER BY partner_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [currentKid, limit],
  );
  return rows;
}

export async function replaceWrappedKeys(db: Queryable, keys: readonly (WrappedDataKey & { partnerId: number })[]): Promise<void> {
  await db.query(
    `UPDATE partner_data_keys d SET kid = k.kid, wrapped_key = k.wrapped_key, rewrapped_at = now()
       FROM unnest($1::bigint[], $2::text[], $3::bytea[]) AS k(partner_id, kid, wrapped_key)
      WHERE d.partner_id = k.partner_id`,
    [keys.map((k) => k.partnerId), keys.map((k) => k.kid), keys.map((k) => k.wrapped)],
  );
}

/** How many data keys each ring key id wraps (boot check, rotation report). */
export async function countDataKeysByKid(db: Queryable): Promise<{ kid: string; keys: number }[]> {
  const { rows } = await db.query<{ kid: string; keys: number }>('SELECT kid, count(*)::int AS keys FROM partner_data_keys GROUP BY kid ORDER BY kid');
  return rows;
}

export async function deleteDataKey(db: Queryable, partnerId: number): Promise<boolean> {
  const result = await db.query('DELETE FROM partner_data_keys WHERE partner_id = $1', [partnerId]);
  return (result.rowCount ?? 0) > 0;
}
