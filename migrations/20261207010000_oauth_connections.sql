-- Up Migration

-- Issue 16. OAuth2 connections and the sign-ins waiting for their code. Partner-scoped like every
-- partner table (partner_id leads every key; RLS confines ic_app to its partner).

-- One row per partner, integration and external organization ('' for the integration's own
-- connection; Microsoft 365 will keep one per customer tenant). Tokens are AES-256-GCM under the
-- ENCRYPTION_KEYS ring with the row's place bound in as AAD, like configuration secrets. The row
-- is also the lock: a token is requested or refreshed only while holding it FOR UPDATE, so
-- concurrent calls on every instance wait for one request and then reuse its token.
CREATE TABLE oauth_connections (
  partner_id        bigint NOT NULL,
  integration_key   text NOT NULL,
  organization_key  text NOT NULL DEFAULT '' CHECK (length(organization_key) <= 200),
  grant_kind        text NOT NULL CHECK (grant_kind IN ('oauth2ClientCredentials', 'oauth2AuthorizationCode')),
  -- connected: usable; reconnect_needed: the vendor refused a refresh, the next use tries once
  -- more; disconnected: refused repeatedly, nothing is asked until the partner connects again.
  status            text NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'reconnect_needed', 'disconnected')),
  access_token      jsonb,
  refresh_token     jsonb,
  expires_at        timestamptz,
  scopes_requested  text[] NOT NULL DEFAULT '{}',
  scopes_granted    text[] NOT NULL DEFAULT '{}',
  -- Which client and endpoint the tokens were issued to (sha256 of grant kind, token URL, client
  -- id, client secret and scopes): after a settings change the old tokens are never used.
  fingerprint       text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  refusals          integer NOT NULL DEFAULT 0 CHECK (refusals >= 0),
  last_error        text CHECK (length(last_error) <= 500),
  connected_at      timestamptz,
  refreshed_at      timestamptz,
  connected_by      bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, integration_key, organization_key),
  -- Removing the configuration removes its tokens.
  FOREIGN KEY (partner_id, integration_key) REFERENCES integration_configurations (partner_id, integration_key) ON DELETE CASCADE
);

-- A desktop sign-in between "Connect" and the code's return: the state (stored as its sha256),
-- the loopback redirect it must come back to and the PKCE challenge. Used once (DELETE …
-- RETURNING), expires after ten minutes.
CREATE TABLE oauth_pending (
  partner_id        bigint NOT NULL,
  state_hash        text NOT NULL CHECK (state_hash ~ '^[0-9a-f]{64}$'),
  integration_key   text NOT NULL,
  organization_key  text NOT NULL DEFAULT '',
  user_id           bigint REFERENCES users (id) ON DELETE CASCADE,
  redirect_uri      text NOT NULL CHECK (length(redirect_uri) <= 200),
  code_challenge    text NOT NULL CHECK (code_challenge ~ '^[A-Za-z0-9_-]{43}$'),
  scopes_requested  text[] NOT NULL DEFAULT '{}',
  fingerprint       text NOT NULL,
  expires_at        timestamptz NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, state_hash),
  FOREIGN KEY (partner_id, integration_key) REFERENCES integration_configurations (partner_id, integration_key) ON DELETE CASCADE
);

ALTER TABLE oauth_connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE oauth_pending ENABLE ROW LEVEL SECURITY;

-- Tokens are the partner's own: not even the dev partner reads another partner's.
CREATE POLICY own_partner ON oauth_connections
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY own_partner ON oauth_pending
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));

GRANT SELECT, INSERT, UPDATE, DELETE ON oauth_connections TO ic_app;
GRANT SELECT, INSERT, DELETE ON oauth_pending TO ic_app;

-- A sign-in ('connected', with the scopes granted) and a disconnection are audited. The action
-- list is extended rather than restated, as in 20261205011000_org_snapshots.sql.
DO $$
DECLARE
  def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'integration_audit_logs'::regclass AND conname = 'integration_audit_logs_action_check';
  ALTER TABLE integration_audit_logs DROP CONSTRAINT integration_audit_logs_action_check;
  EXECUTE format('ALTER TABLE integration_audit_logs ADD CONSTRAINT integration_audit_logs_action_check CHECK (%s OR action IN (%L, %L))',
                 substring(def FROM 7), 'connected', 'disconnected');
END
$$;

-- Down Migration

DELETE FROM integration_audit_logs WHERE action IN ('connected', 'disconnected');

DROP TABLE IF EXISTS oauth_pending;
DROP TABLE IF EXISTS oauth_connections;
