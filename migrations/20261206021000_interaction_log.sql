-- Up Migration

-- The interaction log (issue 15): one row per outbound vendor call the server makes (health
-- checks, discovery, actions, token refreshes), and room for inbound webhooks later (issue 18).
-- Bodies are stored only after allow-list redaction and an 8 KB cap (server/services/interactions).
-- Partner-scoped like every partner table; the dev partner reads all, read only.
CREATE TABLE interaction_log (
  id                 bigint GENERATED ALWAYS AS IDENTITY,
  partner_id         bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  integration_key    text NOT NULL CHECK (integration_key ~ '^[a-z][a-z0-9_-]{0,63}$'),
  -- The action id (`syncro.tickets.comment`), or `health` / `discovery` / `token`.
  action_id          text NOT NULL CHECK (length(action_id) BETWEEN 1 AND 100),
  kind               text NOT NULL CHECK (kind IN ('health', 'discovery', 'action', 'token', 'webhook')),
  direction          text NOT NULL DEFAULT 'outbound' CHECK (direction IN ('outbound', 'inbound')),
  -- What the call belongs to on our side, e.g. `action_run:42`.
  external_ref       text CHECK (length(external_ref) <= 500),
  method             text NOT NULL CHECK (length(method) <= 10),
  -- The URL path only: a query string can carry a credential (Syncro's api_key).
  path               text NOT NULL CHECK (length(path) <= 2000),
  host               text NOT NULL CHECK (length(host) <= 300),
  status             integer,
  duration_ms        integer NOT NULL CHECK (duration_ms >= 0),
  retries            integer NOT NULL DEFAULT 0 CHECK (retries >= 0),
  outcome            text NOT NULL CHECK (outcome IN ('ok', 'vendor_error', 'failed')),
  error_kind         text CHECK (length(error_kind) <= 50),
  user_id            bigint REFERENCES users (id) ON DELETE SET NULL,
  request_body       jsonb,
  response_body      jsonb,
  request_truncated  boolean NOT NULL DEFAULT false,
  response_truncated boolean NOT NULL DEFAULT false,
  at                 timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id)
);
-- The Activity tab: newest first per integration (keyset on at, id), optionally by action or
-- failures only; the prune walks `at`.
CREATE INDEX interaction_log_list_idx ON interaction_log (partner_id, integration_key, at DESC, id DESC);
CREATE INDEX interaction_log_action_idx ON interaction_log (partner_id, integration_key, action_id, at DESC, id DESC);
CREATE INDEX interaction_log_failed_idx ON interaction_log (partner_id, integration_key, at DESC, id DESC) WHERE outcome <> 'ok';
CREATE INDEX interaction_log_at_idx ON interaction_log (at);

ALTER TABLE interaction_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON interaction_log
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON interaction_log FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

-- Append-only for the application; the scheduled prune runs with the connecting role.
GRANT SELECT, INSERT ON interaction_log TO ic_app;

-- Down Migration

DROP TABLE IF EXISTS interaction_log;
