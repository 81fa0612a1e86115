-- Up Migration

-- Issue 23. Automations: a trigger and an ordered list of steps (each one action), per partner.
-- The definition (trigger + steps) is JSONB checked by the service against shared/automations.ts
-- and type-checked against each action's schemas before it is stored. `version` is the
-- optimistic-concurrency token (a save names the version it started from) and every saved
-- version is kept in automation_versions, which is also the automation's audit trail.
CREATE TABLE automations (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  partner_id    bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  enabled       boolean NOT NULL DEFAULT false,
  trigger       jsonb NOT NULL,
  -- Denormalised from trigger, so the trigger fan-out finds candidates with an index.
  trigger_kind  text NOT NULL CHECK (trigger_kind IN ('health', 'inbound', 'schedule', 'manual')),
  trigger_key   text,
  steps         jsonb NOT NULL,
  concurrency   integer NOT NULL DEFAULT 1 CHECK (concurrency BETWEEN 1 AND 10),
  version       integer NOT NULL DEFAULT 1,
  -- Schedules: the next due time (UTC), claimed by the minute tick with a conditional UPDATE.
  next_run_at   timestamptz,
  created_by    bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_by    bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX automations_trigger_idx ON automations (partner_id, trigger_kind, trigger_key) WHERE enabled;
CREATE INDEX automations_due_idx ON automations (next_run_at) WHERE enabled AND trigger_kind = 'schedule';

-- Every version of an automation as saved (and enable/disable/delete), with who: the audit.
CREATE TABLE automation_versions (
  partner_id    bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  automation_id bigint NOT NULL,
  version       integer NOT NULL,
  change        text NOT NULL CHECK (change IN ('created', 'updated', 'enabled', 'disabled', 'deleted')),
  definition    jsonb NOT NULL,
  actor         text NOT NULL,
  user_id       bigint REFERENCES users (id) ON DELETE SET NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, automation_id, version)
);

-- One run of an automation. Job rows in pg-boss carry only {partnerId, runId}; this row is the
-- state: `next_step` is where a (re)started attempt continues, `job_attempts` counts handler
-- attempts so the one past the limit parks the run as `dead` (the dead-letter list).
CREATE TABLE automation_runs (
  id                 bigint GENERATED ALWAYS AS IDENTITY,
  partner_id         bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  automation_id      bigint NOT NULL,
  automation_version integer NOT NULL,
  trigger_kind       text NOT NULL,
  trigger_data       jsonb NOT NULL,
  status             text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled')),
  next_step          integer NOT NULL DEFAULT 0,
  job_attempts       integer NOT NULL DEFAULT 0,
  lease_until        timestamptz,
  -- The pg-boss job working it: that job's own retry continues the run; any other job leaves it alone.
  job_id             text,
  error              jsonb,
  rerun_of           bigint,
  created_at         timestamptz NOT NULL DEFAULT now(),
  started_at         timestamptz,
  finished_at        timestamptz,
  PRIMARY KEY (partner_id, id),
  FOREIGN KEY (partner_id, automation_id) REFERENCES automations (partner_id, id) ON DELETE CASCADE
);
CREATE INDEX automation_runs_page_idx ON automation_runs (partner_id, id DESC);
CREATE INDEX automation_runs_automation_idx ON automation_runs (partner_id, automation_id, id DESC);
CREATE INDEX automation_runs_live_idx ON automation_runs (partner_id, automation_id) WHERE status IN ('queued', 'running');

-- Each step of a run: rendered input and output (redacted like the interaction log), attempts,
-- outcome, and the action run whose vendor calls the interaction log holds (`action_run:<id>`).
CREATE TABLE automation_run_steps (
  partner_id     bigint NOT NULL,
  run_id         bigint NOT NULL,
  step_index     integer NOT NULL,
  step_name      text NOT NULL,
  action_id      text NOT NULL,
  status         text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
  attempts       integer NOT NULL DEFAULT 0,
  input          jsonb,
  output         jsonb,
  error          jsonb,
  action_run_id  bigint,
  duration_ms    integer,
  started_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz,
  PRIMARY KEY (partner_id, run_id, step_index),
  FOREIGN KEY (partner_id, run_id) REFERENCES automation_runs (partner_id, id) ON DELETE CASCADE
);

ALTER TABLE automations ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation_run_steps ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON automations USING (partner_id = (SELECT ic_current_partner())) WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY own_partner ON automation_versions USING (partner_id = (SELECT ic_current_partner())) WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY own_partner ON automation_runs USING (partner_id = (SELECT ic_current_partner())) WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY own_partner ON automation_run_steps USING (partner_id = (SELECT ic_current_partner())) WITH CHECK (partner_id = (SELECT ic_current_partner()));
-- The dev partner reads any partner's automations and runs, read only.
CREATE POLICY dev_reads_all ON automations FOR SELECT USING ((SELECT ic_current_partner_is_dev()));
CREATE POLICY dev_reads_all ON automation_runs FOR SELECT USING ((SELECT ic_current_partner_is_dev()));
CREATE POLICY dev_reads_all ON automation_run_steps FOR SELECT USING ((SELECT ic_current_partner_is_dev()));
GRANT SELECT, INSERT, UPDATE, DELETE ON automations TO ic_app;
GRANT SELECT, INSERT ON automation_versions TO ic_app;
GRANT SELECT, INSERT, UPDATE ON automation_runs TO ic_app;
GRANT SELECT, INSERT, UPDATE ON automation_run_steps TO ic_app;

-- Down Migration

DROP TABLE IF EXISTS automation_run_steps;
DROP TABLE IF EXISTS automation_runs;
DROP TABLE IF EXISTS automation_versions;
DROP TABLE IF EXISTS automations;
