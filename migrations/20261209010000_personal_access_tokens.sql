-- Up Migration

-- Issue 25. Personal access tokens: what an AI assistant (an MCP client) presents at /mcp. A token
-- is its user's, inside the user's partner, with at most the user's role (read-write only for
-- partner admins), optionally narrowed to a list of action ids. Only the sha256 of the token is
-- kept (tokens are 32 random bytes: a slow hash adds nothing against guessing); the prefix is
-- what the desktop lists it by. Rows are never deleted by the application: a revoked token keeps
-- its row (who made it, when, who revoked it), which is its audit trail.
CREATE TABLE personal_access_tokens (
  id              bigint GENERATED ALWAYS AS IDENTITY,
  partner_id      bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Unique across partners: like an inbound URL's id, it names one token before any partner is known.
  token_hash      text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  token_prefix    text NOT NULL CHECK (token_prefix ~ '^icp_[A-Za-z0-9_-]{6}$'),
  mode            text NOT NULL CHECK (mode IN ('read_only', 'read_write')),
  -- null: every action the user may run; else only these ids.
  allowed_actions text[] CHECK (allowed_actions IS NULL OR cardinality(allowed_actions) BETWEEN 1 AND 100),
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz,
  revoked_at      timestamptz,
  revoked_by      bigint REFERENCES users (id) ON DELETE SET NULL,
  CHECK (expires_at > created_at),
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX personal_access_tokens_list_idx ON personal_access_tokens (partner_id, user_id, created_at DESC);

ALTER TABLE personal_access_tokens ENABLE ROW LEVEL SECURITY;
-- A partner's own only, not even the dev partner reads another's.
CREATE POLICY own_partner ON personal_access_tokens
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT, INSERT, UPDATE ON personal_access_tokens TO ic_app;

-- The interaction log names the token of calls made through an assistant (the Activity tab's
-- "Through AI assistants" filter). No foreign key: the log is append-only and tokens are never deleted.
ALTER TABLE interaction_log ADD COLUMN access_token_id bigint;
CREATE INDEX interaction_log_assistant_idx ON interaction_log (partner_id, integration_key, at DESC, id DESC) WHERE access_token_id IS NOT NULL;

-- A side-effectful call through an assistant is audited on its integration ('assistant_action',
-- naming the user and the token). The action list is extended rather than restated, as in
-- 20261208030000_inbound_webhooks.sql.
DO $$
DECLARE
  def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'integration_audit_logs'::regclass AND conname = 'integration_audit_logs_action_check';
  ALTER TABLE integration_audit_logs DROP CONSTRAINT integration_audit_logs_action_check;
  EXECUTE format('ALTER TABLE integration_audit_logs ADD CONSTRAINT integration_audit_logs_action_check CHECK (%s OR action = %L)',
                 substring(def FROM 7), 'assistant_action');
END
$$;

-- Down Migration

DELETE FROM integration_audit_logs WHERE action = 'assistant_action';
DROP INDEX IF EXISTS interaction_log_assistant_idx;
ALTER TABLE interaction_log DROP COLUMN IF EXISTS access_token_id;
DROP TABLE IF EXISTS personal_access_tokens;
