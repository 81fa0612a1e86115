import { randomUUID } from 'node:crypto';
import { actionRunResultSchema, type ActionRunResult } from '../../../shared/actions.js';
import { AppError, fieldErrorsSchema, type FieldErrors } from '../../../shared/errors.js';
import { openRequestStates, type ActionRequest, type RequestState } from '../../../shared/localActionRequests.js';
import type { CacheDb } from '../db/types.js';
import { verdictOf, type IntentRunner } from './actionIntents.js';

/**
 * Side-effectful action requests of the Actions tab (migration 6). The key is made once, when
 * the request is composed, and every send carries it: the server calls the vendor at most once
 * per key, so a resend after a crash or a lost answer gets the stored result back. Only a retry
 * the user asks for after a refusal, or an edit after one, makes a new key (the old one holds
 * the stored refusal, which the server would only replay).
 */

interface RequestRow {
  id: number;
  request_key: string;
  action_id: string;
  integration_key: string;
  label: string;
  input_json: string;
  state: RequestState;
  result_json: string | null;
  error: string | null;
  fields_json: string | null;
  attempts: number;
  queued_at: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/** What the listing says of the action, as the core checked it when the request was composed. */
export interface ComposedAction {
  actionId: string;
  integrationKey: string;
  label: string;
}

const newKey = (): string => `act-${randomUUID()}`;

function toRequest(row: RequestRow): ActionRequest {
  const result = row.result_json ? actionRunResultSchema.safeParse(JSON.parse(row.result_json)) : null;
  const fields = row.fields_json ? fieldErrorsSchema.safeParse(JSON.parse(row.fields_json)) : null;
  return {
    id: row.id,
    key: row.request_key,
    actionId: row.action_id,
    integrationKey: row.integration_key,
    label: row.label,
    input: JSON.parse(row.input_json) as Record<string, unknown>,
    state: row.state,
    result: result?.success ? result.data : null,
    error: row.error,
    fields: fields?.success ? fields.data : null,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}

function requireRow(db: CacheDb, id: number): RequestRow {
  const row = db.prepare('SELECT * FROM action_requests WHERE id = ?').get(id) as RequestRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'There is no such action request');
  return row;
}

export function getRequest(db: CacheDb, id: number): ActionRequest {
  return toRequest(requireRow(db, id));
}

/** Open requests (Pending changes) oldest first, or one integration's latest 20, newest first. */
export function listRequests(db: CacheDb, filter: { integrationKey?: string } = {}): ActionRequest[] {
  const rows = (filter.integrationKey === undefined
    ? db.prepare(`SELECT * FROM action_requests WHERE state IN (${openRequestStates.map(() => '?').join(', ')}) ORDER BY id`).all(...openRequestStates)
    : db.prepare('SELECT * FROM action_requests WHERE integration_key = ? ORDER BY id DESC LIMIT 20').all(filter.integrationKey)) as RequestRow[];
  return rows.map(toRequest);
}

/**
 * Stores the reviewed input as a draft with its key, or rewrites one not yet sent. A draft keeps
 * its key (nothing went out under it); a refused one gets a new key, since the server keeps the
 * refusal of a run that reached the vendor under the old one.
 */
export function composeRequest(db: CacheDb, action: ComposedAction, input: Record<string, unknown>, now: string, id?: number): ActionRequest {
  const json = JSON.stringify(input);
  if (id !== undefined) {
    const row = requireRow(db, id);
    if (row.action_id !== action.actionId) throw new AppError('CONFLICT', 'This request is for another action');
    if (row.state === 'queued' || row.state === 'sent') throw new AppError('CONFLICT', 'This request has been sent already; start a new one');
    const key = row.state === 'draft' ? row.request_key : newKey();
    db.prepare("UPDATE action_requests SET request_key = ?, input_json = ?, label = ?, state = 'draft', error = NULL, fields_json = NULL, result_json = NULL, updated_at = ? WHERE id = ?").run(key, json, action.label, now, id);
    return getRequest(db, id);
  }
  const inserted = db
    .prepare("INSERT INTO action_requests (request_key, action_id, integration_key, label, input_json, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)")
    .run(newKey(), action.actionId, action.integrationKey, action.label, json, now, now);
  return getRequest(db, Number(inserted.lastInsertRowid));
}

/** Run: it goes out with the next push (now when online). Queuing twice is harmless. */
export function queueRequest(db: CacheDb, id: number, now: string): ActionRequest {
  const row = requireRow(db, id);
  if (row.state === 'queued') return toRequest(row);
  if (row.state !== 'draft') throw new AppError('CONFLICT', row.state === 'sent' ? 'This request was sent already' : 'Retry or edit this request first');
  db.prepare("UPDATE action_requests SET state = 'queued', queued_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
  return getRequest(db, id);
}

/** Drops a request not yet sent, unless an attempt may be reaching the vendor right now. */
export function discardRequest(db: CacheDb, id: number): void {
  const row = requireRow(db, id);
  if (row.state === 'sent') throw new AppError('CONFLICT', 'This request was sent already');
  if (row.state === 'queued' && row.attempts > 0) throw new AppError('CONFLICT', 'This request may be reaching the vendor right now; wait for its result before discarding it');
  db.prepare('DELETE FROM action_requests WHERE id = ?').run(id);
}

/** After a refusal the user asks to send it again: a new intent, so a new key, queued at once. */
export function retryRequest(db: CacheDb, id: number, now: string): ActionRequest {
  const row = requireRow(db, id);
  if (row.state !== 'failed' && row.state !== 'needs_attention') throw new AppError('CONFLICT', 'Only a request that failed can be retried');
  db.prepare("UPDATE action_requests SET request_key = ?, state = 'queued', error = NULL, fields_json = NULL, result_json = NULL, queued_at = ?, updated_at = ? WHERE id = ?").run(newKey(), now, now, id);
  return getRequest(db, id);
}

export function queuedRequestIds(db: CacheDb): number[] {
  return db.prepare("SELECT id FROM action_requests WHERE state = 'queued' ORDER BY queued_at, id").pluck().all() as number[];
}

/** The server keys input field messages `input.<path>`; the form knows its fields by `<path>`. */
function inputFields(fields: FieldErrors | undefined): FieldErrors | null {
  if (!fields) return null;
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(fields)) out[path.replace(/^input\./, '')] = messages;
  return out;
}

/**
 * Sends a queued request under its key. The attempt is counted before the call (a crash
 * mid-call stays visible and blocks a discard). No answer, a 5xx or "still in progress": the
 * error is rethrown and the request stays queued with its key. Any other answer is recorded.
 */
export async function sendRequest(db: CacheDb, id: number, server: Pick<IntentRunner, 'run'>, now: () => string): Promise<ActionRequest> {
  const row = requireRow(db, id);
  if (row.state !== 'queued') return toRequest(row);
  db.prepare('UPDATE action_requests SET attempts = attempts + 1 WHERE id = ?').run(id);
  let result: ActionRunResult;
  try {
    result = await server.run({ actionId: row.action_id, input: JSON.parse(row.input_json) as Record<string, unknown>, idempotencyKey: row.request_key });
  } catch (error) {
    const verdict = verdictOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (verdict === 'later') {
      db.prepare('UPDATE action_requests SET error = ? WHERE id = ?').run(message, id);
      throw error;
    }
    // A run the server stored as failed comes back as an error with that run in `details`.
    const stored = error instanceof AppError ? actionRunResultSchema.safeParse(error.details) : null;
    const fields = error instanceof AppError ? inputFields(error.fields) : null;
    db.prepare('UPDATE action_requests SET state = ?, error = ?, fields_json = ?, result_json = ?, updated_at = ? WHERE id = ?').run(
      verdict,
      message,
      fields ? JSON.stringify(fields) : null,
      stored?.success ? JSON.stringify(stored.data) : null,
      now(),
      id,
    );
    return getRequest(db, id);
  }
  const at = now();
  if (result.status === 'failed') {
    db.prepare("UPDATE action_requests SET state = 'needs_attention', error = ?, result_json = ?, updated_at = ? WHERE id = ?").run(result.error?.message ?? 'The vendor refused it', JSON.stringify(result), at, id);
  } else {
    db.prepare("UPDATE action_requests SET state = 'sent', error = NULL, result_json = ?, sent_at = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(result), at, at, id);
  }
  return getRequest(db, id);
}
