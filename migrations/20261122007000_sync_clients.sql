-- Up Migration

-- Push bookkeeping for sync (issue 7). A desktop cache numbers its mutations 1, 2, 3… under a
-- random client id; the server applies each (client, id) exactly once and keeps its result so a
-- replay gets the same answer.
--
-- Binding: a client id belongs to the partner and the user that first pushed with it. Another
-- user of the same partner is refused by the service (user_id check); another partner cannot
-- see the row (RLS) and is refused through ic_sync_client_owned_elsewhere() below, so a copied
-- client id can neither read another cache's results nor reserve its numbering.
CREATE TABLE sync_clients (
  partner_id       bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  client_id        uuid NOT NULL,
  user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The highest mutation id applied (0: none). Advanced in the transaction that applies the
  -- mutation and stores its result, under FOR UPDATE on this row.
  last_mutation_id bigint NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, client_id)
);
-- Not unique (unique keys include partner_id so the table can be distributed by partner):
-- only for the "used by another partner?" lookup when a client id is first registered.
CREATE INDEX sync_clients_client_idx ON sync_clients (client_id);

-- One row per applied mutation: the result a replay returns (applied | conflict | rejected,
-- already masked: no secret values). Written in the same transaction as the effect.
CREATE TABLE sync_mutations (
  partner_id  bigint NOT NULL,
  client_id   uuid NOT NULL,
  mutation_id bigint NOT NULL CHECK (mutation_id > 0),
  result      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, client_id, mutation_id),
  FOREIGN KEY (partner_id, client_id) REFERENCES sync_clients (partner_id, client_id) ON DELETE CASCADE
);

ALTER TABLE sync_clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_mutations ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_partner ON sync_clients
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY own_partner ON sync_mutations
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));

GRANT SELECT, INSERT, UPDATE ON sync_clients TO ic_app;
GRANT SELECT, INSERT ON sync_mutations TO ic_app;

-- SECURITY DEFINER: RLS hides other partners' clients, which is exactly what this must see.
-- It answers only yes/no for one client id, never whose it is.
CREATE FUNCTION ic_sync_client_owned_elsewhere(p_client uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT EXISTS (
      SELECT 1 FROM public.sync_clients
       WHERE client_id = p_client AND partner_id IS DISTINCT FROM public.ic_current_partner()
    )
  $$;

-- Cursors older than this version cannot continue and get `reset`. Nothing raises it today
-- (tombstones are one row per deleted key, upserted, so they never need pruning; audit rows are
-- never deleted); maintenance that removes history a client may still need must raise it.
ALTER TABLE partner_sync_state ADD COLUMN reset_below bigint NOT NULL DEFAULT 0;

-- The dev partner's read-only pull of another partner reads its version and tombstones too.
CREATE POLICY dev_reads_all ON partner_sync_state FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));
CREATE POLICY dev_reads_all ON sync_tombstones FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

-- The audit window of a pull ("the newest N rows of each integration") needs the oldest
-- sync_version among those rows; with sync_version in the index that is an index-only scan.
DROP INDEX integration_audit_logs_key_idx;
CREATE INDEX integration_audit_logs_key_idx
  ON integration_audit_logs (partner_id, integration_key, id DESC) INCLUDE (sync_version);

-- Change notification: every version bump also notifies 'ic_sync' with "<partner>:<version>".
-- Postgres delivers it at commit (never for a rolled-back write), in commit order, to the one
-- LISTEN connection of each server instance, which pokes that partner's subscribers.
CREATE OR REPLACE FUNCTION ic_next_sync_version(p_partner bigint) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  AS $$
  DECLARE
    v bigint;
  BEGIN
    INSERT INTO partner_sync_state AS s (partner_id, version) VALUES (p_partner, 1)
    ON CONFLICT (partner_id) DO UPDATE SET version = s.version + 1
    RETURNING version INTO v;
    PERFORM pg_notify('ic_sync', p_partner::text || ':' || v::text);
    RETURN v;
  END
  $$;

-- Down Migration
CREATE OR REPLACE FUNCTION ic_next_sync_version(p_partner bigint) RETURNS bigint
  LANGUAGE sql VOLATILE
  AS $$
    INSERT INTO partner_sync_state AS s (partner_id, version) VALUES (p_partner, 1)
    ON CONFLICT (partner_id) DO UPDATE SET version = s.version + 1
    RETURNING version
  $$;
DROP INDEX IF EXISTS integration_audit_logs_key_idx;
CREATE INDEX integration_audit_logs_key_idx ON integration_audit_logs (partner_id, integration_key, id DESC);
DROP POLICY IF EXISTS dev_reads_all ON sync_tombstones;
DROP POLICY IF EXISTS dev_reads_all ON partner_sync_state;
ALTER TABLE partner_sync_state DROP COLUMN IF EXISTS reset_below;
DROP FUNCTION IF EXISTS ic_sync_client_owned_elsewhere(uuid);
DROP TABLE IF EXISTS sync_mutations, sync_clients;
