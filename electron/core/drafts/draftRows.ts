import type { AuditEntry, IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SettingsView } from '../../../shared/integrations/fields.js';
import type { Draft, DraftError, DraftState, DraftValues, ServerChange } from '../../../shared/localApi.js';
import type { DraftKind } from '../../../shared/sync.js';
import type { CacheDb } from '../db/types.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import { threeWayMerge } from './merge.js';

/** A drafts row as stored. */
export interface DraftRow {
  id: number;
  integration_key: string;
  kind: DraftKind;
  state: DraftState;
  base_version: number | null;
  base_json: string | null;
  values_json: string;
  server_json: string | null;
  conflict_fields_json: string | null;
  error_json: string | null;
  mutation_id: number | null;
  /** Set for a rollback drafted offline: the version it restores (migration 7). */
  restore_from: number | null;
  created_at: string;
  updated_at: string;
}

export function getDraftRow(db: CacheDb, id: number): DraftRow | null {
  return (db.prepare('SELECT * FROM drafts WHERE id = ?').get(id) as DraftRow | undefined) ?? null;
}

/** The draft that still holds work for an integration (at most one: see drafts_open_key). */
export function getOpenDraftRow(db: CacheDb, key: string): DraftRow | null {
  return (db.prepare("SELECT * FROM drafts WHERE integration_key = ? AND state <> 'applied'").get(key) as DraftRow | undefined) ?? null;
}

export function typedSecretFields(db: CacheDb, draftId: number): string[] {
  return (db.prepare('SELECT field FROM draft_secrets WHERE draft_id = ? ORDER BY field').all(draftId) as { field: string }[]).map((r) => r.field);
}

/** The context bound to a secret's ciphertext, so a row moved to another draft or field fails to open. */
export function secretContext(draftId: number, field: string): string {
  return `draft:${draftId}:${field}`;
}

/** The read model the local API returns; never contains a secret value. */
export function toDraft(db: CacheDb, row: DraftRow): Draft {
  const typedSecrets = typedSecretFields(db, row.id);
  const base = parse<SettingsView | null>(row.base_json, null);
  const values = parse<DraftValues>(row.values_json, {});
  const server = parse<IntegrationDetail | null>(row.server_json, null);
  let merge: Draft['merge'] = null;
  if (row.state === 'conflict' && server) {
    const fields = (getIntegration(db, row.integration_key) ?? server).fields;
    merge = threeWayMerge({
      fields,
      base,
      server: server.settings,
      draftValues: values,
      typedSecrets: new Set(typedSecrets),
      serverReported: parse<string[]>(row.conflict_fields_json, []),
    });
  }
  return {
    id: row.id,
    integrationKey: row.integration_key,
    kind: row.kind,
    state: row.state,
    restoreFrom: row.restore_from,
    baseVersion: row.base_version,
    base,
    values,
    typedSecrets,
    server,
    merge,
    serverChange: row.state === 'conflict' && server ? serverChange(db, row.integration_key, server) : null,
    error: parse<DraftError | null>(row.error_json, null),
    mutationId: row.mutation_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Audit actions that change a configuration (health and tests leave it as it is). */
const configActions = ['configured', 'reconfigured', 'deleted', 'migrated'];

/**
 * Who made the server's version of `key` and when: the newest configuration change in the synced
 * audit, written in the same transaction as the configuration (so at its updatedAt). Without
 * that row in the cache only the time is known.
 */
function serverChange(db: CacheDb, key: string, server: IntegrationDetail): ServerChange {
  const updatedAt = server.state.updatedAt;
  const row = db
    .prepare(
      `SELECT entry_json FROM mirror_audit WHERE integration_key = ? AND json_extract(entry_json, '$.action') IN (${configActions.map(() => '?').join(', ')})
       ORDER BY id DESC LIMIT 1`,
    )
    .get(key, ...configActions) as { entry_json: string } | undefined;
  const entry = row ? (JSON.parse(row.entry_json) as AuditEntry) : null;
  // Both are the writing transaction's now(); an older row (the pull has not brought the newest
  // yet) would name the wrong person.
  if (entry && (updatedAt === null || Date.parse(entry.createdAt) >= Date.parse(updatedAt))) {
    return { actor: entry.actor, action: entry.action, at: entry.createdAt };
  }
  return { actor: null, action: null, at: updatedAt };
}

export function listDraftRows(db: CacheDb): DraftRow[] {
  return db.prepare('SELECT * FROM drafts ORDER BY updated_at DESC, id DESC').all() as DraftRow[];
}

/** Unsent work of every kind: configuration drafts and offline mapping edits (logout asks first). */
export function countPendingDrafts(db: CacheDb): number {
  const configs = (db.prepare("SELECT count(*) AS n FROM drafts WHERE state <> 'applied'").get() as { n: number }).n;
  const mappings = (db.prepare("SELECT count(*) AS n FROM mapping_drafts WHERE state <> 'applied'").get() as { n: number }).n;
  // Ticket updates not yet posted (or refused) are user work too (migration 5).
  const intents = (db.prepare("SELECT count(*) AS n FROM action_intents WHERE state <> 'sent'").get() as { n: number }).n;
  // So are side-effectful action requests from the Actions tab not yet sent (migration 6).
  const requests = (db.prepare("SELECT count(*) AS n FROM action_requests WHERE state <> 'sent'").get() as { n: number }).n;
  // And automation edits made offline (migration 8).
  const automations = (db.prepare("SELECT count(*) AS n FROM automation_drafts WHERE state <> 'applied'").get() as { n: number }).n;
  return configs + mappings + intents + requests + automations;
}

function parse<T>(json: string | null, fallback: T): T {
  return json === null ? fallback : (JSON.parse(json) as T);
}
