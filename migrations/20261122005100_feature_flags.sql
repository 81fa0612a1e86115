-- Up Migration

-- Feature flags: a global value per flag, and per-partner overrides that win over it. A flag
-- with neither falls back to the server's default (FEATURE_INTEGRATION_CENTER for
-- "integration-center", off for "msp360.read_from_new"). Operators set them with
-- `npm run cli -- flag …`; the application only reads them.

-- Global values belong to the deployment (a reference table when distributed by partner).
CREATE TABLE feature_flags (
  flag       text PRIMARY KEY CHECK (flag ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  enabled    boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE partner_feature_flags (
  partner_id bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  flag       text NOT NULL CHECK (flag ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  enabled    boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, flag)
);

ALTER TABLE partner_feature_flags ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON partner_feature_flags
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));

-- Read-only for the application role: flags change through the CLI (connecting role).
GRANT SELECT ON feature_flags TO ic_app;
GRANT SELECT ON partner_feature_flags TO ic_app;

-- Down Migration
DROP TABLE IF EXISTS partner_feature_flags, feature_flags;
