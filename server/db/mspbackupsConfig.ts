import type { Queryable } from './pool.js';

// The legacy MSPBackups table (migration 20261122005000). A partner table: the API runs these in
// the partner's scope and every query names the partner; the migration, parity check and boot
// check read across partners through withSystem. The table is dropped by an optional migration
// at the end of the move, so callers that may run after it check `legacyTablePresent` first.

export interface LegacyConfigRow {
  partnerId: number;
  apiLogin: string;
  /** Legacy credentials ciphertext (server/legacy/credentials.ts); null when never set. */
  apiPassword: string | null;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const columns = `partner_id AS "partnerId", api_login AS "apiLogin", api_password AS "apiPassword", enabled,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Postgres' "relation does not exist": the legacy table has been dropped. */
export const undefinedTableCode = '42P01';

export async function legacyTablePresent(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(`SELECT to_regclass('public.mspbackups_config') IS NOT NULL AS present`);
  return rows[0]?.present === true;
}

/**
 * Serialises every write of one partner's MSP360 configuration, whichever store it starts from
 * (catalog commit, legacy PUT, data migration), until the transaction ends.
 */
export async function lockMsp360Writes(db: Queryable, partnerId: number): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('ic:msp360-config:' || $1::text, 0))`, [partnerId]);
}

export async function findLegacyConfig(db: Queryable, partnerId: number): Promise<LegacyConfigRow | undefined> {
  const { rows } = await db.query<LegacyConfigRow>(`SELECT ${columns} FROM mspbackups_config WHERE partner_id = $1`, [partnerId]);
  return rows[0];
}

export interface LegacyValues {
  apiLogin: string;
  apiPassword: string | null;
  enabled: boolean;
}

/** Creates or replaces the partner's row; `at` is its updated_at (and created_at when new). */
export async function upsertLegacyConfig(db: Queryable, partnerId: number, values: LegacyValues, at?: Date): Promise<LegacyConfigRow> {
  const { rows } = await db.query<LegacyConfigRow>(
    `INSERT INTO mspbackups_config AS c (partner_id, api_login, api_password, enabled, created_at, updated_at)
     VALUES ($1, $2, $3, $4, coalesce($5, now()), coalesce($5, now()))
     ON CONFLICT (partner_id) DO UPDATE
       SET api_login = EXCLUDED.api_login, api_password = EXCLUDED.api_password, enabled = EXCLUDED.enabled,
           updated_at = EXCLUDED.updated_at
     RETURNING ${columns}`,
    [partnerId, values.apiLogin, values.apiPassword, values.enabled, at ?? null],
  );
  return rows[0] as LegacyConfigRow;
}

export async function deleteLegacyConfig(db: Queryable, partnerId: number): Promise<boolean> {
  return ((await db.query('DELETE FROM mspbackups_config WHERE partner_id = $1', [partnerId])).rowCount ?? 0) > 0;
}

// Across partners (withSystem only) ----------------------------------------------------------

/** The next partners with a legacy row, in partner order after `after`. */
export async function legacyPartnerIds(db: Queryable, after: number, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    'SELECT partner_id AS id FROM mspbackups_config WHERE partner_id > $1 ORDER BY partner_id LIMIT $2',
    [after, limit],
  );
  return rows.map((r) => r.id);
}

/** The next partners with an MSP360 configuration in the generic store but no legacy row. */
export async function genericOnlyPartnerIds(db: Queryable, after: number, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT c.partner_id AS id FROM integration_configurations c
      WHERE c.integration_key = 'msp360' AND c.partner_id > $1
        AND NOT EXISTS (SELECT 1 FROM mspbackups_config l WHERE l.partner_id = c.partner_id)
      ORDER BY c.partner_id LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.id);
}

/** The next partners with an MSP360 configuration in either store. */
export async function msp360PartnerIds(db: Queryable, after: number, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT partner_id AS id FROM (
       SELECT partner_id FROM mspbackups_config
       UNION SELECT partner_id FROM integration_configurations WHERE integration_key = 'msp360'
     ) p WHERE partner_id > $1 ORDER BY partner_id LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.id);
}

export async function findLegacyConfigs(db: Queryable, partnerIds: readonly number[]): Promise<LegacyConfigRow[]> {
  const { rows } = await db.query<LegacyConfigRow>(`SELECT ${columns} FROM mspbackups_config WHERE partner_id = ANY($1::bigint[])`, [partnerIds]);
  return rows;
}

/** One stored password, to prove CREDENTIALS_KEY at boot. */
export async function sampleLegacyPassword(db: Queryable): Promise<{ partnerId: number; apiPassword: string } | undefined> {
  const { rows } = await db.query<{ partnerId: number; apiPassword: string }>(
    `SELECT partner_id AS "partnerId", api_password AS "apiPassword" FROM mspbackups_config
      WHERE api_password IS NOT NULL ORDER BY partner_id LIMIT 1`,
  );
  return rows[0];
}

/** Whether the data migration has recorded its `migrated` audit row for this partner. */
export async function hasMigratedAudit(db: Queryable, partnerId: number): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM integration_audit_logs WHERE partner_id = $1 AND integration_key = 'msp360' AND action = 'migrated' LIMIT 1`,
    [partnerId],
  );
  return rows.length > 0;
}

/** The generic store's MSP360 settings of these partners (parity check). */
export async function findMsp360Settings(db: Queryable, partnerIds: readonly number[]): Promise<{ partnerId: number; settings: Record<string, unknown> }[]> {
  const { rows } = await db.query<{ partnerId: number; settings: Record<string, unknown> }>(
    `SELECT partner_id AS "partnerId", settings FROM integration_configurations
      WHERE integration_key = 'msp360' AND partner_id = ANY($1::bigint[])`,
    [partnerIds],
  );
  return rows;
}
