-- Up Migration

-- Files vendors fetch themselves (issue 15): Syncro's attach_file_url takes a URL and downloads
-- it, so the server serves each rendered report at a signed, single-use URL that expires 15
-- minutes after it was made. The row holds the file (every instance can serve it) and a hash of
-- the token's random part, never the token. The token carries the partner id under its HMAC, so
-- the public route claims the row inside that partner's scope and row-level security applies.
-- The first fetch claims the row (used_at) and empties the body; a second one, or any after
-- expires_at, is refused. Expired rows are pruned by the partner's next publish or fetch.
CREATE TABLE published_files (
  id           bigint GENERATED ALWAYS AS IDENTITY,
  partner_id   bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  token_hash   bytea NOT NULL CHECK (length(token_hash) = 32),
  filename     text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (length(content_type) BETWEEN 1 AND 200),
  bytes        integer NOT NULL CHECK (bytes BETWEEN 0 AND 10485760),
  body         bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (partner_id, id),
  UNIQUE (partner_id, token_hash),
  CHECK (expires_at > created_at)
);
CREATE INDEX published_files_expiry_idx ON published_files (partner_id, expires_at);

ALTER TABLE published_files ENABLE ROW LEVEL SECURITY;
-- Own partner only: the dev partner has no reason to read another partner's reports.
CREATE POLICY own_partner ON published_files
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT, INSERT, UPDATE, DELETE ON published_files TO ic_app;

-- Down Migration

DROP TABLE IF EXISTS published_files;
