-- Up Migration

-- Issue 18 §3. Each partner's data key (envelope encryption): 32 random bytes that encrypt the
-- partner's secrets, stored only wrapped (AES-256-GCM under the ENCRYPTION_KEYS key named by
-- kid, AAD = the partner id), never in the clear. Rotating the ring rewraps these rows and
-- leaves the secrets alone; offboarding deletes the partner's row, after which its secrets,
-- here or in any copy, need a retired ring key to be read (docs/secrets.md). Removing the
-- partner removes its key.
CREATE TABLE partner_data_keys (
  partner_id   bigint PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
  kid          text NOT NULL,
  wrapped_key  bytea NOT NULL CHECK (octet_length(wrapped_key) = 60), -- nonce 12 + key 32 + tag 16
  created_at   timestamptz NOT NULL DEFAULT now(),
  rewrapped_at timestamptz
);
-- Rotation walks the rows not yet under the newest ring key.
CREATE INDEX partner_data_keys_kid_idx ON partner_data_keys (kid);

-- The keys are read and written by the server's system work (boot, rotation, offboarding), but a
-- partner-scoped transaction sees at most its own row, like every partner table.
ALTER TABLE partner_data_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON partner_data_keys
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT ON partner_data_keys TO ic_app;

-- Down Migration

DROP TABLE IF EXISTS partner_data_keys;
