import { automationDefinitionSchema, type Automation, type AutomationDefinition } from '../../../shared/automations.js';
import { canonicalJson } from '../../../shared/canonicalJson.js';
import { AppError, type FieldErrors } from '../../../shared/errors.js';
import { automationTargetSchema, type AutomationDraft, type AutomationTarget, type LocalAutomation } from '../../../shared/localAutomations.js';
import type { CacheDb } from '../db/types.js';
import type { AutomationsServer } from '../server/contract.js';
import { discardOpenRow, resolveOpenConflict } from './keptRows.js';
import { decideSend, isRefusal } from './sendRule.js';

/**
 * Automation edits made offline (migration 8), the design of mappingDrafts.ts: one open edit per
 * automation remembering the automation it started from (its base: version and content), sent
 * by the rule of sendRule.ts so each edit changes the server at most once. An automation created
 * offline has no id until it is sent; it is shown with the negative of its draft's id.
 */

interface Row {
  id: number;
  automation_id: number | null;
  base_version: number | null;
  base_json: string | null;
  target_json: string;
  state: AutomationDraft['state'];
  server_json: string | null;
  error: string | null;
  fields_json: string | null;
  created_at: string;
  updated_at: string;
}

/** An automation's definition alone (defaults applied), as an update sends it. */
function definitionOf(a: AutomationTarget | Automation): AutomationDefinition {
  const { name, trigger, steps, concurrency } = a;
  return automationDefinitionSchema.parse({ name, trigger, steps, concurrency });
}

/** What an automation is, for comparing: its definition and switch. */
export function targetOf(a: AutomationTarget | Automation): AutomationTarget {
  return { ...definitionOf(a), enabled: a.enabled };
}
const sameContent = (a: AutomationTarget, b: AutomationTarget) => canonicalJson(targetOf(a)) === canonicalJson(targetOf(b));
const sameDefinition = (a: AutomationTarget, b: AutomationTarget) => sameContent({ ...a, enabled: false }, { ...b, enabled: false });

const targetOfRow = (row: Row) => automationTargetSchema.parse(JSON.parse(row.target_json));
const baseOfRow = (row: Row) => (row.base_json === null ? null : automationTargetSchema.parse(JSON.parse(row.base_json)));
const serverOfRow = (row: Row) => (row.server_json === null ? null : (JSON.parse(row.server_json) as Automation));

/** What an edit changes, in a line for its card. */
export function summarize(base: AutomationTarget | null, target: AutomationTarget): string {
  if (!base) return `New automation, ${target.steps.length} step${target.steps.length === 1 ? '' : 's'}, ${target.enabled ? 'enabled' : 'disabled'}`;
  const parts: string[] = [];
  if (base.name !== target.name) parts.push(`renamed from “${base.name}” to “${target.name}”`);
  if (canonicalJson(base.trigger) !== canonicalJson(target.trigger)) parts.push('trigger changed');
  const steps = targetOf(target).steps.map((s) => canonicalJson(s));
  const before = targetOf(base).steps.map((s) => canonicalJson(s));
  const changedSteps = Math.max(steps.length, before.length) - steps.filter((s, i) => s === before[i]).length;
  if (changedSteps > 0) parts.push(`${changedSteps} step${changedSteps === 1 ? '' : 's'} changed`);
  if (base.concurrency !== target.concurrency) parts.push(`concurrency ${target.concurrency}`);
  if (base.enabled !== target.enabled) parts.push(target.enabled ? 'enabled' : 'disabled');
  const line = parts.join('; ') || 'No visible change';
  return line.charAt(0).toUpperCase() + line.slice(1);
}

function toDraft(row: Row): AutomationDraft {
  const target = targetOfRow(row);
  return {
    id: row.id,
    automationId: row.automation_id,
    name: target.name,
    summary: summarize(baseOfRow(row), target),
    state: row.state,
    baseVersion: row.base_version,
    target,
    server: serverOfRow(row),
    error: row.error,
    fields: row.fields_json === null ? null : (JSON.parse(row.fields_json) as FieldErrors),
    updatedAt: row.updated_at,
  };
}

const openRows = (db: CacheDb) => db.prepare("SELECT * FROM automation_drafts WHERE state <> 'applied' ORDER BY id").all() as Row[];

/** Open edits (not applied), oldest first. */
export function listAutomationDrafts(db: CacheDb): AutomationDraft[] {
  return openRows(db).map(toDraft);
}

/** The open edit of an automation: by server id, or (negative) an automation created offline. */
function openFor(db: CacheDb, id: number): Row | undefined {
  if (id < 0) return db.prepare("SELECT * FROM automation_drafts WHERE id = ? AND automation_id IS NULL AND state <> 'applied'").get(-id) as Row | undefined;
  return db.prepare("SELECT * FROM automation_drafts WHERE automation_id = ? AND state <> 'applied'").get(id) as Row | undefined;
}

/** Whether an automation (server id, or negative: created offline) has a kept edit still open. */
export function hasOpenDraft(db: CacheDb, id: number): boolean {
  return openFor(db, id) !== undefined;
}

/** The server id an offline creation got when it was sent; null while it waits. */
export function createdAs(db: CacheDb, draftId: number): number | null {
  return (db.prepare("SELECT automation_id FROM automation_drafts WHERE id = ? AND state = 'applied'").pluck().get(draftId) as number | null | undefined) ?? null;
}

/** An automation as the screens show it: the kept edit laid over the server's copy. */
function overlay(server: Automation | null, row: Row): LocalAutomation {
  const target = targetOfRow(row);
  const pending = { draftId: row.id, state: row.state, error: row.error, fields: row.fields_json === null ? null : (JSON.parse(row.fields_json) as FieldErrors) };
  if (server) return { ...server, ...target, pending };
  return { ...target, id: -row.id, version: 0, createdAt: row.created_at, updatedAt: row.updated_at, nextRunAt: null, lastRun: null, successRate: null, pending };
}

/** The server's automations (as last read) with the kept edits laid over, and those created offline after them. */
export function withDrafts(db: CacheDb, items: Automation[]): LocalAutomation[] {
  const rows = openRows(db);
  const byId = new Map(rows.filter((r) => r.automation_id !== null).map((r) => [r.automation_id, r]));
  const shown = items.map((a) => {
    const row = byId.get(a.id);
    return row ? overlay(a, row) : { ...a, pending: null };
  });
  return [...shown, ...rows.filter((r) => r.automation_id === null).map((r) => overlay(null, r))];
}

/** One automation with its kept edit, if any; null when `id` is of an offline creation that is gone. */
export function withDraft(db: CacheDb, id: number, server: Automation | null): LocalAutomation | null {
  const row = openFor(db, id);
  if (row) return overlay(server, row);
  return server ? { ...server, pending: null } : null;
}

/**
 * Keeps an edit of an automation for later. `server` is the automation as last read (the base of
 * a new edit). A second edit replaces the first's target and keeps its base; an edit back to the
 * base drops it (nothing to send). An offline creation (negative id) takes the new target.
 */
export function keepAutomationEdit(db: CacheDb, input: { id: number; server: Automation | null; target: AutomationTarget; now: string }): LocalAutomation {
  const { id, server, now } = input;
  const target = targetOf(input.target);
  const existing = openFor(db, id);
  if (existing?.state === 'conflict') throw new AppError('CONFLICT', `${targetOfRow(existing).name} has a conflicting edit; resolve it on Pending changes first`);
  if (existing) {
    const base = baseOfRow(existing);
    if (base && sameContent(base, target)) {
      db.prepare('DELETE FROM automation_drafts WHERE id = ?').run(existing.id);
      return server ? { ...server, pending: null } : must(withDraft(db, id, server));
    }
    db.prepare("UPDATE automation_drafts SET target_json = ?, state = 'queued', error = NULL, fields_json = NULL, updated_at = ? WHERE id = ?").run(JSON.stringify(target), now, existing.id);
    return must(withDraft(db, id, server));
  }
  if (!server) throw new AppError('NOT_FOUND', 'There is no such automation on this computer');
  if (sameContent(targetOf(server), target)) return { ...server, pending: null };
  db.prepare(
    `INSERT INTO automation_drafts (automation_id, base_version, base_json, target_json, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
  ).run(server.id, server.version, JSON.stringify(targetOf(server)), JSON.stringify(target), now, now);
  return must(withDraft(db, id, server));
}

/** Keeps an automation created offline; it gets its id when it is sent. */
export function keepAutomationCreate(db: CacheDb, target: AutomationTarget, now: string): LocalAutomation {
  const made = db
    .prepare("INSERT INTO automation_drafts (automation_id, target_json, state, created_at, updated_at) VALUES (NULL, ?, 'queued', ?, ?)")
    .run(JSON.stringify(targetOf(target)), now, now);
  return must(withDraft(db, -Number(made.lastInsertRowid), null));
}

function must<T>(value: T | null): T {
  if (value === null) throw new AppError('NOT_FOUND', 'There is no such automation on this computer');
  return value;
}

const what = 'pending automation change';

export function discardAutomationDraft(db: CacheDb, id: number): void {
  discardOpenRow(db, 'automation_drafts', id, what);
}

/** The automation was deleted (online): an edit still kept for it has nothing left to change. */
export function dropAutomationDrafts(db: CacheDb, automationId: number): void {
  db.prepare("DELETE FROM automation_drafts WHERE automation_id = ? AND state <> 'applied'").run(automationId);
}

/** Mine: re-based on the server's version, sent as it is. Theirs: the edit is dropped. */
export function resolveAutomationDraft(db: CacheDb, id: number, keep: 'mine' | 'theirs', now: string): void {
  resolveOpenConflict<Row>(db, {
    table: 'automation_drafts',
    id,
    what,
    keep,
    rebase: (row) => {
      const server = serverOfRow(row);
      if (!server) throw new AppError('BAD_REQUEST', 'This change is not in conflict');
      db.prepare("UPDATE automation_drafts SET base_version = ?, base_json = ?, server_json = NULL, state = 'queued', updated_at = ? WHERE id = ?").run(server.version, JSON.stringify(targetOf(server)), now, id);
    },
  });
}

const mark = (db: CacheDb, row: Row, now: string, set: { state: Row['state']; server?: Automation | null; error?: AppError | null; automationId?: number | null }) =>
  db
    .prepare('UPDATE automation_drafts SET state = ?, server_json = ?, error = ?, fields_json = ?, automation_id = ?, updated_at = ? WHERE id = ?')
    .run(set.state, set.server ? JSON.stringify(set.server) : null, set.error?.message ?? null, set.error?.fields ? JSON.stringify(set.error.fields) : null, set.automationId ?? row.automation_id, now, row.id);

/**
 * An offline creation, made exactly once. Before creating, the server is asked for an automation
 * of the same name and definition: a send whose answer was lost (or a crash before it was
 * recorded) left exactly that, and it is taken as this one. That is enough because the match
 * is on the whole definition: a colleague's identical automation of the same name is the same
 * automation in every way a run can tell, and anything less identical is created as asked.
 */
async function sendCreate(db: CacheDb, server: AutomationsServer, row: Row, now: () => string): Promise<number> {
  const target = targetOfRow(row);
  const made = (await server.list()).find((a) => sameDefinition(targetOf(a), target)) ?? (await server.create(target));
  mark(db, row, now(), { state: 'applied', automationId: made.id });
  return made.id;
}

/**
 * An edit of an existing automation. The definition goes first (update), then the switch
 * (setEnabled); after the first the row is re-based on the version it made, so a crash between
 * the two resumes with the switch instead of calling it a conflict.
 */
async function sendEdit(db: CacheDb, server: AutomationsServer, row: Row & { automation_id: number }, now: () => string): Promise<void> {
  const target = targetOfRow(row);
  let current = await server.get(row.automation_id);
  const decision = decideSend(
    { version: current.version, content: targetOf(current) },
    { base: { version: row.base_version, content: baseOfRow(row) }, target: { version: null, content: target } },
    (a, b) => (b.version !== null && a.version === b.version) || (b.content !== null && a.content !== null && sameContent(a.content, b.content)),
  );
  if (decision === 'conflict') {
    mark(db, row, now(), { state: 'conflict', server: current });
    return;
  }
  if (decision === 'send') {
    if (!sameDefinition(targetOf(current), target)) {
      current = await server.update({ ...definitionOf(target), id: current.id, baseVersion: current.version });
      db.prepare('UPDATE automation_drafts SET base_version = ?, base_json = ?, updated_at = ? WHERE id = ?').run(current.version, JSON.stringify(targetOf(current)), now(), row.id);
    }
    if (current.enabled !== target.enabled) await server.setEnabled({ id: current.id, enabled: target.enabled, baseVersion: current.version });
  }
  mark(db, row, now(), { state: 'applied' });
}

/**
 * Sends the queued edits, oldest first, each checked against the server right before it goes.
 * Stops at the first failure to reach the server (the rest wait for the next attempt); a refusal
 * (the type-checker's 400 with its fields, a deleted automation) marks that edit rejected, with
 * why; a version race lost meanwhile is a conflict. Returns whether anything reached the server.
 */
export async function pushAutomationDrafts(db: CacheDb, server: AutomationsServer, now: () => string): Promise<boolean> {
  const rows = db.prepare("SELECT * FROM automation_drafts WHERE state = 'queued' ORDER BY id").all() as Row[];
  let sent = false;
  for (const row of rows) {
    try {
      if (row.automation_id === null) await sendCreate(db, server, row, now);
      else await sendEdit(db, server, { ...row, automation_id: row.automation_id }, now);
      sent = true;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      sent = true;
      if (error.code === 'CONFLICT' && row.automation_id !== null) {
        // Someone saved between the read and the send: show what the server holds now.
        mark(db, row, now(), { state: 'conflict', server: await server.get(row.automation_id) });
        continue;
      }
      mark(db, row, now(), { state: 'rejected', error });
    }
  }
  return sent;
}
