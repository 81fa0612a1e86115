-- Up Migration

-- One sample ciphertext per key id of ENCRYPTION_KEYS, written by the first instance that boots
-- with that key. An instance whose key of the same id has a different value (a typo, a stale
-- secret store) cannot decrypt the sample and refuses to start, before it writes anything that
-- the other instances could not read. A global table: keys belong to the deployment, not to a
-- partner, so ic_app gets no grant; only boot and the CLI (connecting role) use it.
CREATE TABLE encryption_key_checks (
  kid        text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9_-]{1,32}$'),
  sample     jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS encryption_key_checks;
