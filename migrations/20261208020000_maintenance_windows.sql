-- Up Migration

-- Issue 18 §4. Maintenance windows: for one integration or partner-wide, checks keep running and
-- history keeps recording, but the alerts raised meanwhile are held (kept, never sent). When the
-- window is over a release step compares each affected integration's state with its state
-- before the window and, if it differs, raises one alert for the current state.
--
-- integration_key NULL means every integration of the partner. Overlapping windows of one
-- partner (same integration, or either one partner-wide) are refused by the service, under a
-- per-partner advisory lock, so every held alert belongs to exactly one window.
CREATE TABLE maintenance_windows (
  id              bigint GENERATED ALWAYS AS IDENTITY,
  partner_id      bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  integration_key text,
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
  actor           text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- Set by "End now" (ends_at is moved to that moment too).
  ended_early_at  timestamptz,
  -- Set once, by the one transaction that released the window (conditional UPDATE … WHERE
  -- released_at IS NULL): alerts are held until then, and the release alert goes out once.
  released_at     timestamptz,
  PRIMARY KEY (partner_id, id),
  CHECK (ends_at > starts_at),
  -- Removing the configuration removes its windows (a partner-wide one has no key to follow).
  FOREIGN KEY (partner_id, integration_key) REFERENCES integration_configurations (partner_id, integration_key) ON DELETE CASCADE
);
-- The release step looks for windows over and not released, across partners.
CREATE INDEX maintenance_windows_release_idx ON maintenance_windows (ends_at) WHERE released_at IS NULL;
CREATE INDEX maintenance_windows_partner_idx ON maintenance_windows (partner_id, starts_at);

-- The state an integration was in before its first held alert of a window: written by the
-- check that raised that alert, under the configuration's row lock, so it is the state at the
-- window's start. Integrations without a row had no transition during the window: nothing to release.
CREATE TABLE maintenance_baselines (
  partner_id      bigint NOT NULL,
  window_id       bigint NOT NULL,
  integration_key text NOT NULL,
  before_status   text NOT NULL,
  before_health   text NOT NULL,
  PRIMARY KEY (partner_id, window_id, integration_key),
  FOREIGN KEY (partner_id, window_id) REFERENCES maintenance_windows (partner_id, id) ON DELETE CASCADE
);

-- An alert raised during a window records which window held it (it is never sent: delivery
-- 'none'); the alert raised at a window's end records which window it releases.
ALTER TABLE integration_alerts ADD COLUMN held_by bigint;
ALTER TABLE integration_alerts ADD COLUMN released_by bigint;

ALTER TABLE maintenance_windows ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_baselines ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON maintenance_windows
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
-- The dev fleet view shows which integrations are in maintenance.
CREATE POLICY dev_reads_all ON maintenance_windows FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));
CREATE POLICY own_partner ON maintenance_baselines
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT, INSERT, UPDATE, DELETE ON maintenance_windows TO ic_app;
GRANT SELECT, INSERT ON maintenance_baselines TO ic_app;

-- Scheduling and ending (or cancelling) a window are audited on each integration it covers.
DO $$
DECLARE
  def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'integration_audit_logs'::regclass AND conname = 'integration_audit_logs_action_check';
  ALTER TABLE integration_audit_logs DROP CONSTRAINT integration_audit_logs_action_check;
  EXECUTE format('ALTER TABLE integration_audit_logs ADD CONSTRAINT integration_audit_logs_action_check CHECK (%s OR action IN (%L, %L))',
                 substring(def FROM 7), 'maintenance_scheduled', 'maintenance_ended');
END
$$;

-- Down Migration

DELETE FROM integration_audit_logs WHERE action IN ('maintenance_scheduled', 'maintenance_ended');
ALTER TABLE integration_alerts DROP COLUMN IF EXISTS released_by;
ALTER TABLE integration_alerts DROP COLUMN IF EXISTS held_by;
DROP TABLE IF EXISTS maintenance_baselines;
DROP TABLE IF EXISTS maintenance_windows;
