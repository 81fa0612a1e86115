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
}

const columns = `version, settings, user_id AS "userId", actor, passed_check AS "passedCheck", restored_from AS "restoredFrom", created_at AS "createdAt"`;

export async function insertVersion(
  db: Queryable,
  partnerId: number,
  entry: { key: string; version: number; settings: StoredSettings; userId: number | null; actor: string; restoredFrom?: number },
): Promise<void> {
  await db.query(
    `INSERT INTO integration_config_versions (partner_id, integration_key, version, settings, user_id, actor, restored_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (partner_id, integration_key, version) DO UPDATE SET settings = EXCLUDED.settings, user_id = EXCLUDED.user_id,
       actor = EXCLUDED.actor, restored_from = EXCLUDED.restored_from, passed_check = false, created_at = now()`,
    [partnerId, entry.key, entry.version, JSON.stringify(entry.settings), entry.userId, entry.actor, entry.restoredFrom ?? null],
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
