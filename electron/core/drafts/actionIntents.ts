import { randomUUID } from 'node:crypto';
import { actionRunResultSchema, ticketLinkSchema, type ActionRunResult, type TicketLinkType } from '../../../shared/actions.js';
import { syncroTicketsAddTimeInput, syncroTicketsAttachReportInput, syncroTicketsCommentInput } from '../../../shared/actions/syncro.js';
import { AppError } from '../../../shared/errors.js';
import { openIntentStates, type ActionIntent, type ComposeUpdateInput, type IntentState, type IntentStepKind, composeUpdateInputSchema } from '../../../shared/localActions.js';
import type { CacheDb } from '../db/types.js';

/**
 * Ticket updates as action intents (migration 5). The intent's key is made once, when the
 * update is first composed, and each step is sent with `<key>:<kind>`: the server calls the
 * vendor at most once per key, so resending after a lost answer (a crash, a cut network) gets
 * the stored result back instead of a second comment. Only a retry the user asks for after a
 * refusal makes a new key, and only for the step that failed.
 */

interface IntentRow {
  id: number;
  intent_key: string;
  client_id: number;
  client_name: string;
  integration_key: string;
  ticket_json: string;
  compose_json: string;
  state: IntentState;
  error: string | null;
  link_json: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

interface StepRow {
  intent_id: number;
  position: number;
  kind: IntentStepKind;
  action_id: string;
  idempotency_key: string;
  input_json: string;
  link_type: TicketLinkType | null;
  state: 'pending' | 'sent' | 'failed';
  vendor_id: string | null;
  outcome: string | null;
  error: string | null;
  attempts: number;
}

type Composed = ReturnType<typeof composeUpdateInputSchema.parse>;

const stepWords: Record<IntentStepKind, string> = { comment: 'the comment', attach_report: 'the report', add_time: 'the time entry' };

function toIntent(db: CacheDb, row: IntentRow): ActionIntent {
  const compose = JSON.parse(row.compose_json) as Composed;
  const steps = db.prepare('SELECT * FROM action_intent_steps WHERE intent_id = ? ORDER BY position').all(row.id) as StepRow[];
  const link = row.link_json ? ticketLinkSchema.safeParse(JSON.parse(row.link_json)) : null;
  return {
    id: row.id,
    key: row.intent_key,
    clientId: row.client_id,
    clientName: row.client_name,
    integrationKey: row.integration_key,
    ticket: compose.ticket,
    state: row.state,
    comment: { subject: compose.comment.subject, body: compose.comment.body, hidden: compose.comment.hidden },
    report: compose.report ? { from: compose.report.from, to: compose.report.to, companies: compose.report.companies } : null,
    time: compose.time ? { minutes: compose.time.minutes, notes: compose.time.notes } : null,
    steps: steps.map((s) => ({ kind: s.kind, actionId: s.action_id, idempotencyKey: s.idempotency_key, state: s.state, vendorId: s.vendor_id, outcome: s.outcome, error: s.error, attempts: s.attempts })),
    error: row.error,
    ticketLink: link?.success ? link.data : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}

/** The calls an update makes, in order, each input checked against the action's own schema now. */
function stepsOf(key: string, input: Composed, now: string): Omit<StepRow, 'intent_id' | 'state' | 'vendor_id' | 'outcome' | 'error' | 'attempts'>[] {
  const ticketId = input.ticket.id;
  const steps: Omit<StepRow, 'intent_id' | 'state' | 'vendor_id' | 'outcome' | 'error' | 'attempts'>[] = [];
  const add = (kind: IntentStepKind, actionId: string, value: unknown, linkType: TicketLinkType | null = null) =>
    steps.push({ position: steps.length, kind, action_id: actionId, idempotency_key: `${key}:${kind}`, input_json: JSON.stringify(value), link_type: linkType });
  add('comment', 'syncro.tickets.comment', syncroTicketsCommentInput.parse({ clientId: input.clientId, ticketId, ...input.comment }), 'documents');
  if (input.report) add('attach_report', 'syncro.tickets.attach_report', syncroTicketsAttachReportInput.parse({ clientId: input.clientId, ticketId, report: input.report }));
  if (input.time) {
    // Time worked ends now: the entry starts `minutes` before the update was composed.
    const startAt = new Date(Date.parse(now) - input.time.minutes * 60_000).toISOString();
    add('add_time', 'syncro.tickets.add_time', syncroTicketsAddTimeInput.parse({ clientId: input.clientId, ticketId, startAt, durationMinutes: input.time.minutes, notes: input.time.notes }));
  }
  return steps;
}

export function getIntent(db: CacheDb, id: number): ActionIntent {
  return toIntent(db, requireRow(db, id));
}

function requireRow(db: CacheDb, id: number): IntentRow {
  const row = db.prepare('SELECT * FROM action_intents WHERE id = ?').get(id) as IntentRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'There is no such ticket update');
  return row;
}

/** Open intents (Pending changes) oldest first, or every intent of one client, newest first. */
export function listIntents(db: CacheDb, filter: { clientId?: number } = {}): ActionIntent[] {
  const rows = (filter.clientId === undefined
    ? db.prepare(`SELECT * FROM action_intents WHERE state IN (${openIntentStates.map(() => '?').join(', ')}) ORDER BY id`).all(...openIntentStates)
    : db.prepare('SELECT * FROM action_intents WHERE client_id = ? ORDER BY id DESC LIMIT 20').all(filter.clientId)) as IntentRow[];
  return rows.map((r) => toIntent(db, r));
}

export function countOpenIntents(db: CacheDb): number {
  return (db.prepare(`SELECT count(*) AS n FROM action_intents WHERE state IN (${openIntentStates.map(() => '?').join(', ')})`).get(...openIntentStates) as { n: number }).n;
}

/**
 * Stores what the user composed as a draft, with its key, or rewrites a draft not yet queued
 * (same key: nothing was sent under it). One transaction, so a half-written intent never exists.
 */
export function composeIntent(db: CacheDb, raw: ComposeUpdateInput, clientName: string, now: string): ActionIntent {
  const input = composeUpdateInputSchema.parse(raw);
  const id = db.transaction(() => {
    let intentId = input.id;
    let key: string;
    if (intentId !== undefined) {
      const row = requireRow(db, intentId);
      if (row.state !== 'draft' && row.state !== 'reviewed') throw new AppError('CONFLICT', 'This update has been queued already; discard it or wait for its result');
      key = row.intent_key;
      db.prepare("UPDATE action_intents SET client_id = ?, client_name = ?, ticket_json = ?, compose_json = ?, state = 'draft', error = NULL, updated_at = ? WHERE id = ?").run(
        input.clientId,
        clientName,
        JSON.stringify(input.ticket),
        JSON.stringify(input),
        now,
        intentId,
      );
      db.prepare('DELETE FROM action_intent_steps WHERE intent_id = ?').run(intentId);
    } else {
      key = `upd-${randomUUID()}`;
      intentId = Number(
        db
          .prepare("INSERT INTO action_intents (intent_key, client_id, client_name, integration_key, ticket_json, compose_json, state, created_at, updated_at) VALUES (?, ?, ?, 'syncro', ?, ?, 'draft', ?, ?)")
          .run(key, input.clientId, clientName, JSON.stringify(input.ticket), JSON.stringify(input), now, now).lastInsertRowid,
      );
    }
    const insert = db.prepare("INSERT INTO action_intent_steps (intent_id, position, kind, action_id, idempotency_key, input_json, link_type, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')");
    for (const s of stepsOf(key, input, now)) insert.run(intentId, s.position, s.kind, s.action_id, s.idempotency_key, s.input_json, s.link_type);
    return intentId;
  })();
  return getIntent(db, id);
}

export function reviewIntent(db: CacheDb, id: number, now: string): ActionIntent {
  const row = requireRow(db, id);
  if (row.state === 'draft') db.prepare("UPDATE action_intents SET state = 'reviewed', updated_at = ? WHERE id = ?").run(now, id);
  else if (row.state !== 'reviewed') throw new AppError('CONFLICT', 'Only a draft update can be reviewed');
  return getIntent(db, id);
}

/** Review and queue in one step: it goes out with the next sync (now when online). */
export function queueIntent(db: CacheDb, id: number, now: string): ActionIntent {
  const row = requireRow(db, id);
  if (row.state === 'queued') return getIntent(db, id);
  if (row.state !== 'draft' && row.state !== 'reviewed') throw new AppError('CONFLICT', 'Only a draft or reviewed update can be queued');
  db.prepare("UPDATE action_intents SET state = 'queued', queued_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
  return getIntent(db, id);
}

/**
 * Drops an intent that was never sent, or one that failed. A queued intent with a step already
 * attempted may have reached the vendor: it stays until the server's answer is known.
 */
export function discardIntent(db: CacheDb, id: number): void {
  const row = requireRow(db, id);
  if (row.state === 'sent') throw new AppError('CONFLICT', 'This update was posted already');
  const attempted = (db.prepare("SELECT count(*) AS n FROM action_intent_steps WHERE intent_id = ? AND state = 'pending' AND attempts > 0").get(id) as { n: number }).n;
  if (row.state === 'queued' && attempted > 0) throw new AppError('CONFLICT', 'This update may be reaching Syncro right now; wait for its result before discarding it');
  db.prepare('DELETE FROM action_intents WHERE id = ?').run(id);
}

/**
 * After a refusal (needs attention, failed): the failed step gets a new key (its old one holds
 * the stored refusal, which the server would only replay) and the intent is queued again. Steps
 * already sent keep their result and are not sent again.
 */
export function retryIntent(db: CacheDb, id: number, now: string): ActionIntent {
  const row = requireRow(db, id);
  if (row.state !== 'needs_attention' && row.state !== 'failed') throw new AppError('CONFLICT', 'Only an update that failed can be retried');
  db.transaction(() => {
    const failed = db.prepare("SELECT * FROM action_intent_steps WHERE intent_id = ? AND state = 'failed'").all(id) as StepRow[];
    for (const s of failed) {
      const retry = `${row.intent_key}:${s.kind}:r${now.replace(/[^0-9]/g, '')}`;
      db.prepare("UPDATE action_intent_steps SET state = 'pending', idempotency_key = ?, error = NULL WHERE intent_id = ? AND position = ?").run(retry, id, s.position);
    }
    db.prepare("UPDATE action_intents SET state = 'queued', error = NULL, queued_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
  })();
  return getIntent(db, id);
}

/** Queued intents, in the order they were queued. */
export function queuedIntentIds(db: CacheDb): number[] {
  return db.prepare("SELECT id FROM action_intents WHERE state = 'queued' ORDER BY queued_at, id").pluck().all() as number[];
}

/** What the server's run answered, recorded with the step in one statement. */
function outcomeOf(kind: IntentStepKind, result: ActionRunResult): { vendorId: string | null; outcome: string } {
  const out = (result.output ?? {}) as { comment?: { id?: string }; timerEntry?: { id?: string }; files?: { filename: string }[] };
  if (kind === 'comment') return { vendorId: out.comment?.id ?? null, outcome: `Comment ${out.comment?.id ?? ''} posted`.replace('  ', ' ') };
  if (kind === 'add_time') return { vendorId: out.timerEntry?.id ?? null, outcome: `Time entry ${out.timerEntry?.id ?? ''} logged`.replace('  ', ' ') };
  return { vendorId: null, outcome: `Attached ${(out.files ?? []).map((f) => f.filename).join(', ') || 'the report'}` };
}

/** What a failure to send means for the intent. */
export type SendVerdict = 'later' | 'needs_attention' | 'failed';

/**
 * No answer, a 5xx, a sign-in needed or the same key still running on the server: try again
 * later with the same key. The vendor's refusal or an action unavailable now (409): the user
 * fixes it. The server refusing the request itself: failed.
 */
export function verdictOf(error: unknown): SendVerdict {
  if (!(error instanceof AppError)) return 'later';
  // A run the server stored as failed is answered the same way for this key on every retry
  // (the server puts the stored run in `details`): resending under it can never succeed.
  if (actionRunResultSchema.safeParse(error.details).success) return error.code === 'FORBIDDEN' ? 'failed' : 'needs_attention';
  switch (error.code) {
    case 'UNAVAILABLE':
    case 'UNAUTHORIZED':
    case 'RATE_LIMITED':
    case 'INTERNAL':
      return 'later';
    case 'CONFLICT':
      return isInProgress(error) ? 'later' : 'needs_attention';
    case 'VENDOR_ERROR':
    case 'NOT_FOUND':
      return 'needs_attention';
    default:
      return 'failed';
  }
}

/** The server's "a run with this key is still in progress" 409, by its details or its words. */
function isInProgress(error: AppError): boolean {
  const details = error.details as { inProgress?: unknown; reason?: unknown } | undefined;
  return details?.inProgress === true || details?.reason === 'in_progress' || /in progress|being handled/i.test(error.message);
}

export interface IntentRunner {
  run(input: { actionId: string; input: Record<string, unknown>; idempotencyKey: string; linkTicket?: TicketLinkType }): Promise<ActionRunResult>;
}

/**
 * Sends a queued intent's pending steps in order. The attempt is counted before the call (so a
 * crash mid-call is visible), each answer is recorded as it comes. A failure that means "later"
 * is rethrown and the intent stays queued with its keys; a refusal ends the intent with a
 * message that says what was already done.
 */
export async function sendIntent(db: CacheDb, id: number, server: IntentRunner, now: () => string): Promise<ActionIntent> {
  const row = requireRow(db, id);
  if (row.state !== 'queued') return toIntent(db, row);
  const steps = db.prepare("SELECT * FROM action_intent_steps WHERE intent_id = ? AND state = 'pending' ORDER BY position").all(id) as StepRow[];
  const done = () => (db.prepare("SELECT kind FROM action_intent_steps WHERE intent_id = ? AND state = 'sent' ORDER BY position").pluck().all(id) as IntentStepKind[]).map((k) => stepWords[k]);
  for (const step of steps) {
    db.prepare('UPDATE action_intent_steps SET attempts = attempts + 1 WHERE intent_id = ? AND position = ?').run(id, step.position);
    let result: ActionRunResult;
    try {
      result = await server.run({
        actionId: step.action_id,
        input: JSON.parse(step.input_json) as Record<string, unknown>,
        idempotencyKey: step.idempotency_key,
        ...(step.link_type ? { linkTicket: step.link_type } : {}),
      });
    } catch (error) {
      const verdict = verdictOf(error);
      const message = error instanceof Error ? error.message : String(error);
      if (verdict === 'later') {
        db.prepare('UPDATE action_intent_steps SET error = ? WHERE intent_id = ? AND position = ?').run(message, id, step.position);
        throw error;
      }
      stop(db, { id, step, verdict, message, done: done(), now: now() });
      return getIntent(db, id);
    }
    if (result.status === 'failed') {
      stop(db, { id, step, verdict: 'needs_attention', message: result.error?.message ?? 'Syncro refused it', done: done(), now: now() });
      return getIntent(db, id);
    }
    const { vendorId, outcome } = outcomeOf(step.kind, result);
    db.transaction(() => {
      db.prepare("UPDATE action_intent_steps SET state = 'sent', vendor_id = ?, outcome = ?, error = NULL WHERE intent_id = ? AND position = ?").run(vendorId, outcome, id, step.position);
      if (result.ticketLink) db.prepare('UPDATE action_intents SET link_json = ? WHERE id = ?').run(JSON.stringify(result.ticketLink), id);
    })();
  }
  const at = now();
  db.prepare("UPDATE action_intents SET state = 'sent', error = NULL, sent_at = ?, updated_at = ? WHERE id = ?").run(at, at, id);
  return getIntent(db, id);
}

function stop(db: CacheDb, o: { id: number; step: StepRow; verdict: 'needs_attention' | 'failed'; message: string; done: string[]; now: string }): void {
  const already = o.done.length > 0 ? ` Already done: ${o.done.join(', ')}.` : ' Nothing was posted.';
  const error = `Posting ${stepWords[o.step.kind]} failed: ${o.message}.${already}`.replace('..', '.');
  db.transaction(() => {
    db.prepare("UPDATE action_intent_steps SET state = 'failed', error = ? WHERE intent_id = ? AND position = ?").run(o.message, o.id, o.step.position);
    db.prepare('UPDATE action_intents SET state = ?, error = ?, updated_at = ? WHERE id = ?').run(o.verdict, error, o.now, o.id);
  })();
}
