import type { StoredSettings } from './integrationConfigs.js';
import type { Queryable } from './pool.js';

// Issue 18 §1: the saved versions of a partner's configuration. Partner-scoped: callers run
// these inside withPartner / readAsPartner.

export interface VersionRow {
  version: number;
  settings: StoredSettings;
  userId: number | null;
  actor: string;
  passedCheck: boolean;
  restoredFrom: number | null;
  createdAt: Date;
  /** When each of its secrets was set (issue 18 §2), so a rollback restores their real ages. */
  secretsSetAt: Record<string, string>;
}

const columns = `version, settings, user_id AS "userId", actor, passed_check AS "passedCheck", restored_from AS "restoredFrom", created_at AS "createdAt",
  secrets_set_at AS "secretsSetAt"`;

export async function insertVersion(
  db: Queryable,
  partnerId: number,
  entry: {
    key: string;
    version: number;
    settings: StoredSettings;
    userId: number | null;
    actor: string;
    restoredFrom?: number;
    secretsSetAt?: Record<string, string>;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO integration_config_versions (partner_id, integration_key, version, settings, user_id, actor, restored_from, secrets_set_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (partner_id, integration_key, version) DO UPDATE SET settings = EXCLUDED.settings, user_id = EXCLUDED.user_id,
       actor = EXCLUDED.actor, restored_from = EXCLUDED.restored_from, secrets_set_at = EXCLUDED.secrets_set_at,
       passed_check = false, created_at = now()`,
    [partnerId, entry.key, entry.version, JSON.stringify(entry.settings), entry.userId, entry.actor, entry.restoredFrom ?? null, JSON.stringify(entry.secretsSetAt ?? {})],
  );
}

/** Newest first; one more than `limit` is not read. */
export async function listVersions(db: Queryable, partnerId: number, key: string, limit: number): Promise<VersionRow[]> {
  const { rows } = await db.query<VersionRow>(
    `SELECT ${columns} FROM integration_config_versions WHERE partner_id = $1 AND integration_key = $2 ORDER BY version DESC LIMIT $3`,
    [partnerId, key, limit],
  );
  return rows;
}

export async function findVersion(db: Queryable, partnerId: number, key: string, version: number): Promise<VersionRow | undefined> {
  const { rows } = await db.query<VersionRow>(
    `SELECT ${columns} FROM integration_config_versions WHERE partner_id = $1 AND integration_key = $2 AND version = $3`,
    [partnerId, key, version],
  );
  return rows[0];
}

/** A health check of exactly this version answered Ok or Degraded. */
export async function markVersionPassed(db: Queryable, partnerId: number, key: string, version: number): Promise<void> {
  await db.query(
    'UPDATE integration_config_versions SET passed_check = true WHERE partner_id = $1 AND integration_key = $2 AND version = $3 AND NOT passed_check',
    [partnerId, key, version],
  );
}

// Key rotation (`rotate-key`): deployment-wide, through withSystem, never on behalf of a partner.

const staleSecret = `EXISTS (SELECT 1 FROM jsonb_each(v.settings) AS e(k, value) WHERE jsonb_typeof(e.value) = 'object' AND e.value ? 'kid' AND e.value->>'kid' <> $1)`;

export interface StaleVersion {
  partnerId: number;
  integrationKey: string;
  version: number;
  settings: StoredSettings;
}

/** Up to `limit` saved versions holding a secret under a key other than `currentKid`, locked. */
export async function lockVersionsWithStaleSecrets(db: Queryable, currentKid: string, limit: number): Promise<StaleVersion[]> {
  const { rows } = await db.query<StaleVersion>(
    `SELECT v.partner_id AS "partnerId", v.integration_key AS "integrationKey", v.version, v.settings
       FROM integration_config_versions v WHERE ${staleSecret}
      ORDER BY v.partner_id, v.integration_key, v.version LIMIT $2 FOR UPDATE`,
    [currentKid, limit],
  );
  return rows;
}

export async function replaceVersionSettings(db: Queryable, row: StaleVersion, settings: StoredSettings): Promise<void> {
  await db.query('UPDATE integration_config_versions SET settings = $4 WHERE partner_id = $1 AND integration_key = $2 AND version = $3', [
    row.partnerId,
    row.integrationKey,
    row.version,
    JSON.stringify(settings),
  ]);
}

export async function countVersionsWithStaleSecrets(db: Queryable, currentKid: string): Promise<number> {
  // Secrets, not versions: the figure adds up with the live settings' in rotate-key's report.
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM integration_config_versions v, jsonb_each(v.settings) AS e(k, value)
      WHERE jsonb_typeof(e.value) = 'object' AND e.value ? 'kid' AND e.value->>'kid' <> $1`,
    [currentKid],
  );
  return rows[0]?.n ?? 0;
}
