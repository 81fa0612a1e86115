-- Up Migration

-- OPTIONAL, NOT APPLIED BY DEFAULT: node-pg-migrate reads files of migrations/ only, not of its
-- sub-folders. `npm run cli -- msp360-drop-legacy --confirm` applies this file (recorded in its
-- own table, pgmigrations_optional) after checking that every partner reads the generic store
-- and that the two stores agree; see docs/msp360-migration.md. Take a dump of the table first:
-- the down migration below brings the table back, not its rows.
DROP TABLE mspbackups_config;

-- Down Migration

-- The legacy table as 20261122005000_mspbackups_config.sql made it, empty. Restore its rows
-- from the dump, or run `npm run cli -- msp360-migrate`, which copies every MSP360
-- configuration of the generic store back into it.
CREATE TABLE mspbackups_config (
  partner_id   bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  api_login    text NOT NULL DEFAULT '' CHECK (length(api_login) <= 200),
  api_password text,
  enabled      boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mspbackups_config_pkey PRIMARY KEY (partner_id)
);
ALTER TABLE mspbackups_config ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON mspbackups_config
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT, INSERT, UPDATE, DELETE ON mspbackups_config TO ic_app;
