-- Up Migration

-- Models the PRE-EXISTING legacy schema of the MSPBackups feature (SPEC-005): partners have
-- kept their MSP360 Managed Backup API credentials here since before the Integration Center.
-- It carries a timestamp of this release only because node-pg-migrate applies migrations in
-- order (checkOrder) after those already recorded; its content is the legacy table as it is.
-- The table is retired by migrations/optional/20261122005900_drop_mspbackups_config.sql once
-- every partner reads from integration_configurations (docs/msp360-migration.md).
CREATE TABLE mspbackups_config (
  -- UNIQUE and NOT NULL: one configuration per partner, and the whole key is partner_id, so the
  -- table distributes by partner like the others.
  partner_id   bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  -- The MBS console's API login; '' in rows that were saved before a login was entered.
  api_login    text NOT NULL DEFAULT '' CHECK (length(api_login) <= 200),
  -- "v1:<iv>:<tag>:<ciphertext>" from the legacy credentials module (server/legacy/credentials.ts,
  -- AES-256-GCM under CREDENTIALS_KEY); NULL when no password was ever saved.
  api_password text,
  enabled      boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mspbackups_config_pkey PRIMARY KEY (partner_id)
);

-- A partner table like the others: ic_app sees and writes its own partner's row only.
ALTER TABLE mspbackups_config ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON mspbackups_config
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT, INSERT, UPDATE, DELETE ON mspbackups_config TO ic_app;

-- Down Migration
DROP TABLE IF EXISTS mspbackups_config;
