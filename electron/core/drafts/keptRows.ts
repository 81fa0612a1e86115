import { AppError } from '../../../shared/errors.js';
import type { CacheDb } from '../db/types.js';

/** Tables of edits kept offline: rows stay as history once 'applied', and are open until then. */
type KeptTable = 'mapping_drafts' | 'automation_drafts';

/** An open (not applied) row, or NOT_FOUND naming `what` ("pending mapping change"). */
export function requireOpenRow<R>(db: CacheDb, table: KeptTable, id: number, what: string): R {
  const row = db.prepare(`SELECT * FROM ${table} WHERE id = ? AND state <> 'applied'`).get(id) as R | undefined;
  if (!row) throw new AppError('NOT_FOUND', `There is no such ${what}`);
  return row;
}

/** Discard: an open row goes (nothing was sent, or the server refused it). */
export function discardOpenRow(db: CacheDb, table: KeptTable, id: number, what: string): void {
  requireOpenRow(db, table, id, what);
  db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id);
}

/**
 * A conflict resolved: theirs drops the edit (the server's stays); mine re-bases it on what the
 * server holds (`rebase`), so the next push sends it. Only a row in conflict is resolved.
 */
export function resolveOpenConflict<R extends { state: string }>(db: CacheDb, input: { table: KeptTable; id: number; what: string; keep: 'mine' | 'theirs'; rebase(row: R): void }): void {
  const row = requireOpenRow<R>(db, input.table, input.id, input.what);
  if (row.state !== 'conflict') throw new AppError('BAD_REQUEST', 'This change is not in conflict');
  if (input.keep === 'theirs') db.prepare(`DELETE FROM ${input.table} WHERE id = ?`).run(input.id);
  else input.rebase(row);
}
