import type { Queryable } from './pool.js';

// Deployment-wide queries over every partner's stored secrets, for the boot key check and key
// rotation. They run through withSystem (CLI, boot), never on behalf of a partner's request.

/** A secret-looking value of a settings object: a JSON object carrying a key id. */
const secretValues = `jsonb_each(c.settings) AS e(field_key, value)
  WHERE jsonb_typeof(e.value) = 'object' AND e.value ? 'kid'`;

export interface SecretSample {
  kid: string;
  secrets: number;
  partnerId: number;
  integrationKey: string;
  fieldKey: string;
  value: unknown;
}

/** One stored secret per key id in use, with how many secrets that key id encrypts. */
export async function sampleSecretPerKeyId(db: Queryable): Promise<SecretSample[]> {
  const { rows } = await db.query<SecretSample>(
    `SELECT DISTINCT ON (e.value->>'kid') e.value->>'kid' AS kid,
            count(*) OVER (PARTITION BY e.value->>'kid') AS secrets,
            c.partner_id AS "partnerId", c.integration_key AS "integrationKey", e.field_key AS "fieldKey", e.value
       FROM integration_configurations c, ${secretValues}
      ORDER BY e.value->>'kid', c.partner_id, c.id`,
  );
  return rows;
}

export interface ConfigRef {
  partnerId: number;
  id: number;
}

/**
 * The next configurations (in (partner_id, id) order after `after`) holding a secret under a key
 * other than `currentKid`. Rotation walks these pages, so an interrupted run simply resumes.
 */
export async function configsWithStaleSecrets(db: Queryable, currentKid: string, after: ConfigRef, limit: number): Promise<ConfigRef[]> {
  const { rows } = await db.query<ConfigRef>(
    `SELECT c.partner_id AS "partnerId", c.id FROM integration_configurations c
      WHERE (c.partner_id, c.id) > ($2, $3)
        AND EXISTS (SELECT 1 FROM ${secretValues} AND e.value->>'kid' <> $1)
      ORDER BY c.partner_id, c.id LIMIT $4`,
    [currentKid, after.partnerId, after.id, limit],
  );
  return rows;
}

export interface LockedSettings {
  integrationKey: string;
  settings: Record<string, unknown>;
}

/**
 * Locks a rotation batch's configurations and reads their settings for re-encryption, all in one
 * statement, in (partner, id) order, before any of them is rewritten; a row deleted meanwhile is
 * simply absent. A rewrite stamps the partner's sync version (a lock on its partner_sync_state
 * row), so locking row by row between rewrites deadlocked against a health check being recorded:
 * the rotation held the partner's version and waited for the configuration the check had locked,
 * and the check then waited for the partner's version (seen under `npm run bench -- health-sweep`
 * while the data-key migration ran, issue 19 §4). Now the rotation waits before it holds anything.
 */
export async function lockSettingsBatch(db: Queryable, refs: readonly ConfigRef[]): Promise<Map<number, LockedSettings>> {
  const { rows } = await db.query<LockedSettings & { id: number }>(
    `SELECT id, integration_key AS "integrationKey", settings FROM integration_configurations
      WHERE (partner_id, id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))
      ORDER BY partner_id, id FOR UPDATE`,
    [refs.map((r) => r.partnerId), refs.map((r) => r.id)],
  );
  return new Map(rows.map(({ id, ...locked }) => [id, locked]));
}

/**
 * Writes re-encrypted settings. The row version is left alone: the values are the same, so a
 * client's edit based on this version must not become a conflict.
 */
export async function replaceSettings(db: Queryable, ref: ConfigRef, settings: Record<string, unknown>): Promise<void> {
  await db.query('UPDATE integration_configurations SET settings = $3 WHERE partner_id = $1 AND id = $2', [
    ref.partnerId,
    ref.id,
    JSON.stringify(settings),
  ]);
}

/** How many stored secrets are not under `currentKid` (0 once a rotation is complete). */
export async function countStaleSecrets(db: Queryable, currentKid: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM integration_configurations c, ${secretValues} AND e.value->>'kid' <> $1`,
    [currentKid],
  );
  return rows[0]?.n ?? 0;
}
