import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionRunResult } from '../../../shared/actions.js';
import { AppError } from '../../../shared/errors.js';
import { openCacheDatabase } from '../db/open.js';
import type { CacheDb } from '../db/types.js';
import { tempCache } from '../test/fixtures.js';
import { countPendingDrafts } from './draftRows.js';
import { composeIntent, discardIntent, listIntents, queueIntent, queuedIntentIds, retryIntent, sendIntent, type IntentRunner } from './actionIntents.js';

// The intent lifecycle in the cache, against a stand-in for the server that keeps the one rule
// the core relies on: one vendor call per idempotency key, the stored answer for a repeat.
// The same flow against the real server and the Syncro fake: services/realActions.test.ts.

type Call = Parameters<IntentRunner['run']>[0];

class KeyedServer implements IntentRunner {
  readonly vendorCalls: Call[] = [];
  readonly stored = new Map<string, ActionRunResult>();
  /** Throws this instead of answering, once per entry, after (`after`) or before the vendor call. */
  failures: { error: Error; after: boolean }[] = [];
  refuse: ((call: Call) => string | null) | null = null;

  async run(call: Call): Promise<ActionRunResult> {
    const failure = this.failures.shift();
    if (failure && !failure.after) throw failure.error;
    let result = this.stored.get(call.idempotencyKey);
    if (!result) {
      this.vendorCalls.push(call);
      const refusal = this.refuse?.(call) ?? null;
      const at = new Date().toISOString();
      result = refusal
        ? { runId: this.stored.size + 1, actionId: call.actionId, status: 'failed', error: { code: 'VENDOR_ERROR', message: refusal }, replayed: false, startedAt: at, finishedAt: at }
        : { runId: this.stored.size + 1, actionId: call.actionId, status: 'succeeded', output: { comment: { id: String(900 + this.vendorCalls.length) }, timerEntry: { id: String(700 + this.vendorCalls.length) } }, replayed: false, startedAt: at, finishedAt: at };
      this.stored.set(call.idempotencyKey, result);
    } else result = { ...result, replayed: true };
    if (failure) throw failure.error;
    return result;
  }
}

const ticket = { id: '4242', number: '1042', subject: 'Backups failing', status: 'Open', url: 'https://acme.syncromsp.com/tickets/4242' };
const compose = (extra: object = {}) => ({ clientId: 7, ticket, comment: { body: 'Checked the backups today.' }, ...extra });
const clock = () => new Date().toISOString();

let cache: Awaited<ReturnType<typeof tempCache>>;
let db: CacheDb;
beforeEach(async () => {
  cache = await tempCache();
  db = cache.db;
});
afterEach(async () => {
  if (db.open) db.close();
  await cache.cleanup();
});

describe('ticket updates as action intents', () => {
  it('keeps the key made at compose time for every send, and a lost answer never posts twice', async () => {
    const draft = composeIntent(db, compose({ time: { minutes: 30, notes: 'Backup review' } }), 'Dataforth Corp.', clock());
    expect(draft.state).toBe('draft');
    expect(draft.steps.map((s) => [s.kind, s.idempotencyKey])).toEqual([
      ['comment', `${draft.key}:comment`],
      ['add_time', `${draft.key}:add_time`],
    ]);
    // Rewriting the draft before it is queued keeps its key: nothing was sent under it.
    const edited = composeIntent(db, { ...compose(), id: draft.id, comment: { body: 'Checked the backups; all green.', hidden: true } }, 'Dataforth Corp.', clock());
    expect(edited.key).toBe(draft.key);
    expect(edited.comment).toMatchObject({ body: 'Checked the backups; all green.', hidden: true });
    expect(edited.steps).toHaveLength(1);
    expect(countPendingDrafts(db)).toBe(1);

    queueIntent(db, draft.id, clock());
    const server = new KeyedServer();
    // The server ran it, but the answer never arrived (a crash, the network cut).
    server.failures.push({ error: new AppError('UNAVAILABLE', 'The server cannot be reached'), after: true });
    await expect(sendIntent(db, draft.id, server, clock)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(listIntents(db)[0]).toMatchObject({ state: 'queued', steps: [{ state: 'pending', attempts: 1 }] });
    expect(() => discardIntent(db, draft.id)).toThrow(/reaching Syncro/);

    // After a restart (the file reopened), the same key goes again: the stored answer, no second comment.
    db.close();
    db = await openCacheDatabase(cache.file);
    expect(queuedIntentIds(db)).toEqual([draft.id]);
    const sent = await sendIntent(db, draft.id, server, clock);
    expect(server.vendorCalls).toHaveLength(1);
    expect(sent).toMatchObject({ state: 'sent', steps: [{ state: 'sent', vendorId: '901', attempts: 2, idempotencyKey: `${draft.key}:comment` }] });
    expect(countPendingDrafts(db)).toBe(0);
  });

  it('a vendor refusal needs attention, says what was done, and a retry resends only the failed step under a new key', async () => {
    const intent = composeIntent(db, compose({ time: { minutes: 15 } }), 'Dataforth Corp.', clock());
    queueIntent(db, intent.id, clock());
    const server = new KeyedServer();
    server.refuse = (call) => (call.actionId === 'syncro.tickets.add_time' ? 'Ticket is closed' : null);
    const stopped = await sendIntent(db, intent.id, server, clock);
    expect(stopped.state).toBe('needs_attention');
    expect(stopped.error).toBe('Posting the time entry failed: Ticket is closed. Already done: the comment.');
    expect(stopped.steps.map((s) => s.state)).toEqual(['sent', 'failed']);

    server.refuse = null;
    const retried = retryIntent(db, intent.id, clock());
    expect(retried.steps[1]?.idempotencyKey).not.toBe(`${intent.key}:add_time`);
    const done = await sendIntent(db, intent.id, server, clock);
    expect(done.state).toBe('sent');
    // One comment, the refused time entry and its retry: the comment was not sent again.
    expect(server.vendorCalls.map((c) => c.actionId)).toEqual(['syncro.tickets.comment', 'syncro.tickets.add_time', 'syncro.tickets.add_time']);
  });

  it('"in progress" waits for later with the same key; an unavailable action needs attention; a refused request fails', async () => {
    const intent = composeIntent(db, compose(), 'Dataforth Corp.', clock());
    queueIntent(db, intent.id, clock());
    const server = new KeyedServer();
    server.failures.push({ error: new AppError('CONFLICT', 'A run with this idempotency key is in progress'), after: false });
    await expect(sendIntent(db, intent.id, server, clock)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(listIntents(db)[0]?.state).toBe('queued');

    server.failures.push({ error: new AppError('CONFLICT', 'Map Dataforth Corp. to a Syncro customer first'), after: false });
    const attention = await sendIntent(db, intent.id, server, clock);
    expect(attention).toMatchObject({ state: 'needs_attention', error: 'Posting the comment failed: Map Dataforth Corp. to a Syncro customer first. Nothing was posted.' });

    // A failure the server stored for this key comes back on every resend (the run in details):
    // even a "later" code then needs the user, who retries under a new key.
    const stored = composeIntent(db, compose(), 'Dataforth Corp.', clock());
    queueIntent(db, stored.id, clock());
    const at = clock();
    const run = { runId: 9, actionId: 'syncro.tickets.comment', status: 'failed', error: { code: 'rate_limited', message: 'Syncro says slow down' }, replayed: true, startedAt: at, finishedAt: at };
    server.failures.push({ error: new AppError('RATE_LIMITED', 'Syncro says slow down', { details: run }), after: false });
    expect((await sendIntent(db, stored.id, server, clock)).state).toBe('needs_attention');

    const other = composeIntent(db, compose(), 'Dataforth Corp.', clock());
    queueIntent(db, other.id, clock());
    server.failures.push({ error: new AppError('FORBIDDEN', 'Only partner admins can run this action'), after: false });
    expect((await sendIntent(db, other.id, server, clock)).state).toBe('failed');
    expect(server.vendorCalls).toHaveLength(0);
  });

  it('checks what is composed against the actions’ own schemas, writing nothing when it is wrong', () => {
    expect(() => composeIntent(db, compose({ comment: { body: '   ' } }), 'Dataforth Corp.', clock())).toThrow(/Write the comment/);
    expect(() => composeIntent(db, compose({ time: { minutes: 0 } }), 'Dataforth Corp.', clock())).toThrow(/At least 1 minute/);
    expect(() => composeIntent(db, { ...compose(), ticket: { ...ticket, id: 'abc' } }, 'Dataforth Corp.', clock())).toThrow(/Ticket id/);
    expect(listIntents(db)).toEqual([]);
  });
});
