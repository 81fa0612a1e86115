/**
 * The cache schema, one entry per version. Never edit an entry once released: the runner keeps
 * a checksum of each applied one and refuses to open a database whose history changed. Add a new
 * entry instead; it must keep drafts, draft secrets and the outbox (user data), while mirror
 * tables may simply be dropped and re-pulled.
 */
export interface CacheMigration {
  version: number;
  name: string;
  sql: string;
}

const initial = `
-- Key/value sync bookkeeping: client id, cursor, mutation counters, last synced at.
CREATE TABLE sync_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Mirrors: written only by pull, may be wiped and re-pulled at any time.
CREATE TABLE mirror_integrations (
  key          TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  detail_json  TEXT NOT NULL,
  sync_version INTEGER NOT NULL
) STRICT;

CREATE TABLE mirror_audit (
  id              INTEGER PRIMARY KEY,
  integration_key TEXT NOT NULL,
  entry_json      TEXT NOT NULL,
  sync_version    INTEGER NOT NULL
) STRICT;
CREATE INDEX mirror_audit_key_idx ON mirror_audit (integration_key, id DESC);

-- User-authored: survives every upgrade, never touched by pull or reset.
CREATE TABLE drafts (
  id                   INTEGER PRIMARY KEY,
  integration_key      TEXT NOT NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('configure', 'reconfigure', 'delete')),
  state                TEXT NOT NULL CHECK (state IN ('draft', 'reviewed', 'queued', 'applied', 'conflict', 'rejected')),
  base_version         INTEGER,
  base_json            TEXT,
  values_json          TEXT NOT NULL DEFAULT '{}',
  server_json          TEXT,
  conflict_fields_json TEXT,
  error_json           TEXT,
  mutation_id          INTEGER,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
) STRICT;
-- One open draft per integration; applied drafts stay as history.
CREATE UNIQUE INDEX drafts_open_key ON drafts (integration_key) WHERE state <> 'applied';

-- Secrets typed into drafts, encrypted by the SecretBox; deleted once applied or discarded.
CREATE TABLE draft_secrets (
  draft_id   INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  field      TEXT NOT NULL,
  ciphertext BLOB NOT NULL,
  PRIMARY KEY (draft_id, field)
) STRICT;

-- Mutations waiting for the server, in id order. The content is frozen when queued so a replay
-- sends exactly what was sent first; secrets are joined from draft_secrets at push time.
CREATE TABLE outbox (
  mutation_id     INTEGER PRIMARY KEY,
  draft_id        INTEGER NOT NULL REFERENCES drafts (id),
  kind            TEXT NOT NULL,
  integration_key TEXT NOT NULL,
  base_version    INTEGER,
  settings_json   TEXT,
  created_at      TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT
) STRICT;
`;

const monitoring = `
-- What the core last fetched from the server beyond sync, so these screens show offline too.
-- Caches like the mirrors: safe to wipe, refetched when online.
CREATE TABLE cached_health_history (
  integration_key TEXT PRIMARY KEY,
  history_json    TEXT NOT NULL,
  -- The mirrored lastHealthCheck when fetched: a newer check makes the history stale.
  seen_last_check TEXT,
  fetched_at      TEXT NOT NULL
) STRICT;

-- The dev partner's partners x integrations matrix (one row).
CREATE TABLE cached_fleet (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  fleet_json TEXT NOT NULL,
  fetched_at TEXT NOT NULL
) STRICT;

-- Choices the user made in this cache (review mode): user data, never touched by pull or reset.
CREATE TABLE preferences (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

const serverReads = `
-- Reads fetched from the server beyond sync (clients, mappings, discovery snapshots and runs),
-- one JSON document per name, so the Clients and Mappings screens show offline. Caches like
-- the mirrors: safe to wipe, refetched when online.
CREATE TABLE cached_reads (
  name       TEXT PRIMARY KEY,
  json       TEXT NOT NULL,
  fetched_at TEXT NOT NULL
) STRICT;
`;

const mappingDrafts = `
-- Mapping edits made offline (user data: never touched by pull, reset or a cache wipe), sent by
-- the core when the server is back. base_client_id is the organization's client when the edit
-- was made (NULL: unmapped), client_id what the edit wants (NULL: unmap); a server holding
-- neither when it is sent is a conflict, and server_client_id says what it holds.
CREATE TABLE mapping_drafts (
  id                INTEGER PRIMARY KEY,
  integration_key   TEXT NOT NULL,
  external_org_id   TEXT NOT NULL,
  external_org_name TEXT NOT NULL,
  base_client_id    INTEGER,
  client_id         INTEGER,
  state             TEXT NOT NULL CHECK (state IN ('queued', 'applied', 'conflict', 'rejected')),
  server_client_id  INTEGER,
  error             TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;
-- One open edit per organization; applied ones stay as history.
CREATE UNIQUE INDEX mapping_drafts_open ON mapping_drafts (integration_key, external_org_id) WHERE state <> 'applied';
`;

const actionIntents = `
-- Ticket updates composed in the desktop (issue 15), user data like drafts: never touched by
-- pull, reset or a cache wipe. intent_key is made once when the update is composed and every
-- step is sent with its own key derived from it, so a resend after a crash or a lost answer
-- gets the server's stored result instead of a second vendor call. A table of its own, not
-- outbox rows: sync.push carries configuration mutations only; queued intents go out right
-- after the outbox on every sync, in the order they were queued.
CREATE TABLE action_intents (
  id              INTEGER PRIMARY KEY,
  intent_key      TEXT NOT NULL UNIQUE,
  client_id       INTEGER NOT NULL,
  client_name     TEXT NOT NULL,
  integration_key TEXT NOT NULL,
  ticket_json     TEXT NOT NULL,
  compose_json    TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('draft', 'reviewed', 'queued', 'sent', 'failed', 'needs_attention')),
  error           TEXT,
  link_json       TEXT,
  queued_at       TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  sent_at         TEXT
) STRICT;

-- The calls an intent makes, in position order; input_json is frozen when the intent is queued.
CREATE TABLE action_intent_steps (
  intent_id       INTEGER NOT NULL REFERENCES action_intents (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  action_id       TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  input_json      TEXT NOT NULL,
  link_type       TEXT,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  vendor_id       TEXT,
  outcome         TEXT,
  error           TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (intent_id, position)
) STRICT;
`;

const actionRequests = `
-- Side-effectful actions of any integration run from the Actions tab (issue 17), user data like
-- drafts. request_key is the idempotency key, made once when the request is composed (Review)
-- and sent with every attempt, so a resend after a lost answer gets the server's stored result
-- instead of a second vendor call. A table of its own rather than action_intents: an intent is a
-- Syncro ticket update of fixed steps, a request is one call of any action with a free-form input.
CREATE TABLE action_requests (
  id              INTEGER PRIMARY KEY,
  request_key     TEXT NOT NULL UNIQUE,
  action_id       TEXT NOT NULL,
  integration_key TEXT NOT NULL,
  label           TEXT NOT NULL,
  input_json      TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('draft', 'queued', 'sent', 'failed', 'needs_attention')),
  result_json     TEXT,
  error           TEXT,
  fields_json     TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  queued_at       TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  sent_at         TEXT
) STRICT;
CREATE INDEX action_requests_integration ON action_requests (integration_key, id);
`;

const rollbackDrafts = `
-- A rollback drafted offline (issue 18 §1): the version it restores. The draft stays a
-- 'reconfigure' (it changes the configuration); its outbox entry is sent as kind 'rollback'
-- with this version, because only the server holds the old secrets.
ALTER TABLE drafts ADD COLUMN restore_from INTEGER;
ALTER TABLE outbox ADD COLUMN restore_from INTEGER;
`;

const automationDrafts = `
-- Automation edits made offline (issue 23 §7), user data like mapping_drafts: never touched by
-- pull, reset or a cache wipe; sent by the core when the server is back. automation_id NULL: an
-- automation created offline (set once it is made). base_version/base_json: the automation when
-- the edit was made; target_json: what the edit wants (definition and enabled). Sending compares
-- the server's automation with both, so each edit changes the server at most once; server_json
-- holds the server's automation while in conflict, error/fields_json the server's refusal.
CREATE TABLE automation_drafts (
  id            INTEGER PRIMARY KEY,
  automation_id INTEGER,
  base_version  INTEGER,
  base_json     TEXT,
  target_json   TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('queued', 'applied', 'conflict', 'rejected')),
  server_json   TEXT,
  error         TEXT,
  fields_json   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
-- One open edit per automation; applied ones stay as history.
CREATE UNIQUE INDEX automation_drafts_open ON automation_drafts (automation_id) WHERE state <> 'applied' AND automation_id IS NOT NULL;
`;

export const cacheMigrations: readonly CacheMigration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'monitoring caches and preferences', sql: monitoring },
  { version: 3, name: 'clients, mappings and snapshots cache', sql: serverReads },
  { version: 4, name: 'offline mapping edits', sql: mappingDrafts },
  { version: 5, name: 'ticket updates (action intents)', sql: actionIntents },
  { version: 6, name: 'action requests (Actions tab)', sql: actionRequests },
  { version: 7, name: 'rollback drafts', sql: rollbackDrafts },
  { version: 8, name: 'offline automation edits', sql: automationDrafts },
];
