-- Up Migration

-- Issue 18 §5. Inbound webhooks: per partner integration, one URL (an opaque random id, never
-- the partner id) with a signing secret, and the deliveries it received. Partner-scoped like every
-- partner table; the one cross-partner read (which endpoint an incoming URL names, before any
-- partner is known) runs as the connecting role.

-- The secret is AES-256-GCM under the ENCRYPTION_KEYS ring with its partner and integration bound
-- in as AAD (server/services/inboundWebhooks/secret.ts), rotated by `rotate-key` like the rest.
CREATE TABLE inbound_endpoints (
  partner_id       bigint NOT NULL,
  integration_key  text NOT NULL,
  -- 32 random bytes, base64url: the URL's only handle, unguessable and unique across partners.
  endpoint_id      text NOT NULL UNIQUE CHECK (endpoint_id ~ '^[A-Za-z0-9_-]{43}$'),
  secret           jsonb NOT NULL,
  created_by       bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  rotated_at       timestamptz,
  PRIMARY KEY (partner_id, integration_key),
  -- Removing the configuration removes its URL (and, below, its deliveries).
  FOREIGN KEY (partner_id, integration_key) REFERENCES integration_configurations (partner_id, integration_key) ON DELETE CASCADE
);

-- One row per accepted delivery, stored before the 202 is sent. received: waiting for (or
-- between) processing attempts; processed: done; dead: the last retry failed, waiting for an
-- admin's replay. The body is kept as received (at most 256 KiB: the route's cap) because the
-- processing job reads it; job rows carry ids only.
CREATE TABLE inbound_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY,
  partner_id       bigint NOT NULL,
  integration_key  text NOT NULL,
  -- The sender's X-IC-Delivery-Id: a second delivery with the same id is a replay (409).
  delivery_id      text NOT NULL CHECK (delivery_id ~ '^[A-Za-z0-9._:-]{1,100}$'),
  -- The X-IC-Signature it came with: the delivery id is not signed, so a captured delivery
  -- replayed inside the 5-minute window under a fresh id is caught by its signature instead.
  signature        text NOT NULL CHECK (signature ~ '^sha256=[0-9a-f]{64}$'),
  signed_at        timestamptz NOT NULL,
  body             text NOT NULL CHECK (octet_length(body) <= 262144),
  status           text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'dead')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error       text CHECK (length(last_error) <= 500),
  received_at      timestamptz NOT NULL DEFAULT now(),
  processed_at     timestamptz,
  replayed_by      bigint REFERENCES users (id) ON DELETE SET NULL,
  replayed_at      timestamptz,
  PRIMARY KEY (partner_id, id),
  UNIQUE (partner_id, integration_key, delivery_id),
  UNIQUE (partner_id, integration_key, signature),
  FOREIGN KEY (partner_id, integration_key) REFERENCES inbound_endpoints (partner_id, integration_key) ON DELETE CASCADE
);
-- The admin's list: newest first per integration (keyset on received_at, id), optionally by status.
CREATE INDEX inbound_deliveries_list_idx ON inbound_deliveries (partner_id, integration_key, received_at DESC, id DESC);

ALTER TABLE inbound_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbound_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON inbound_endpoints
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY own_partner ON inbound_deliveries
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT, INSERT, UPDATE, DELETE ON inbound_endpoints TO ic_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON inbound_deliveries TO ic_app;

-- Creating, rotating and deleting the URL and replaying a dead delivery are audited. The action
-- list is extended rather than restated, as in 20261207010000_oauth_connections.sql.
DO $$
DECLARE
  def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'integration_audit_logs'::regclass AND conname = 'integration_audit_logs_action_check';
  ALTER TABLE integration_audit_logs DROP CONSTRAINT integration_audit_logs_action_check;
  EXECUTE format('ALTER TABLE integration_audit_logs ADD CONSTRAINT integration_audit_logs_action_check CHECK (%s OR action IN (%L, %L, %L, %L))',
                 substring(def FROM 7), 'inbound_created', 'inbound_rotated', 'inbound_deleted', 'inbound_replayed');
END
$$;

-- Down Migration

DELETE FROM integration_audit_logs WHERE action IN ('inbound_created', 'inbound_rotated', 'inbound_deleted', 'inbound_replayed');

DROP TABLE IF EXISTS inbound_deliveries;
DROP TABLE IF EXISTS inbound_endpoints;
