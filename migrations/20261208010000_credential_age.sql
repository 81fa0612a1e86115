-- Up Migration

-- Issue 18 §2. When each secret of a configuration was last set, field key -> ISO time, kept
-- beside the settings (a key-ring rotation re-encrypts a secret without setting it anew, so the
-- ciphertext cannot tell). Each saved version keeps its own map, so a rollback restores a
-- secret with the age it really has.
ALTER TABLE integration_configurations ADD COLUMN secrets_set_at jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE integration_config_versions ADD COLUMN secrets_set_at jsonb NOT NULL DEFAULT '{}'::jsonb;

-- Which credential alert was raised for the secret set at that time, field key -> 'soon' or
-- 'overdue': each is raised once; setting the secret anew clears its entry.
ALTER TABLE integration_configurations ADD COLUMN credential_alerts jsonb NOT NULL DEFAULT '{}'::jsonb;

-- The partner-wide limit for credentials whose vendor states none.
ALTER TABLE partners ADD COLUMN credential_max_age_days integer NOT NULL DEFAULT 90
  CHECK (credential_max_age_days BETWEEN 1 AND 3650);
-- A partner admin changes it for the own partner (RLS own_partner); nothing else of the row.
GRANT UPDATE (credential_max_age_days) ON partners TO ic_app;

-- Secrets stored before this migration: their first appearance is when their configuration was
-- created (nothing older is known; an age counted from there is never too young).
UPDATE integration_configurations c
   SET secrets_set_at = coalesce((
         SELECT jsonb_object_agg(s.key, to_jsonb(c.created_at))
           FROM jsonb_each(c.settings) s
          WHERE jsonb_typeof(s.value) = 'object' AND s.value ? 'ct'), '{}'::jsonb);
UPDATE integration_config_versions v
   SET secrets_set_at = c.secrets_set_at
  FROM integration_configurations c
 WHERE c.partner_id = v.partner_id AND c.integration_key = v.integration_key;

-- Credential alerts use the alert and webhook path of health alerts.
ALTER TABLE integration_alerts DROP CONSTRAINT integration_alerts_kind_check;
ALTER TABLE integration_alerts ADD CONSTRAINT integration_alerts_kind_check
  CHECK (kind IN ('failure', 'degraded', 'recovery', 'activated', 'rotate_soon', 'rotate_overdue'));

-- Down Migration

DELETE FROM integration_alerts WHERE kind IN ('rotate_soon', 'rotate_overdue');
ALTER TABLE integration_alerts DROP CONSTRAINT integration_alerts_kind_check;
ALTER TABLE integration_alerts ADD CONSTRAINT integration_alerts_kind_check
  CHECK (kind IN ('failure', 'degraded', 'recovery', 'activated'));
REVOKE UPDATE (credential_max_age_days) ON partners FROM ic_app;
ALTER TABLE partners DROP COLUMN IF EXISTS credential_max_age_days;
ALTER TABLE integration_configurations DROP COLUMN IF EXISTS credential_alerts;
ALTER TABLE integration_config_versions DROP COLUMN IF EXISTS secrets_set_at;
ALTER TABLE integration_configurations DROP COLUMN IF EXISTS secrets_set_at;
