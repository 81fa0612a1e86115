import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheDb } from '../db/types.js';
import type { SecretBox } from '../secrets/secretBox.js';
import { syncroDetail, tempCache } from '../test/fixtures.js';
import { seedMirror } from '../test/seed.js';
import { getDraftRow, toDraft } from './draftRows.js';
import { reviewDraft, saveDraft } from './drafts.js';
import { pendingMutations, queueDraft, recordResult, resolveConflict } from './outbox.js';

let cache: Awaited<ReturnType<typeof tempCache>>;
let db: CacheDb;
let box: SecretBox;
beforeEach(async () => {
  cache = await tempCache();
  ({ db, box } = cache);
  seedMirror(db, syncroDetail({ version: 3 }));
});
afterEach(() => cache.cleanup());

/** Queues my change (subdomain + new token) and records the server's conflict answer. */
function conflictWith(serverSettings: Record<string, unknown>, conflictFields: string[] = []) {
  const draft = saveDraft(db, box, { integrationKey: 'syncro', kind: 'reconfigure', values: { subdomain: 'mine', api_token: 'tok-mine-5678', sync_tickets: true } });
  reviewDraft(db, box, draft.id);
  queueDraft(db, draft.id);
  const current = syncroDetail({ version: 4, settings: { subdomain: 'acme', api_token: { isSet: true, last4: '1234' }, sync_tickets: true, ...serverSettings } as never });
  recordResult(db, { id: 1, result: 'conflict', message: 'Changed by someone else', current, conflictFields });
  return draft.id;
}

describe('conflicts', () => {
  it('never keeps a secret value the server might send in a conflict, only that it is set', () => {
    const draft = saveDraft(db, box, { integrationKey: 'syncro', kind: 'reconfigure', values: { subdomain: 'mine' } });
    reviewDraft(db, box, draft.id);
    queueDraft(db, draft.id);
    const leaky = syncroDetail({ version: 4, settings: { subdomain: 'acme', api_token: 'tok-plain-value-4321' } as never });
    recordResult(db, { id: 1, result: 'conflict', message: 'Changed by someone else', current: leaky, conflictFields: ['subdomain'] });
    const stored = getDraftRow(db, draft.id)?.server_json ?? '';
    expect(stored).not.toContain('tok-plain-value-4321');
    expect(JSON.parse(stored).settings.api_token).toEqual({ isSet: true, last4: null });
  });

  it('keeps base, server-now and draft, and merges fields only one side changed', () => {
    const id = conflictWith({ sync_tickets: false }, ['sync_tickets']);
    const row = getDraftRow(db, id);
    expect(row?.state).toBe('conflict');
    expect(JSON.parse(row?.base_json ?? 'null')).toMatchObject({ subdomain: 'acme', sync_tickets: true });
    expect(JSON.parse(row?.server_json ?? 'null')).toMatchObject({ settings: { sync_tickets: false }, state: { version: 4 } });
    expect(JSON.parse(row?.values_json ?? 'null')).toMatchObject({ subdomain: 'mine' });

    const resolved = resolveConflict(db, { id });
    expect(resolved).toMatchObject({ state: 'queued', mutationId: 2, baseVersion: 4 });
    expect(pendingMutations(db, box, 10)).toEqual([
      { id: 2, kind: 'reconfigure', integrationKey: 'syncro', baseVersion: 4, settings: { subdomain: 'mine', sync_tickets: false, api_token: 'tok-mine-5678' } },
    ]);
  });

  it('asks for a choice on fields both sides changed, and honours it', () => {
    const id = conflictWith({ subdomain: 'theirs', api_token: { isSet: true, last4: '0000' } });
    const merge = mergeOf(id);
    expect(merge).toEqual({ fromDraft: [], fromServer: [], overlapping: ['subdomain', 'api_token'] });
    expect(() => resolveConflict(db, { id, choices: { subdomain: 'mine' } })).toThrow(/Choose a value/);

    resolveConflict(db, { id, choices: { subdomain: 'theirs', api_token: 'theirs' } });
    // Taking the server's secret means sending none (the stored one is kept) and dropping mine.
    expect(pendingMutations(db, box, 10)[0]?.settings).toEqual({ subdomain: 'theirs', sync_tickets: true });
    expect(db.prepare('SELECT count(*) FROM draft_secrets').pluck().get()).toBe(0);
  });

  it('treats the same value on both sides as no conflict', () => {
    const id = conflictWith({ subdomain: 'mine' });
    expect(mergeOf(id)).toEqual({ fromDraft: ['subdomain', 'api_token'], fromServer: [], overlapping: [] });
  });

  it('"theirs" drops the draft and leaves the server value alone', () => {
    const id = conflictWith({ subdomain: 'theirs' });
    expect(resolveConflict(db, { id, outcome: 'theirs' })).toBeNull();
    expect(getDraftRow(db, id)).toBeNull();
    expect(pendingMutations(db, box, 10)).toEqual([]);
  });

  it('turns a reconfigure into a configure when the server deleted the configuration meanwhile', () => {
    const draft = saveDraft(db, box, { integrationKey: 'syncro', kind: 'reconfigure', values: { subdomain: 'mine', api_token: 'tok-mine-5678' } });
    reviewDraft(db, box, draft.id);
    queueDraft(db, draft.id);
    recordResult(db, { id: 1, result: 'conflict', message: 'Deleted meanwhile', current: syncroDetail({ version: null }), conflictFields: [] });
    // Against a deleted configuration every field I set differs from the server: I confirm each.
    expect(mergeOf(draft.id)?.overlapping).toEqual(['subdomain', 'api_token']);
    resolveConflict(db, { id: draft.id, choices: { subdomain: 'mine', api_token: 'mine' } });
    expect(pendingMutations(db, box, 10)[0]).toMatchObject({ id: 2, kind: 'configure', baseVersion: null, settings: { subdomain: 'mine', api_token: 'tok-mine-5678' } });
  });
});

/** The merge the read model shows the UI for a draft. */
function mergeOf(id: number) {
  const row = getDraftRow(db, id);
  return row ? toDraft(db, row).merge : null;
}
