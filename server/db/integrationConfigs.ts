import type { Health, IntegrationStatus } from '../../shared/integrations/catalog.js';
import { oneRow, type Queryable } from './pool.js';

// Every query names its partner (first argument after the connection) and filters on it, even
// though row-level security would too: RLS is the backstop, not the filter. This matters for
// the dev partner, whose RLS policy lets it read every partner.

/** A configuration's state, without its settings (the catalog list never needs those). */
export interface ConfigStateRow {
  id: number;
  partnerId: number;
  integrationKey: string;
  status: IntegrationStatus;
  health: Health;
  lastHealthCheck: Date | null;
  lastOkAt: Date | null;
  consecutiveFailures: number;
  errorMessage: string | null;
  version: number;
  syncVersion: number;
  createdBy: number | null;
  updatedBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Stored settings: plain values, and secrets as encrypted objects (see server/secrets). */
export type StoredSettings = Record<string, unknown>;

export interface ConfigRow extends ConfigStateRow {
  settings: StoredSettings;
}

const stateColumns = `id, partner_id AS "partnerId", integration_key AS "integrationKey", status, health,
  last_health_check AS "lastHealthCheck", last_ok_at AS "lastOkAt", consecutive_failures AS "consecutiveFailures",
  error_message AS "errorMessage", version, sync_version AS "syncVersion", created_by AS "createdBy",
  updated_by AS "updatedBy", created_at AS "createdAt", updated_at AS "updatedAt"`;
const rowColumns = `${stateColumns}, settings`;

export async function listConfigStates(db: Queryable, partnerId: number): Promise<ConfigStateRow[]> {
  const { rows } = await db.query<ConfigStateRow>(
    `SELECT ${stateColumns} FROM integration_configurations WHERE partner_id = $1 ORDER BY integration_key`,
    [partnerId],
  );
  return rows;
}

/** One configuration, optionally locked (FOR UPDATE) for a read-check-write in this transaction. */
export async function findConfig(db: Queryable, partnerId: number, key: string, options: { lock?: boolean } = {}): Promise<ConfigRow | undefined> {
  const { rows } = await db.query<ConfigRow>(
    `SELECT ${rowColumns} FROM integration_configurations WHERE partner_id = $1 AND integration_key = $2${options.lock ? ' FOR UPDATE' : ''}`,
    [partnerId, key],
  );
  return rows[0];
}

/**
 * Configurations of these keys written at or after `sync_version` (for sync pulls; pass 0 for
 * all). At most one row per key, so a page needs no limit here.
 */
export async function listConfigsSince(db: Queryable, partnerId: number, keys: readonly string[], sinceSyncVersion: number): Promise<ConfigRow[]> {
  const { rows } = await db.query<ConfigRow>(
    `SELECT ${rowColumns} FROM integration_configurations
      WHERE partner_id = $1 AND integration_key = ANY($2::text[]) AND sync_version >= $3`,
    [partnerId, keys, sinceSyncVersion],
  );
  return rows;
}

/**
 * Issue 18 §2, for a save: which secrets were set and when (field -> ISO time), and which kept
 * their stored time. Written in the same statement as the settings (an UPDATE of its own would
 * stamp the row with a second sync version).
 */
export interface SecretsSet {
  set: Record<string, string>;
  keep: readonly string[];
}

/** A saved row, with the set times of its secrets (for its saved version). */
export type SavedConfigRow = ConfigRow & { secretsSetAt: Record<string, string> };

const savedColumns = `${rowColumns}, secrets_set_at AS "secretsSetAt"`;

// The kept entries of a JSONB map, by field key ($n: text[]).
const keptEntries = (column: string, param: string) =>
  `(SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) FROM jsonb_each(${column}) e WHERE e.key = ANY(${param}::text[]))`;

/**
 * Inserts a configuration; undefined when this partner already has one for the key. Its status
 * is Configured (saved, unchecked) unless a data migration says what it was before.
 */
export async function insertConfig(
  db: Queryable,
  partnerId: number,
  values: { key: string; settings: StoredSettings; userId: number | null; status?: IntegrationStatus; secretsSetAt?: Record<string, string> },
): Promise<SavedConfigRow | undefined> {
  const { rows } = await db.query<SavedConfigRow>(
    `INSERT INTO integration_configurations (partner_id, integration_key, settings, status, health, created_by, updated_by, secrets_set_at)
     VALUES ($1, $2, $3, $5, 'unknown', $4, $4, $6)
     ON CONFLICT (partner_id, integration_key) DO NOTHING
     RETURNING ${savedColumns}`,
    [partnerId, values.key, JSON.stringify(values.settings), values.userId, values.status ?? 'Configured', JSON.stringify(values.secretsSetAt ?? {})],
  );
  return rows[0];
}

/**
 * Replaces the settings and bumps the version. The new settings have not been checked, so the
 * status returns to Configured (unless a data migration says otherwise) with unknown health;
 * the history (last check, last ok) is kept. With `secrets` (a user's save), the secrets given
 * are dated and their credential alerts cleared; the kept ones keep theirs; the rest go. Without
 * (a data migration), the set times stay as they are.
 */
export async function updateConfigSettings(
  db: Queryable,
  partnerId: number,
  values: { key: string; settings: StoredSettings; userId: number | null; status?: IntegrationStatus; secrets?: SecretsSet },
): Promise<SavedConfigRow> {
  const dated = values.secrets
    ? `, secrets_set_at = ${keptEntries('secrets_set_at', '$6')} || $7::jsonb, credential_alerts = ${keptEntries('credential_alerts', '$6')}`
    : '';
  const result = await db.query<SavedConfigRow>(
    `UPDATE integration_configurations
        SET settings = $3, version = version + 1, status = $5, health = 'unknown',
            consecutive_failures = 0, error_message = NULL, updated_by = $4, updated_at = now()${dated}
      WHERE partner_id = $1 AND integration_key = $2
      RETURNING ${savedColumns}`,
    [
      partnerId,
      values.key,
      JSON.stringify(values.settings),
      values.userId,
      values.status ?? 'Configured',
      ...(values.secrets ? [values.secrets.keep, JSON.stringify(values.secrets.set)] : []),
    ],
  );
  return oneRow(result);
}

export async function deleteConfig(db: Queryable, partnerId: number, key: string): Promise<ConfigRow | undefined> {
  const { rows } = await db.query<ConfigRow>(
    `DELETE FROM integration_configurations WHERE partner_id = $1 AND integration_key = $2 RETURNING ${rowColumns}`,
    [partnerId, key],
  );
  return rows[0];
}

export interface HealthUpdate {
  status: IntegrationStatus;
  health: Health;
  checkedAt: Date;
  lastOkAt: Date | null;
  consecutiveFailures: number;
  errorMessage: string | null;
}

/** Stores a health check's outcome. The settings version is untouched: health is not an edit. */
export async function updateConfigHealth(db: Queryable, partnerId: number, key: string, update: HealthUpdate): Promise<ConfigRow> {
  const result = await db.query<ConfigRow>(
    `UPDATE integration_configurations
        SET status = $3, health = $4, last_health_check = $5, last_ok_at = $6, consecutive_failures = $7, error_message = $8
      WHERE partner_id = $1 AND integration_key = $2
      RETURNING ${rowColumns}`,
    [partnerId, key, update.status, update.health, update.checkedAt, update.lastOkAt, update.consecutiveFailures, update.errorMessage],
  );
  return oneRow(result);
}

export interface PartnerConfigCounts {
  partnerId: number;
  configured: number;
  errors: number;
}

/**
 * Configuration counts of every partner, for the dev partner's overview. Only meaningful inside
 * the dev partner's scope: row-level security shows other partners' rows to it alone.
 */
export async function countConfigsPerPartner(db: Queryable): Promise<PartnerConfigCounts[]> {
  const { rows } = await db.query<PartnerConfigCounts>(
    `SELECT partner_id AS "partnerId", count(*)::int AS configured, (count(*) FILTER (WHERE status = 'Error'))::int AS errors
       FROM integration_configurations GROUP BY partner_id`,
  );
  return rows;
}
