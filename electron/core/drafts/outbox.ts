import { AppError } from '../../../shared/errors.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';
import type { Draft, ResolveConflictInput } from '../../../shared/localApi.js';
import { resolveConflictInputSchema } from '../../../shared/localApi.js';
import type { Mutation, MutationKind, MutationResult } from '../../../shared/sync.js';
import { withoutSecretValues } from '../cache/pulledCatalog.js';
import { getMetaNumber, setMeta } from '../cache/syncMeta.js';
import type { CacheDb } from '../db/types.js';
import type { SecretBox } from '../secrets/secretBox.js';
import { toDraft, typedSecretFields, type DraftRow } from './draftRows.js';
import { decryptSecrets, requireIntegration, requireRow } from './drafts.js';
import { threeWayMerge } from './merge.js';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';

/**
 * The outbox: mutations in id order waiting for the server. Every step that moves a draft
 * (queue, record a result, resolve a conflict) writes the outbox and the draft in ONE
 * transaction, so a crash can never leave an outbox entry without its draft state or the other
 * way round (the wedge PowerSync users hit).
 */

interface OutboxRow {
  mutation_id: number;
  draft_id: number;
  kind: MutationKind;
  integration_key: string;
  base_version: number | null;
  settings_json: string | null;
  restore_from: number | null;
}

/** reviewed → queued. Returns the draft with its new mutation id. */
export function queueDraft(db: CacheDb, id: number, now = new Date()): Draft {
  return db.transaction(() => {
    const row = requireRow(db, id);
    if (row.state !== 'reviewed') throw new AppError('CONFLICT', row.state === 'draft' ? 'Review the change before applying it' : `A ${row.state} change cannot be applied`);
    enqueue(db, row, row.kind, row.base_version, JSON.parse(row.values_json) as SettingsInput, now);
    return toDraft(db, requireRow(db, id));
  }).immediate();
}

/** Queues every reviewed draft, oldest first, all in one transaction. */
export function queueAllReviewed(db: CacheDb, now = new Date()): Draft[] {
  return db.transaction(() => {
    const rows = db.prepare("SELECT * FROM drafts WHERE state = 'reviewed' ORDER BY updated_at, id").all() as DraftRow[];
    for (const row of rows) enqueue(db, row, row.kind, row.base_version, JSON.parse(row.values_json) as SettingsInput, now);
    return rows.map((r) => toDraft(db, requireRow(db, r.id)));
  }).immediate();
}

function enqueue(db: CacheDb, row: DraftRow, draftKind: MutationKind, baseVersion: number | null, settings: SettingsInput | null, now: Date): number {
  const mutationId = (getMetaNumber(db, 'lastMutationIssued') ?? 0) + 1;
  // A drafted rollback is sent by version: the server restores it (it alone can read old secrets).
  const kind: MutationKind = row.restore_from !== null ? 'rollback' : draftKind;
  db.prepare(
    'INSERT INTO outbox (mutation_id, draft_id, kind, integration_key, base_version, settings_json, restore_from, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    mutationId,
    row.id,
    kind,
    row.integration_key,
    baseVersion,
    kind === 'delete' || kind === 'rollback' ? null : JSON.stringify(settings ?? {}),
    kind === 'rollback' ? row.restore_from : null,
    now.toISOString(),
  );
  db.prepare("UPDATE drafts SET state = 'queued', mutation_id = ?, server_json = NULL, conflict_fields_json = NULL, error_json = NULL, updated_at = ? WHERE id = ?").run(
    mutationId,
    now.toISOString(),
    row.id,
  );
  setMeta(db, 'lastMutationIssued', mutationId);
  return mutationId;
}

/** The next mutations to push, in order, with typed secrets decrypted (in memory only). */
export function pendingMutations(db: CacheDb, box: SecretBox, limit: number): Mutation[] {
  const rows = db.prepare('SELECT * FROM outbox ORDER BY mutation_id LIMIT ?').all(limit) as OutboxRow[];
  return rows.map((o) => {
    const mutation: Mutation = { id: o.mutation_id, kind: o.kind, integrationKey: o.integration_key, baseVersion: o.base_version };
    if (o.kind === 'rollback') {
      if (o.restore_from !== null) mutation.toVersion = o.restore_from;
    } else if (o.kind !== 'delete') {
      // Frozen non-secret values from the outbox; secrets from the draft (immutable while queued).
      mutation.settings = { ...(JSON.parse(o.settings_json ?? '{}') as SettingsInput), ...decryptSecrets(db, box, o.draft_id) };
    }
    return mutation;
  });
}

export function outboxSize(db: CacheDb): number {
  return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
}

/**
 * Records the server's answer to one mutation: the draft's new state and the outbox entry's
 * removal in one transaction. Applied drafts lose their typed secrets (the server has them now).
 * A result for a mutation no longer in the outbox (recorded before a crash, then replayed) is
 * ignored, so recording is idempotent.
 */
export function recordResult(db: CacheDb, result: MutationResult, now = new Date()): void {
  db.transaction(() => {
    const entry = db.prepare('SELECT * FROM outbox WHERE mutation_id = ?').get(result.id) as OutboxRow | undefined;
    if (!entry) return;
    const stamp = now.toISOString();
    switch (result.result) {
      case 'applied':
        db.prepare("UPDATE drafts SET state = 'applied', updated_at = ? WHERE id = ?").run(stamp, entry.draft_id);
        db.prepare('DELETE FROM draft_secrets WHERE draft_id = ?').run(entry.draft_id);
        break;
      case 'conflict':
        db.prepare("UPDATE drafts SET state = 'conflict', server_json = ?, conflict_fields_json = ?, updated_at = ? WHERE id = ?").run(
          // Like the mirror: should a secret value ever arrive, only "set" reaches the file.
          JSON.stringify(withoutSecretValues(result.current)),
          JSON.stringify(result.conflictFields),
          stamp,
          entry.draft_id,
        );
        break;
      case 'rejected':
        db.prepare("UPDATE drafts SET state = 'rejected', error_json = ?, updated_at = ? WHERE id = ?").run(
          JSON.stringify({ code: result.code, message: result.message, ...(result.fields ? { fields: result.fields } : {}) }),
          stamp,
          entry.draft_id,
        );
        break;
    }
    db.prepare('DELETE FROM outbox WHERE mutation_id = ?').run(result.id);
    setMeta(db, 'lastMutationAcked', Math.max(result.id, getMetaNumber(db, 'lastMutationAcked') ?? 0));
  }).immediate();
}

/** Notes a transient failure on the head of the outbox (for the status line); keeps the entry. */
export function noteAttempt(db: CacheDb, mutationIds: number[], error: string): void {
  const stmt = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE mutation_id = ?');
  db.transaction(() => mutationIds.forEach((id) => stmt.run(error, id)))();
}

/**
 * Resolves a conflict. `theirs` drops the draft; `mine` rebases it on the server's current value
 * (non-overlapping fields merged, overlapping ones as chosen) and queues it as a NEW mutation
 * with the server's version as its base.
 */
export function resolveConflict(db: CacheDb, rawInput: ResolveConflictInput, now = new Date()): Draft | null {
  const input = resolveConflictInputSchema.parse(rawInput);
  return db.transaction(() => {
    const row = requireRow(db, input.id);
    if (row.state !== 'conflict' || !row.server_json) throw new AppError('CONFLICT', 'This change has no conflict to resolve');
    const server = JSON.parse(row.server_json) as IntegrationDetail;
    if (input.outcome === 'theirs') {
      db.prepare('DELETE FROM draft_secrets WHERE draft_id = ?').run(row.id);
      db.prepare('DELETE FROM drafts WHERE id = ?').run(row.id);
      return null;
    }
    const serverVersion = server.state.version;
    if (row.restore_from !== null) {
      // "Roll back anyway": the same version restored over what the server holds now.
      if (serverVersion === null) throw new AppError('CONFLICT', 'This integration was deleted on the server; there is nothing to roll back. Discard this change.');
      rebase(db, row, server, {});
      enqueue(db, requireRow(db, row.id), 'reconfigure', serverVersion, null, now);
      return toDraft(db, requireRow(db, row.id));
    }
    if (row.kind === 'delete') {
      if (serverVersion === null) {
        // Already gone on the server: nothing left to do.
        db.prepare("UPDATE drafts SET state = 'applied', server_json = NULL, updated_at = ? WHERE id = ?").run(now.toISOString(), row.id);
      } else {
        rebase(db, row, server, {});
        enqueue(db, requireRow(db, row.id), 'delete', serverVersion, null, now);
      }
      return toDraft(db, requireRow(db, row.id));
    }
    const fields = (requireIntegrationOrServer(db, row.integration_key) ?? server).fields;
    const draftValues = JSON.parse(row.values_json) as SettingsInput;
    const typed = new Set(typedSecretFields(db, row.id));
    const merge = threeWayMerge({
      fields,
      base: row.base_json ? JSON.parse(row.base_json) : null,
      server: server.settings,
      draftValues,
      typedSecrets: typed,
      serverReported: row.conflict_fields_json ? JSON.parse(row.conflict_fields_json) : [],
    });
    const missing = merge.overlapping.filter((f) => !input.choices[f]);
    if (missing.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'Choose a value for each field changed on both sides', {
        fields: Object.fromEntries(missing.map((f) => [f, ['Choose mine or theirs']])),
      });
    }
    const values: SettingsInput = { ...draftValues };
    const secretKeys = new Set(fields.filter((f) => f.kind === 'Secret').map((f) => f.key));
    const takeServer = [...merge.fromServer, ...merge.overlapping.filter((f) => input.choices[f] === 'theirs')];
    for (const key of takeServer) {
      if (secretKeys.has(key)) {
        // Taking the server's secret means sending none: the stored value is kept.
        db.prepare('DELETE FROM draft_secrets WHERE draft_id = ? AND field = ?').run(row.id, key);
        continue;
      }
      const value = server.settings?.[key];
      if (typeof value === 'string' || typeof value === 'boolean') values[key] = value;
      else delete values[key];
    }
    const kind: MutationKind = serverVersion === null ? 'configure' : 'reconfigure';
    rebase(db, row, server, values);
    enqueue(db, requireRow(db, row.id), kind, serverVersion, values, now);
    db.prepare('UPDATE drafts SET kind = ? WHERE id = ?').run(kind, row.id);
    return toDraft(db, requireRow(db, row.id));
  }).immediate();
}

/** The server's current value becomes the draft's new base. */
function rebase(db: CacheDb, row: DraftRow, server: IntegrationDetail, values: SettingsInput): void {
  db.prepare('UPDATE drafts SET base_version = ?, base_json = ?, values_json = ? WHERE id = ?').run(
    server.state.version,
    JSON.stringify(server.settings),
    JSON.stringify(values),
    row.id,
  );
}

function requireIntegrationOrServer(db: CacheDb, key: string): IntegrationDetail | null {
  try {
    return requireIntegration(db, key);
  } catch {
    return null;
  }
}

/**
 * Recovery from a refused gap: the server has never seen any mutation still in our outbox (their
 * ids are all above its lastMutationId + 1), which happens only if this cache lost history, e.g.
 * restored from a backup. Those mutations are renumbered 1…n under a fresh client id, in order,
 * so they are sent exactly once instead of wedging the queue forever.
 */
export function restartClientNumbering(db: CacheDb, newClientId: string): void {
  db.transaction(() => {
    const rows = db.prepare('SELECT * FROM outbox ORDER BY mutation_id').all() as (OutboxRow & { created_at: string; attempts: number; last_error: string | null })[];
    db.prepare('DELETE FROM outbox').run();
    const insert = db.prepare(
      'INSERT INTO outbox (mutation_id, draft_id, kind, integration_key, base_version, settings_json, restore_from, created_at, attempts, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    rows.forEach((r, i) => {
      insert.run(i + 1, r.draft_id, r.kind, r.integration_key, r.base_version, r.settings_json, r.restore_from, r.created_at, r.attempts, r.last_error);
      db.prepare('UPDATE drafts SET mutation_id = ? WHERE id = ?').run(i + 1, r.draft_id);
    });
    setMeta(db, 'clientId', newClientId);
    setMeta(db, 'lastMutationIssued', rows.length);
    setMeta(db, 'lastMutationAcked', 0);
  }).immediate();
}
