-- Up Migration

-- Issue 18 §1. Every saved version of a configuration, in full: the settings JSONB as stored
-- (secrets as their ciphertexts, bound to partner, integration and field, so a restored version
-- decrypts where it came from), who saved it, whether a health check of exactly that version
-- passed, and which earlier version it restored. Removing the configuration removes its history.
CREATE TABLE integration_config_versions (
  partner_id       bigint NOT NULL,
  integration_key  text NOT NULL,
  version          integer NOT NULL CHECK (version > 0),
  settings         jsonb NOT NULL,
  user_id          bigint REFERENCES users (id) ON DELETE SET NULL,
  actor            text NOT NULL,
  passed_check     boolean NOT NULL DEFAULT false,
  restored_from    integer CHECK (restored_from > 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, integration_key, version),
  FOREIGN KEY (partner_id, integration_key) REFERENCES integration_configurations (partner_id, integration_key) ON DELETE CASCADE
);

ALTER TABLE integration_config_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON integration_config_versions
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT, INSERT, UPDATE ON integration_config_versions TO ic_app;

-- Configurations saved before this migration: their current settings are their first known
-- version (earlier ones were never kept); one that is Active passed a check as it is.
INSERT INTO integration_config_versions (partner_id, integration_key, version, settings, user_id, actor, passed_check, created_at)
SELECT c.partner_id, c.integration_key, c.version, c.settings, c.updated_by, coalesce(u.email, 'system'), c.status = 'Active', c.updated_at
  FROM integration_configurations c LEFT JOIN users u ON u.id = c.updated_by;

-- Down Migration

DROP TABLE IF EXISTS integration_config_versions;
