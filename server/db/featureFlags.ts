import type { Queryable } from './pool.js';

// Feature flags (migration 20261122005100): global values and per-partner overrides. The
// application reads them in a partner's scope; only the CLI writes them (withSystem).

export interface FlagValueRow {
  flag: string;
  enabled: boolean;
  /** Null for the global value, else the partner the override is for. */
  partnerId: number | null;
}

/** The global values and this partner's overrides, in one statement. */
export async function listFlagValues(db: Queryable, partnerId: number): Promise<FlagValueRow[]> {
  const { rows } = await db.query<FlagValueRow>(
    `SELECT flag, enabled, partner_id AS "partnerId" FROM partner_feature_flags WHERE partner_id = $1
     UNION ALL
     SELECT flag, enabled, NULL FROM feature_flags`,
    [partnerId],
  );
  return rows;
}

/** Every stored value of one flag: the global one and every partner's override. */
export async function listFlagRows(db: Queryable, flag: string): Promise<FlagValueRow[]> {
  const { rows } = await db.query<FlagValueRow>(
    `SELECT flag, enabled, NULL::bigint AS "partnerId" FROM feature_flags WHERE flag = $1
     UNION ALL
     SELECT flag, enabled, partner_id FROM partner_feature_flags WHERE flag = $1
     ORDER BY "partnerId" NULLS FIRST`,
    [flag],
  );
  return rows;
}

export async function setGlobalFlag(db: Queryable, flag: string, enabled: boolean): Promise<void> {
  await db.query(
    `INSERT INTO feature_flags (flag, enabled) VALUES ($1, $2)
     ON CONFLICT (flag) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
    [flag, enabled],
  );
}

export async function setPartnerFlag(db: Queryable, partnerId: number, flag: string, enabled: boolean): Promise<void> {
  await db.query(
    `INSERT INTO partner_feature_flags (partner_id, flag, enabled) VALUES ($1, $2, $3)
     ON CONFLICT (partner_id, flag) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
    [partnerId, flag, enabled],
  );
}

/** Removes the global value (back to the server default); true when there was one. */
export async function clearGlobalFlag(db: Queryable, flag: string): Promise<boolean> {
  return ((await db.query('DELETE FROM feature_flags WHERE flag = $1', [flag])).rowCount ?? 0) > 0;
}

/** Removes a partner's override (back to the global value); true when there was one. */
export async function clearPartnerFlag(db: Queryable, partnerId: number, flag: string): Promise<boolean> {
  return ((await db.query('DELETE FROM partner_feature_flags WHERE partner_id = $1 AND flag = $2', [partnerId, flag])).rowCount ?? 0) > 0;
}
