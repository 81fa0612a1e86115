-- Up Migration

-- Discovery (issue 14): a background job per (partner, integration) walks the vendor's
-- organizations; its progress is readable while it runs, and on success the list replaces the
-- partner's snapshot in one transaction, with what is new, renamed and gone since the one before.
-- Partner tables as everywhere: partner_id leads every key, row-level security, least grants.
-- The job queue itself (pg-boss) keeps its own schema, created when the server starts it.

CREATE TABLE discovery_runs (
  id                 bigint GENERATED ALWAYS AS IDENTITY,
  partner_id         bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  integration_key    text NOT NULL,
  status             text NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  requested_by       bigint REFERENCES users (id) ON DELETE SET NULL,
  -- Who asked, kept as text like the audit's actor.
  actor              text NOT NULL,
  pages_done         integer NOT NULL DEFAULT 0 CHECK (pages_done >= 0),
  total_pages        integer CHECK (total_pages >= 0),
  organizations_seen integer NOT NULL DEFAULT 0 CHECK (organizations_seen >= 0),
  -- Set on success: what the new snapshot holds and how it differs from the previous one.
  organizations      integer,
  new_count          integer,
  renamed_count      integer,
  gone_count         integer,
  error_message      text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  started_at         timestamptz,
  -- Written with every page: a queued or running run whose heartbeat is old lost its worker.
  heartbeat_at       timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz,
  PRIMARY KEY (partner_id, id)
);
-- At most one queued or running run per integration: a second start returns the first.
CREATE UNIQUE INDEX discovery_runs_active_idx ON discovery_runs (partner_id, integration_key)
  WHERE status IN ('queued', 'running');
CREATE INDEX discovery_runs_key_idx ON discovery_runs (partner_id, integration_key, id DESC);

-- The latest successful run's list, one header per (partner, integration).
CREATE TABLE organization_snapshots (
  partner_id        bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  integration_key   text NOT NULL,
  run_id            bigint NOT NULL,
  taken_at          timestamptz NOT NULL,
  previous_taken_at timestamptz,
  organizations     integer NOT NULL CHECK (organizations >= 0),
  new_count         integer NOT NULL CHECK (new_count >= 0),
  renamed_count     integer NOT NULL CHECK (renamed_count >= 0),
  gone_count        integer NOT NULL CHECK (gone_count >= 0),
  PRIMARY KEY (partner_id, integration_key),
  FOREIGN KEY (partner_id, run_id) REFERENCES discovery_runs (partner_id, id)
);

-- The organizations of a snapshot. `gone` rows are those of the previous snapshot missing from
-- this one: kept (until the next run) so the partner can see what disappeared.
CREATE TABLE organization_snapshot_items (
  partner_id      bigint NOT NULL,
  integration_key text NOT NULL,
  external_id     text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  url             text CHECK (length(url) <= 2000),
  change          text NOT NULL CHECK (change IN ('new', 'renamed', 'unchanged', 'gone')),
  previous_name   text,
  PRIMARY KEY (partner_id, integration_key, external_id),
  FOREIGN KEY (partner_id, integration_key)
    REFERENCES organization_snapshots (partner_id, integration_key) ON DELETE CASCADE
);
-- Pages in name order (keyset on name, id), the order a person scans them in.
CREATE INDEX organization_snapshot_items_name_idx
  ON organization_snapshot_items (partner_id, integration_key, name COLLATE "C", external_id COLLATE "C");

ALTER TABLE discovery_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_snapshot_items ENABLE ROW LEVEL SECURITY;

-- Own partner: full access. Dev partner: reads every partner's, to support them.
CREATE POLICY own_partner ON discovery_runs
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON discovery_runs FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

CREATE POLICY own_partner ON organization_snapshots
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON organization_snapshots FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

CREATE POLICY own_partner ON organization_snapshot_items
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON organization_snapshot_items FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

GRANT SELECT, INSERT, UPDATE ON discovery_runs TO ic_app;
GRANT SELECT, INSERT, UPDATE ON organization_snapshots TO ic_app;
GRANT SELECT, INSERT, DELETE ON organization_snapshot_items TO ic_app;

-- One audit row per run ('discovered', counts only). The action list is extended rather than
-- restated: other wave-2 migrations add actions of their own, and whichever runs last must keep
-- them all.
DO $$
DECLARE
  def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'integration_audit_logs'::regclass AND conname = 'integration_audit_logs_action_check';
  ALTER TABLE integration_audit_logs DROP CONSTRAINT integration_audit_logs_action_check;
  -- def reads "CHECK (<expression>)": keep the expression and allow one more action.
  EXECUTE format('ALTER TABLE integration_audit_logs ADD CONSTRAINT integration_audit_logs_action_check CHECK (%s OR action = %L)',
                 substring(def FROM 7), 'discovered');
END
$$;

-- Down Migration

DELETE FROM integration_audit_logs WHERE action = 'discovered';
DROP TABLE IF EXISTS organization_snapshot_items, organization_snapshots, discovery_runs;
