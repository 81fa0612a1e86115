import type { z } from 'zod';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { keepsStoredSecret, settingsSchema, SECRET_MASK, type SettingsInput } from '../../../shared/integrations/fields.js';
import type { Draft, SaveDraftInput } from '../../../shared/localApi.js';
import { saveDraftInputSchema } from '../../../shared/localApi.js';
import { AppError, type FieldErrors } from '../../../shared/errors.js';
import { fieldErrorsFromZod } from '../../../shared/trpcErrors.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import type { CacheDb } from '../db/types.js';
import type { SecretBox } from '../secrets/secretBox.js';
import { getDraftRow, getOpenDraftRow, secretContext, toDraft, type DraftRow } from './draftRows.js';

/**
 * Drafts: changes a partner admin prepares (offline or not) before anything reaches the server.
 * Lifecycle: draft → reviewed → queued → applied | conflict | rejected. This file covers the
 * local part (save, review, discard); queueing and results are in outbox.ts.
 */

/** States in which the user may still edit a draft's values. */
const editable = new Set(['draft', 'reviewed', 'rejected']);

/**
 * Creates the open draft for an integration or updates it. Editing a reviewed or rejected draft
 * sends it back to `draft`: what gets applied is always what was last reviewed.
 */
export function saveDraft(db: CacheDb, box: SecretBox, rawInput: SaveDraftInput, now = new Date()): Draft {
  const input = saveDraftInputSchema.parse(rawInput);
  const detail = requireIntegration(db, input.integrationKey);
  const specs = new Map(detail.fields.map((f) => [f.key, f]));
  const unknown = Object.keys(input.values).filter((k) => !specs.has(k));
  if (input.kind !== 'delete' && unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Some fields are not part of this integration', {
      fields: Object.fromEntries(unknown.map((k) => [k, ['Unknown field']])),
    });
  }
  const stamp = now.toISOString();
  return db.transaction(() => {
    let row = getOpenDraftRow(db, input.integrationKey);
    if (row && !editable.has(row.state)) {
      throw new AppError('CONFLICT', row.state === 'queued' ? 'This change is waiting to be sent; wait for its result' : 'Resolve the conflict first');
    }
    // An existing draft keeps the base it started from, whatever was pulled since.
    checkKind(input.kind, detail.name, row ? row.base_version : detail.state.version);
    const plain: Record<string, string | boolean> = {};
    const secrets: [string, string | null][] = [];
    if (input.kind !== 'delete') {
      for (const [key, value] of Object.entries(input.values)) {
        if (specs.get(key)?.kind !== 'Secret') plain[key] = value;
        else if (value !== SECRET_MASK) secrets.push([key, typeof value === 'string' && !keepsStoredSecret(value) ? value : null]);
      }
    }
    if (row) {
      // An edit of the form replaces a drafted rollback: what is applied is what the form shows.
      db.prepare("UPDATE drafts SET kind = ?, values_json = ?, state = 'draft', error_json = NULL, restore_from = NULL, updated_at = ? WHERE id = ?").run(
        input.kind,
        JSON.stringify(plain),
        stamp,
        row.id,
      );
    } else {
      const id = db
        .prepare(
          `INSERT INTO drafts (integration_key, kind, state, base_version, base_json, values_json, created_at, updated_at)
           VALUES (?, ?, 'draft', ?, ?, ?, ?, ?)`,
        )
        .run(input.integrationKey, input.kind, detail.state.version, JSON.stringify(detail.settings), JSON.stringify(plain), stamp, stamp).lastInsertRowid;
      row = getDraftRow(db, Number(id));
    }
    if (!row) throw new AppError('INTERNAL', 'The draft could not be saved');
    if (input.kind === 'delete') db.prepare('DELETE FROM draft_secrets WHERE draft_id = ?').run(row.id);
    // The mask means "keep": the secret already typed into this draft if there is one (the form
    // shows it as saved and sends the mask back), else the server's. A blank drops a typed one.
    for (const [field, value] of secrets) {
      if (value === null) {
        db.prepare('DELETE FROM draft_secrets WHERE draft_id = ? AND field = ?').run(row.id, field);
        continue;
      }
      db.prepare('INSERT INTO draft_secrets (draft_id, field, ciphertext) VALUES (?, ?, ?) ON CONFLICT (draft_id, field) DO UPDATE SET ciphertext = excluded.ciphertext').run(
        row.id,
        field,
        box.encrypt(value, secretContext(row.id, field)),
      );
    }
    return toDraft(db, requireRow(db, row.id));
  }).immediate();
}

/**
 * Checks a draft against the field specs (the same zod schema the server uses) and marks it
 * reviewed. Invalid drafts stay `draft`; the error says which fields to fix.
 */
export function reviewDraft(db: CacheDb, box: SecretBox, id: number, now = new Date()): Draft {
  return db.transaction(() => {
    const row = requireRow(db, id);
    if (row.state !== 'draft' && row.state !== 'reviewed') throw new AppError('CONFLICT', `A ${row.state} change cannot be reviewed`);
    // A rollback's settings are the old version's, which only the server can read (its secrets
    // are ciphertexts there); the server checks them against today's rules when it is sent.
    if (row.kind !== 'delete' && row.restore_from === null) {
      const detail = requireIntegration(db, row.integration_key);
      const settings = draftSettings(db, box, row);
      // In update mode an untouched secret keeps the stored value; the mask says so to the schema.
      for (const spec of detail.fields) {
        if (spec.kind === 'Secret' && row.kind === 'reconfigure' && settings[spec.key] === undefined) settings[spec.key] = SECRET_MASK;
      }
      const parsed = settingsSchema(detail.fields, row.kind === 'configure' ? 'create' : 'update').safeParse(settings);
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', { fields: settingsFieldErrors(parsed.error) });
    }
    db.prepare("UPDATE drafts SET state = 'reviewed', error_json = NULL, updated_at = ? WHERE id = ?").run(now.toISOString(), id);
    return toDraft(db, requireRow(db, id));
  }).immediate();
}

/**
 * Keeps why a review failed on the draft, which stays a draft: Pending changes shows the message
 * and the fields to fix. Saving the draft again clears it.
 */
export function noteReviewError(db: CacheDb, id: number, error: AppError): void {
  const body = { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  db.prepare("UPDATE drafts SET error_json = ? WHERE id = ? AND state = 'draft'").run(JSON.stringify(body), id);
}

/** Drops a draft and its secrets. A queued one may already be on its way, so it cannot be. */
export function discardDraft(db: CacheDb, id: number): void {
  db.transaction(() => {
    const row = requireRow(db, id);
    if (row.state === 'queued') throw new AppError('CONFLICT', 'This change is being sent; wait for its result');
    db.prepare('DELETE FROM draft_secrets WHERE draft_id = ?').run(id);
    db.prepare('DELETE FROM drafts WHERE id = ?').run(id);
  }).immediate();
}

/** The draft's settings as they would be sent: plain values plus decrypted typed secrets. */
export function draftSettings(db: CacheDb, box: SecretBox, row: DraftRow): SettingsInput {
  return { ...(JSON.parse(row.values_json) as SettingsInput), ...decryptSecrets(db, box, row.id) };
}

/** The secrets typed into a draft, decrypted; kept in memory only as long as a push needs them. */
export function decryptSecrets(db: CacheDb, box: SecretBox, draftId: number): Record<string, string> {
  const rows = db.prepare('SELECT field, ciphertext FROM draft_secrets WHERE draft_id = ?').all(draftId) as { field: string; ciphertext: Buffer }[];
  return Object.fromEntries(rows.map((r) => [r.field, box.decrypt(r.ciphertext, secretContext(draftId, r.field))]));
}

export function requireRow(db: CacheDb, id: number): DraftRow {
  const row = getDraftRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such draft');
  return row;
}

export function requireIntegration(db: CacheDb, key: string): IntegrationDetail {
  const detail = getIntegration(db, key);
  if (!detail) throw new AppError('NOT_FOUND', 'Unknown integration (sync first)');
  return detail;
}

function checkKind(kind: SaveDraftInput['kind'], name: string, baseVersion: number | null): void {
  if (kind === 'configure' && baseVersion !== null) throw new AppError('BAD_REQUEST', `${name} is already configured; reconfigure it instead`);
  if (kind !== 'configure' && baseVersion === null) throw new AppError('BAD_REQUEST', `${name} is not configured`);
}

/** The schema checks `settings` alone; its messages are named as the local API's input names them. */
function settingsFieldErrors(error: z.ZodError): FieldErrors {
  return fieldErrorsFromZod({ issues: error.issues.map((issue) => ({ ...issue, path: ['settings', ...issue.path] })) });
}
