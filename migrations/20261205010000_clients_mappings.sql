-- Up Migration

-- Clients (ADR-001: Dev -> Partner -> Client) and the links from a client to the external
-- organizations of an integration. Partner-scoped like every partner table: partner_id leads
-- every key and row-level security confines ic_app to its partner (the dev partner reads all).
CREATE TABLE clients (
  id         bigint GENERATED ALWAYS AS IDENTITY,
  partner_id bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  archived   boolean NOT NULL DEFAULT false,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, id)
);
-- One live client per name and partner, whatever the case; an archived one frees its name.
CREATE UNIQUE INDEX clients_live_name_key ON clients (partner_id, lower(name)) WHERE NOT archived;

-- An external organization maps to at most one client of a partner (the unique key); a client
-- may hold several organizations of one integration (several Microsoft 365 tenants).
CREATE TABLE integration_mappings (
  id                bigint GENERATED ALWAYS AS IDENTITY,
  partner_id        bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  client_id         bigint NOT NULL,
  integration_key   text NOT NULL CHECK (integration_key ~ '^[a-z][a-z0-9_-]{0,63}$'),
  external_org_id   text NOT NULL CHECK (length(external_org_id) BETWEEN 1 AND 200),
  -- The organization's name as seen when mapped: what the UI shows if the vendor renames it.
  external_org_name text NOT NULL CHECK (length(external_org_name) <= 500),
  created_by        bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, id),
  CONSTRAINT integration_mappings_org_key UNIQUE (partner_id, integration_key, external_org_id),
  FOREIGN KEY (partner_id, client_id) REFERENCES clients (partner_id, id) ON DELETE CASCADE
);
-- getMappings(partner, client, key) and the per-client listing.
CREATE INDEX integration_mappings_client_idx ON integration_mappings (partner_id, client_id, integration_key);

-- Who changed a client or a mapping, with before/after. Its own table: integration_audit_logs
-- is keyed by integration, has a closed action list and is what the desktop syncs per
-- integration; a client belongs to no integration.
CREATE TABLE client_audit_logs (
  id              bigint GENERATED ALWAYS AS IDENTITY,
  partner_id      bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  client_id       bigint,
  integration_key text,
  action          text NOT NULL CHECK (action IN
                    ('client_created', 'client_renamed', 'client_archived', 'mapping_created', 'mapping_deleted')),
  user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
  actor           text NOT NULL,
  before          jsonb,
  after           jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX client_audit_logs_client_idx ON client_audit_logs (partner_id, client_id, id DESC);

ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE integration_mappings ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_audit_logs ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_partner ON clients
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON clients FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

CREATE POLICY own_partner ON integration_mappings
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON integration_mappings FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

CREATE POLICY own_partner ON client_audit_logs
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON client_audit_logs FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

-- Clients are archived, never deleted by the application; the audit trail is append-only.
GRANT SELECT, INSERT, UPDATE ON clients TO ic_app;
GRANT SELECT, INSERT, DELETE ON integration_mappings TO ic_app;
GRANT SELECT, INSERT ON client_audit_logs TO ic_app;

-- Down Migration

DROP TABLE IF EXISTS client_audit_logs;
DROP TABLE IF EXISTS integration_mappings;
DROP TABLE IF EXISTS clients;
