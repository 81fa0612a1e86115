-- Up Migration

-- An edit of the settings (a new version) resets the status to Configured: the new settings have
-- not been checked. Their first check should come soon, not whenever the old settings' schedule
-- (up to an hour of backoff for a failing integration) says.
--
-- A trigger rather than a call in each writer, for the same reason new configurations are
-- scheduled by one (20261122006000): every path that edits settings (the API, sync pushes, the
-- MSPBackups page and its data migration, future bulk loads) bumps `version`, and the trigger runs
-- in that same transaction without any of them knowing about the scheduler. The version is the
-- one source of truth for "the settings changed": a key rotation rewrites `settings` without
-- bumping it (same values), and health results never touch it, so neither reschedules anything.

-- When a configuration whose settings just changed is checked: soon, spread over 5–60 s so a
-- bulk edit (a sync push of many, a migration) does not fall due at one instant. Also used by the
-- scheduler when a check it was running turns out to be for settings edited meanwhile.
CREATE FUNCTION ic_settings_changed_check_at() RETURNS timestamptz
  LANGUAGE sql VOLATILE
  AS $$ SELECT now() + make_interval(secs => 5 + random() * 55) $$;

-- A row leased by a running check is left alone: that check will find the version changed, drop
-- its result as stale and reschedule soon itself (ic_settings_changed_check_at); moving a leased
-- row's due time would shorten the lease and let another instance check the row meanwhile. An
-- earlier due time is kept. NULL (not placed yet) becomes soon.
CREATE FUNCTION ic_schedule_edited_configuration() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    UPDATE integration_health_schedule
       SET next_check_at = LEAST(coalesce(next_check_at, 'infinity'), ic_settings_changed_check_at())
     WHERE partner_id = NEW.partner_id AND integration_key = NEW.integration_key AND lease_id IS NULL;
    RETURN NULL;
  END
  $$;
CREATE TRIGGER integration_configurations_schedule_edit
  AFTER UPDATE OF version ON integration_configurations
  FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM OLD.version)
  EXECUTE FUNCTION ic_schedule_edited_configuration();

-- Down Migration

DROP TRIGGER IF EXISTS integration_configurations_schedule_edit ON integration_configurations;
DROP FUNCTION IF EXISTS ic_schedule_edited_configuration();
DROP FUNCTION IF EXISTS ic_settings_changed_check_at();
