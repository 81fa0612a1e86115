-- Up Migration

-- Issue 15. The exactly-once record of side-effectful action runs and the links from a client to
-- tickets at a vendor. Partner-scoped like every partner table (partner_id leads every key; RLS
-- confines ic_app to its partner, the dev partner reads all).

-- Links from a client to an external ticket (the specification's ticket_links): one per client,
-- integration, ticket and link type. Number, subject and status are the vendor's as last read.
CREATE TABLE ticket_links (
  id              bigint GENERATED ALWAYS AS IDENTITY,
  partner_id      bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  client_id       bigint NOT NULL,
  integration_key text NOT NULL CHECK (integration_key ~ '^[a-z][a-z0-9_-]{0,63}$'),
  ticket_id       text NOT NULL CHECK (length(ticket_id) BETWEEN 1 AND 200),
  number          text CHECK (length(number) <= 100),
  subject         text CHECK (length(subject) <= 1000),
  status          text CHECK (length(status) <= 100),
  url             text CHECK (length(url) <= 2000),
  link_type       text NOT NULL CHECK (link_type IN ('related', 'resolves', 'documents', 'caused_by')),
  created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  refreshed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, id),
  CONSTRAINT ticket_links_once UNIQUE (partner_id, client_id, integration_key, ticket_id, link_type),
  FOREIGN KEY (partner_id, client_id) REFERENCES clients (partner_id, id) ON DELETE CASCADE
);

-- One row per idempotency key and partner: claimed with INSERT … ON CONFLICT DO NOTHING before
-- the vendor is called, so a second caller (another request, another instance, after a restart)
-- finds it and never calls the vendor again. `lease_until`: while it is in the future a running
-- row is "in progress"; past it the instance that claimed it died and the outcome is unknown.
CREATE TABLE action_runs (
  id              bigint GENERATED ALWAYS AS IDENTITY,
  partner_id      bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 200),
  action_id       text NOT NULL CHECK (length(action_id) <= 120),
  integration_key text NOT NULL,
  -- sha256 (hex) of the canonical JSON of the parsed input: a reused key with other input is refused.
  input_hash      text NOT NULL CHECK (input_hash ~ '^[0-9a-f]{64}$'),
  status          text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  output          jsonb,
  error           jsonb,
  ticket_link_id  bigint,
  user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  lease_until     timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id),
  CONSTRAINT action_runs_key UNIQUE (partner_id, idempotency_key),
  CHECK ((status = 'running') = (finished_at IS NULL))
);
-- The pruning job's scan.
CREATE INDEX action_runs_expires_idx ON action_runs (expires_at);

ALTER TABLE ticket_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE action_runs ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_partner ON ticket_links
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON ticket_links FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

-- Runs are the partner's own business: not even the dev partner reads another partner's.
CREATE POLICY own_partner ON action_runs
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));

GRANT SELECT, INSERT, UPDATE, DELETE ON ticket_links TO ic_app;
-- Expired runs are deleted by the pruning job (the owner connection), never by a request.
GRANT SELECT, INSERT, UPDATE ON action_runs TO ic_app;

-- Down Migration

DROP TABLE IF EXISTS action_runs;
DROP TABLE IF EXISTS ticket_links;
