-- Up Migration

-- Health monitoring (SPEC-005): when each configuration is checked next, who holds it now, what
-- every check found, the alerts raised on status transitions, and each partner's outgoing
-- webhook. Every table is a partner table: partner_id leads every key, row-level security and
-- grants as in the foundation migration.

-- The schedule lives beside integration_configurations rather than in it: a claim is written on
-- every check, and an UPDATE of integration_configurations bumps the partner's sync version (the
-- desktop would re-pull the row for every lease taken and released), takes the row lock that
-- edits need, and rewrites a row that carries the settings JSONB.
--
-- One column carries both the due time and the lease: claiming sets next_check_at to the lease's
-- end, so work whose instance died becomes due again by itself, and "due" is a single index range.
-- NULL means "new, not placed yet": the scheduler places it at a random point of the interval
-- (only the application knows HEALTH_CHECK_INTERVAL), so a bulk import does not all fall due at once.
CREATE TABLE integration_health_schedule (
  partner_id      bigint NOT NULL,
  integration_key text NOT NULL,
  next_check_at   timestamptz,
  lease_id        uuid,
  lease_owner     text,
  claimed_at      timestamptz,
  PRIMARY KEY (partner_id, integration_key),
  FOREIGN KEY (partner_id, integration_key)
    REFERENCES integration_configurations (partner_id, integration_key) ON DELETE CASCADE
);
CREATE INDEX integration_health_schedule_due_idx ON integration_health_schedule (next_check_at);
CREATE INDEX integration_health_schedule_unplaced_idx ON integration_health_schedule (partner_id)
  WHERE next_check_at IS NULL;

-- Every path that creates a configuration (catalog, sync push, legacy migration, bulk loads) gets
-- it scheduled without knowing about the scheduler.
CREATE FUNCTION ic_schedule_new_configuration() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO integration_health_schedule (partner_id, integration_key)
    VALUES (NEW.partner_id, NEW.integration_key)
    ON CONFLICT (partner_id, integration_key) DO NOTHING;
    RETURN NULL;
  END
  $$;
CREATE TRIGGER integration_configurations_schedule
  AFTER INSERT ON integration_configurations
  FOR EACH ROW EXECUTE FUNCTION ic_schedule_new_configuration();

INSERT INTO integration_health_schedule (partner_id, integration_key)
  SELECT partner_id, integration_key FROM integration_configurations
  ON CONFLICT DO NOTHING;

-- One row per recorded check (scheduled or asked for), for uptime and sparklines. Pruned after
-- the retention period by the scheduler in small batches (BRIN: rows arrive in time order).
CREATE TABLE integration_health_history (
  id              bigint GENERATED ALWAYS AS IDENTITY,
  partner_id      bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  integration_key text NOT NULL,
  checked_at      timestamptz NOT NULL,
  health          text NOT NULL CHECK (health IN ('ok', 'degraded', 'error')),
  status          text NOT NULL CHECK (status IN ('Active', 'Error')),
  message         text,
  -- 'scheduled' or 'tested' (someone asked).
  source          text NOT NULL DEFAULT 'scheduled' CHECK (source IN ('scheduled', 'tested')),
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX integration_health_history_key_idx
  ON integration_health_history (partner_id, integration_key, checked_at);
CREATE INDEX integration_health_history_age_idx ON integration_health_history USING brin (checked_at);

-- Alerts: one per status transition, with the state of its webhook delivery. Delivery uses the
-- same lease trick as the schedule: claiming pushes next_delivery_at past the attempt.
CREATE TABLE integration_alerts (
  id                bigint GENERATED ALWAYS AS IDENTITY,
  partner_id        bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  integration_key   text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('failure', 'degraded', 'recovery', 'activated')),
  from_status       text NOT NULL,
  to_status         text NOT NULL,
  health            text NOT NULL CHECK (health IN ('ok', 'degraded', 'error')),
  message           text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- none: no webhook when raised; pending: to send; delivered; failed: gave up after the retries.
  delivery_state    text NOT NULL DEFAULT 'none' CHECK (delivery_state IN ('none', 'pending', 'delivered', 'failed')),
  delivery_attempts integer NOT NULL DEFAULT 0,
  next_delivery_at  timestamptz,
  delivered_at      timestamptz,
  last_delivery_error text,
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX integration_alerts_page_idx ON integration_alerts (partner_id, id DESC);
CREATE INDEX integration_alerts_key_idx ON integration_alerts (partner_id, integration_key, id DESC);
CREATE INDEX integration_alerts_delivery_idx ON integration_alerts (next_delivery_at)
  WHERE delivery_state = 'pending';

-- One outgoing webhook per partner. The secret is a StoredSecret (AES-256-GCM under the
-- ENCRYPTION_KEYS ring, see docs/secrets.md), never returned: reads show {isSet, last4}.
CREATE TABLE partner_webhooks (
  partner_id bigint PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
  url        text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
  secret     jsonb NOT NULL,
  enabled    boolean NOT NULL DEFAULT true,
  version    integer NOT NULL DEFAULT 1,
  updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE integration_health_schedule ENABLE ROW LEVEL SECURITY;
ALTER TABLE integration_health_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE integration_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_webhooks ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_partner ON integration_health_schedule
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));

CREATE POLICY own_partner ON integration_health_history
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON integration_health_history FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

CREATE POLICY own_partner ON integration_alerts
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON integration_alerts FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

-- Where a partner's alerts go is that partner's business only (not even the dev partner reads it).
CREATE POLICY own_partner ON partner_webhooks
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));

GRANT SELECT, INSERT, UPDATE ON integration_health_schedule TO ic_app;
GRANT SELECT, INSERT ON integration_health_history TO ic_app;
GRANT SELECT, INSERT ON integration_alerts TO ic_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON partner_webhooks TO ic_app;

-- Down Migration
DROP TABLE IF EXISTS partner_webhooks, integration_alerts, integration_health_history, integration_health_schedule;
DROP TRIGGER IF EXISTS integration_configurations_schedule ON integration_configurations;
DROP FUNCTION IF EXISTS ic_schedule_new_configuration();
