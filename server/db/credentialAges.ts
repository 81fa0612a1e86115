import type { IntegrationStatus } from '../../shared/integrations/catalog.js';
import type { Queryable } from './pool.js';

// Issue 18 §2: when each secret was last set (integration_configurations.secrets_set_at, field
// key -> ISO time) and which credential alert each has raised (credential_alerts, field key ->
// 'soon' | 'overdue'). Secrets set before this was recorded count from their configuration's creation.

export type SecretsSetAt = Record<string, string>;
export type CredentialAlertStage = 'soon' | 'overdue';

export interface CredentialAgeRow {
  partnerId: number;
  integrationKey: string;
  status: IntegrationStatus;
  /** Secret fields stored now (whatever their specs say). */
  secretFields: string[];
  secretsSetAt: SecretsSetAt;
  credentialAlerts: Partial<Record<string, CredentialAlertStage>>;
  createdAt: Date;
  /** The partner-wide limit. */
  partnerMaxAgeDays: number;
  /** The stored settings as they are (secrets still encrypted): for a plugin's credentialExpiry. */
  settings: Record<string, unknown>;
  id: number;
}

const ageColumns = `c.id, c.partner_id AS "partnerId", c.integration_key AS "integrationKey", c.status,
  ARRAY(SELECT e.key FROM jsonb_each(c.settings) e WHERE jsonb_typeof(e.value) = 'object' AND e.value ? 'ct' ORDER BY e.key) AS "secretFields",
  c.secrets_set_at AS "secretsSetAt", c.credential_alerts AS "credentialAlerts", c.created_at AS "createdAt",
  p.credential_max_age_days AS "partnerMaxAgeDays", c.settings`;

/** One configuration's credential ages (partner-scoped: run inside readAsPartner). */
export async function findCredentialAges(db: Queryable, partnerId: number, key: string): Promise<CredentialAgeRow | undefined> {
  const { rows } = await db.query<CredentialAgeRow>(
    `SELECT ${ageColumns} FROM integration_configurations c JOIN partners p ON p.id = c.partner_id
      WHERE c.partner_id = $1 AND c.integration_key = $2`,
    [partnerId, key],
  );
  return rows[0];
}

/**
 * Every partner's configurations that store a secret, a page at a time in (partner, id) order:
 * for the scan, run with the connecting role (withSystem), not on behalf of one partner.
 */
export async function listCredentialAges(db: Queryable, after: { partnerId: number; id: number }, limit: number): Promise<CredentialAgeRow[]> {
  const { rows } = await db.query<CredentialAgeRow>(
    `SELECT ${ageColumns} FROM integration_configurations c JOIN partners p ON p.id = c.partner_id
      WHERE (c.partner_id, c.id) > ($1, $2) AND c.status <> 'Not Configured'
        AND EXISTS (SELECT 1 FROM jsonb_each(c.settings) e WHERE jsonb_typeof(e.value) = 'object' AND e.value ? 'ct')
      ORDER BY c.partner_id, c.id LIMIT $3`,
    [after.partnerId, after.id, limit],
  );
  return rows;
}

/**
 * Marks `stage` raised for the secret whose set time the scan saw; the row's status when it
 * did, or undefined when it was raised already or the secret was set anew meanwhile. The
 * conditional update is what makes each alert once, however many scans run at a time.
 */
export async function markCredentialAlert(
  db: Queryable,
  partnerId: number,
  key: string,
  field: string,
  stage: CredentialAlertStage,
  seenSetAt: string | null,
): Promise<{ status: IntegrationStatus } | undefined> {
  const { rows } = await db.query<{ status: IntegrationStatus }>(
    `UPDATE integration_configurations
        SET credential_alerts = credential_alerts || jsonb_build_object($3::text, $4::text)
      WHERE partner_id = $1 AND integration_key = $2
        AND (secrets_set_at ->> $3) IS NOT DISTINCT FROM $5
        AND (credential_alerts ->> $3) IS DISTINCT FROM $4
        AND ($4 = 'overdue' OR (credential_alerts ->> $3) IS NULL)
      RETURNING status`,
    [partnerId, key, field, stage, seenSetAt],
  );
  return rows[0];
}

/** Dates every stored secret of a configuration to `at` (the demo's months-old key). */
export async function setSecretsSetAt(db: Queryable, partnerId: number, key: string, at: Date): Promise<void> {
  await db.query(
    `UPDATE integration_configurations
        SET secrets_set_at = (SELECT coalesce(jsonb_object_agg(e.key, to_jsonb($3::text)), '{}'::jsonb)
                                FROM jsonb_each(settings) e WHERE jsonb_typeof(e.value) = 'object' AND e.value ? 'ct')
      WHERE partner_id = $1 AND integration_key = $2`,
    [partnerId, key, at.toISOString()],
  );
}

/** The partner-wide limit (partner-scoped: run inside readAsPartner / withPartner). */
export async function findPartnerCredentialLimit(db: Queryable, partnerId: number): Promise<number | undefined> {
  const { rows } = await db.query<{ days: number }>('SELECT credential_max_age_days AS days FROM partners WHERE id = $1', [partnerId]);
  return rows[0]?.days;
}

export async function setPartnerCredentialLimit(db: Queryable, partnerId: number, days: number): Promise<number | undefined> {
  const { rows } = await db.query<{ days: number }>(
    'UPDATE partners SET credential_max_age_days = $2 WHERE id = $1 RETURNING credential_max_age_days AS days',
    [partnerId, days],
  );
  return rows[0]?.days;
}
