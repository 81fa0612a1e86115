import { z } from 'zod';
import { clientSchema } from '../../../shared/clients.js';
import { AppError } from '../../../shared/errors.js';
import { mappingSchema } from '../../../shared/clients.js';
import type { MappingDraft } from '../../../shared/localApi.js';
import { getCachedRead } from '../cache/serverReads.js';
import type { CacheDb } from '../db/types.js';
import type { MappingServer } from '../server/contract.js';
import { discardOpenRow, resolveOpenConflict } from './keptRows.js';
import { decideSend, isRefusal } from './sendRule.js';

/**
 * Mapping edits made offline (migration 4). One open edit per organization, remembering what
 * the organization's client was when the edit was made (its base). Sending compares the server's
 * current mapping with base and target, so each edit changes the server at most once:
 * already the target → applied (a replay after a crash, or the same edit made elsewhere);
 * still the base → sent; anything else → a conflict, shown beside the edit until resolved.
 */

interface Row {
  id: number;
  integration_key: string;
  external_org_id: string;
  external_org_name: string;
  base_client_id: number | null;
  client_id: number | null;
  state: MappingDraft['state'];
  server_client_id: number | null;
  error: string | null;
  updated_at: string;
}

export interface MappingEdit {
  externalOrgId: string;
  externalOrgName: string;
  /** null: unmap. */
  clientId: number | null;
}

const clientsDoc = z.array(clientSchema);
const mappingsDoc = z.array(mappingSchema);

function toDraft(row: Row, names: Map<number, string>): MappingDraft {
  const name = (id: number | null) => (id === null ? null : (names.get(id) ?? `Client #${id}`));
  return {
    id: row.id,
    integrationKey: row.integration_key,
    externalOrgId: row.external_org_id,
    externalOrgName: row.external_org_name,
    baseClientId: row.base_client_id,
    clientId: row.client_id,
    state: row.state,
    serverClientId: row.server_client_id,
    clientName: name(row.client_id),
    baseClientName: name(row.base_client_id),
    serverClientName: name(row.server_client_id),
    error: row.error,
    updatedAt: row.updated_at,
  };
}

/** Open edits (not applied), oldest first; of one integration when `key` is given. */
export function listMappingDrafts(db: CacheDb, key?: string): MappingDraft[] {
  const names = new Map((getCachedRead(db, 'clients', clientsDoc)?.value ?? []).map((c) => [c.id, c.name]));
  const rows = (key
    ? db.prepare("SELECT * FROM mapping_drafts WHERE state <> 'applied' AND integration_key = ? ORDER BY id").all(key)
    : db.prepare("SELECT * FROM mapping_drafts WHERE state <> 'applied' ORDER BY id").all()) as Row[];
  return rows.map((r) => toDraft(r, names));
}

/**
 * Keeps edits for later, in one transaction. A second edit of the same organization replaces the
 * first's target and keeps its base; an edit back to the base drops it (nothing to send).
 */
export function queueMappingEdits(db: CacheDb, key: string, edits: readonly MappingEdit[], now: string): number {
  const read = getCachedRead(db, `mappings:${key}`, mappingsDoc);
  const cached = new Map((read?.value ?? []).map((m) => [m.externalOrgId, m.clientId]));
  const open = db.prepare("SELECT * FROM mapping_drafts WHERE integration_key = ? AND external_org_id = ? AND state <> 'applied'");
  const insert = db.prepare(
    `INSERT INTO mapping_drafts (integration_key, external_org_id, external_org_name, base_client_id, client_id, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`,
  );
  const update = db.prepare("UPDATE mapping_drafts SET client_id = ?, state = 'queued', server_client_id = NULL, error = NULL, updated_at = ? WHERE id = ?");
  const drop = db.prepare('DELETE FROM mapping_drafts WHERE id = ?');
  const applied = db.prepare("UPDATE mapping_drafts SET state = 'applied', updated_at = ? WHERE id = ?");
  let queued = 0;
  db.transaction(() => {
    for (const edit of edits) {
      let existing = open.get(key, edit.externalOrgId) as Row | undefined;
      // The server, as last read, already holds the open edit's target: a send whose answer was
      // lost (the server died after committing) applied it — pushMappingDrafts' own rule. It is
      // history, and this edit starts from what the server holds: merged into it, an unmap
      // after a map would be "back to base" and dropped, leaving the server's map in place.
      if (existing?.state === 'queued' && read && existing.client_id !== existing.base_client_id && (cached.get(edit.externalOrgId) ?? null) === existing.client_id) {
        applied.run(now, existing.id);
        existing = undefined;
      }
      const base = existing ? existing.base_client_id : (cached.get(edit.externalOrgId) ?? null);
      if (existing && existing.state === 'conflict') throw new AppError('CONFLICT', `${edit.externalOrgName} has a conflicting edit; resolve it on Pending changes first`);
      if (edit.clientId === base) {
        if (existing) drop.run(existing.id);
        continue;
      }
      if (existing) update.run(edit.clientId, now, existing.id);
      else insert.run(key, edit.externalOrgId, edit.externalOrgName, base, edit.clientId, now, now);
      queued++;
    }
  })();
  return queued;
}

const what = 'pending mapping change';

export function discardMappingDraft(db: CacheDb, id: number): void {
  discardOpenRow(db, 'mapping_drafts', id, what);
}

/** Mine: send the edit over what the server holds now. Theirs: drop the edit. */
export function resolveMappingDraft(db: CacheDb, id: number, keep: 'mine' | 'theirs', now: string): void {
  resolveOpenConflict<Row>(db, {
    table: 'mapping_drafts',
    id,
    what,
    keep,
    rebase: () => db.prepare("UPDATE mapping_drafts SET base_client_id = server_client_id, server_client_id = NULL, state = 'queued', updated_at = ? WHERE id = ?").run(now, id),
  });
}

/**
 * Sends the queued edits, oldest first, each checked against the server's mapping of its
 * organization right before it goes. Stops at the first failure to reach the server (the rest
 * wait for the next attempt); a refusal (an archived client, …) marks that edit rejected, with why.
 * Returns the integrations whose mappings changed.
 */
export async function pushMappingDrafts(db: CacheDb, server: MappingServer, now: () => string): Promise<Set<string>> {
  const rows = db.prepare("SELECT * FROM mapping_drafts WHERE state = 'queued' ORDER BY id").all() as Row[];
  const touched = new Set<string>();
  if (rows.length === 0) return touched;
  const held = new Map<string, Map<string, number>>();
  const mark = db.prepare('UPDATE mapping_drafts SET state = ?, server_client_id = ?, error = ?, updated_at = ? WHERE id = ?');
  for (const row of rows) {
    const key = row.integration_key;
    if (!held.has(key)) held.set(key, new Map((await server.mappings(key)).map((m) => [m.externalOrgId, m.clientId])));
    const mappings = held.get(key) ?? new Map<string, number>();
    const current = mappings.get(row.external_org_id) ?? null;
    const decision = decideSend(current, { base: row.base_client_id, target: row.client_id });
    if (decision === 'applied') {
      mark.run('applied', null, null, now(), row.id);
      continue;
    }
    if (decision === 'conflict') {
      mark.run('conflict', current, null, now(), row.id);
      continue;
    }
    try {
      await server.applyMappings({
        key,
        delete: current === null ? [] : [row.external_org_id],
        create: row.client_id === null ? [] : [{ clientId: row.client_id, externalOrgId: row.external_org_id, externalOrgName: row.external_org_name }],
      });
    } catch (error) {
      if (isRefusal(error)) {
        mark.run('rejected', null, error.message, now(), row.id);
        continue;
      }
      throw error;
    }
    mark.run('applied', null, null, now(), row.id);
    if (row.client_id === null) mappings.delete(row.external_org_id);
    else mappings.set(row.external_org_id, row.client_id);
    touched.add(key);
  }
  return touched;
}
