import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getIntegration, listIntegrations } from '../cache/pulledCatalog.js';
import { getMeta } from '../cache/syncMeta.js';
import type { CacheDb } from '../db/types.js';
import { getDraftRow } from '../drafts/draftRows.js';
import { reviewDraft, saveDraft } from '../drafts/drafts.js';
import { outboxSize, queueDraft } from '../drafts/outbox.js';
import type { SecretBox } from '../secrets/secretBox.js';
import { auditChange, integrationChange, page, syncroDetail, tempCache } from '../test/fixtures.js';
import { ScriptedTransport } from '../test/scriptedTransport.js';
import { waitFor } from '../test/waitFor.js';
import { SyncEngine } from './engine.js';
import { TransportError } from './transport.js';

let cache: Awaited<ReturnType<typeof tempCache>>;
let db: CacheDb;
let box: SecretBox;
let engine: SyncEngine | undefined;
beforeEach(async () => {
  cache = await tempCache();
  ({ db, box } = cache);
});
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  await cache.cleanup();
});

const down = () => new TransportError('offline', 'connect ECONNREFUSED 127.0.0.1:8787');
const msp360 = { ...syncroDetail({ version: null }), key: 'msp360', name: 'MSP360 Managed Backup' };

function makeEngine(transport: ScriptedTransport, extra: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) {
  engine = new SyncEngine({ db, box, transport, backoff: { baseMs: 20, maxMs: 100 }, pollIntervalMs: 60_000, ...extra });
  return engine;
}

/** A queued reconfigure of syncro (base version 3) with a typed token. */
function queuedEdit(subdomain = 'beta') {
  const draft = saveDraft(db, box, { integrationKey: 'syncro', kind: 'reconfigure', values: { subdomain, api_token: 'tok-typed-0042' } });
  reviewDraft(db, box, draft.id);
  return queueDraft(db, draft.id);
}

function pullCatalog(transport: ScriptedTransport) {
  return transport.onPull(page([integrationChange(syncroDetail({ version: 3 }), 5)]));
}

describe('pull', () => {
  it('first sync pages through to the end, then an incremental pull continues from the cursor', async () => {
    const transport = new ScriptedTransport(down).onPull(
      page([integrationChange(msp360, 0), integrationChange(syncroDetail({ version: 3 }), 5), auditChange(1, 6)], { hasMore: true, nextCursor: 'p1' }),
      page([auditChange(2, 7)], { nextCursor: 'p2', serverVersion: 7 }),
      page([integrationChange(syncroDetail({ version: 4, settings: { subdomain: 'new', api_token: { isSet: true, last4: '9999' } } }), 8)], { nextCursor: 'p3', serverVersion: 8 }),
    );
    makeEngine(transport);
    expect((await engine?.requestSync())?.serverVersion).toBe(7);
    expect(listIntegrations(db).map((d) => d.key)).toEqual(['msp360', 'syncro']);
    expect(db.prepare('SELECT id FROM mirror_audit ORDER BY id').pluck().all()).toEqual([1, 2]);
    expect(getMeta(db, 'cursor')).toBe('p2');
    expect(getMeta(db, 'lastSyncedAt')).not.toBeNull();

    await engine?.requestSync();
    expect(getIntegration(db, 'syncro')?.settings).toEqual({ subdomain: 'new', api_token: { isSet: true, last4: '9999' } });
    expect(transport.pulls.map((p) => p.cursor)).toEqual([null, 'p1', 'p2']);
  });

  it('applies a tombstone as "not configured" and keeps the catalog entry', async () => {
    const transport = pullCatalog(new ScriptedTransport(down)).onPull(page([{ kind: 'integration_deleted', key: 'syncro', version: 9, id: 'integration:syncro' }]));
    makeEngine(transport);
    await engine?.requestSync();
    await engine?.requestSync();
    expect(getIntegration(db, 'syncro')).toMatchObject({ key: 'syncro', settings: null, state: { status: 'Not Configured', version: null } });
  });

  it('applies a page and its cursor atomically: a page that fails leaves neither', async () => {
    const transport = pullCatalog(new ScriptedTransport(down)).onPull(
      page([integrationChange(msp360, 10), auditChange(99, 11)], { nextCursor: 'after-bad-page' }),
    );
    makeEngine(transport);
    await engine?.requestSync();
    const cursorBefore = getMeta(db, 'cursor');
    // The second change of the page fails to apply, as a crash mid-page would stop it.
    db.exec("CREATE TEMP TRIGGER crash BEFORE INSERT ON mirror_audit WHEN NEW.id = 99 BEGIN SELECT RAISE(ABORT, 'crash'); END");
    const status = await engine?.requestSync();
    expect(status?.lastError).toMatch(/crash/);
    expect(getMeta(db, 'cursor')).toBe(cursorBefore);
    expect(getIntegration(db, 'msp360')).toBeNull();
  });

  it('a reset drops the mirrors but never drafts, secrets or the outbox', async () => {
    const transport = pullCatalog(new ScriptedTransport(down)).onPull(
      page([integrationChange(msp360, 0), integrationChange(syncroDetail({ version: 3 }), 20)], { reset: true, nextCursor: 'fresh' }),
    );
    makeEngine(transport);
    await engine?.requestSync();
    db.prepare("INSERT INTO mirror_audit (id, integration_key, entry_json, sync_version) VALUES (7, 'gone', '{}', 1)").run();
    const draft = queuedEdit();
    transport.onPush(new TransportError('transient', 'busy'));
    await engine?.requestSync();

    expect(db.prepare('SELECT count(*) FROM mirror_audit').pluck().get()).toBe(0);
    expect(listIntegrations(db).map((d) => d.key)).toEqual(['msp360', 'syncro']);
    expect(getDraftRow(db, draft.id)?.state).toBe('queued');
    expect(outboxSize(db)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM draft_secrets').pluck().get()).toBe(1);
    expect(getMeta(db, 'cursor')).toBe('fresh');
  });

  it('keeps only the newest audit rows of each integration', async () => {
    const transport = new ScriptedTransport(down).onPull(page([1, 2, 3, 4, 5].map((id) => auditChange(id, id)).concat([auditChange(6, 6, 'msp360')])));
    makeEngine(transport, { auditWindow: 3 });
    await engine?.requestSync();
    expect(db.prepare('SELECT id FROM mirror_audit ORDER BY id').pluck().all()).toEqual([3, 4, 5, 6]);
    expect(transport.pulls[0]?.auditWindow).toBe(3);
  });
});

describe('connection', () => {
  it('a lost change stream whose sync still succeeds (a server shutting down) is checked again soon, not after the poll', async () => {
    const caughtUp = () => page([], { nextCursor: 'same', serverVersion: 5 });
    // Answers the first sync and the one the lost stream starts, then nobody answers.
    const transport = new ScriptedTransport(down).onPull(caughtUp(), caughtUp());
    makeEngine(transport, { pollIntervalMs: 60_000 });
    engine?.start();
    await waitFor(() => engine?.status().connection === 'online' && transport.pulls.length === 1);
    transport.lose();
    await waitFor(() => engine?.status().connection === 'offline', 2_000);
    expect(transport.pulls).toHaveLength(3);
  });
  it('a lost stream while it already shows offline starts no sync; once its own retry finds the server, the next report checks at once', async () => {
    const caughtUp = () => page([], { nextCursor: 'same', serverVersion: 5 });
    // Down, then back (found by the engine's own sync, not the stream), then down again.
    const transport = new ScriptedTransport(down).onPull(down(), caughtUp());
    makeEngine(transport, { backoff: { baseMs: 60_000, maxMs: 60_000 } });
    engine?.start();
    await waitFor(() => engine?.status().connection === 'offline');
    transport.lose();
    transport.lose();
    await new Promise((r) => setTimeout(r, 50));
    expect(transport.pulls).toHaveLength(1);

    await engine?.requestSync();
    expect(engine?.status().connection).toBe('online');
    // The e2e flap: the stream, still in its backoff, then finds nobody and says so.
    transport.lose();
    await waitFor(() => engine?.status().connection === 'offline', 2_000);
    expect(transport.pulls).toHaveLength(3);
  });
});

describe('push', () => {
  it('retries on its timer without any user action and applies the change once', async () => {
    const transport = pullCatalog(new ScriptedTransport(down));
    makeEngine(transport);
    await engine?.requestSync();
    const draft = queuedEdit();
    // Server down for two attempts, then it answers.
    transport.onPush(down(), down(), (req) => ({ results: req.mutations.map((m) => ({ id: m.id, result: 'applied' as const, version: 4 })), lastMutationId: 1 }));
    transport.onPull(page([], { nextCursor: 'same', lastMutationId: 1, serverVersion: 5 }));

    engine?.start();
    await waitFor(() => getDraftRow(db, draft.id)?.state === 'applied');
    expect(transport.pushes.map((p) => p.mutations.map((m) => m.id))).toEqual([[1], [1], [1]]);
    // Every attempt sent the same mutation: what the server applies once is what was reviewed.
    expect(new Set(transport.pushes.map((p) => JSON.stringify(p))).size).toBe(1);
    await waitFor(() => engine?.status().connection === 'online');
    expect(engine?.status()).toMatchObject({ pendingMutations: 0, lastError: null });
  });

  it('a partial answer keeps the rest for a retry; conflicts and rejections advance the queue', async () => {
    const other = { ...syncroDetail({ version: 2 }), key: 'other', name: 'Other' };
    const transport = new ScriptedTransport(down).onPull(page([integrationChange(syncroDetail({ version: 3 }), 5), integrationChange(other, 6)]));
    makeEngine(transport);
    await engine?.requestSync();
    const first = queuedEdit('one');
    const second = saveDraft(db, box, { integrationKey: 'other', kind: 'delete', values: {} });
    reviewDraft(db, box, second.id);
    queueDraft(db, second.id);

    transport.onPush(
      { results: [{ id: 1, result: 'rejected', code: 'VALIDATION_FAILED', message: 'Bad subdomain' }], lastMutationId: 1 },
      { results: [{ id: 2, result: 'conflict', message: 'Changed meanwhile', current: other, conflictFields: [] }], lastMutationId: 2 },
    );
    transport.onPull(page([]));
    engine?.start();
    await waitFor(() => getDraftRow(db, second.id)?.state === 'conflict');
    expect(getDraftRow(db, first.id)?.state).toBe('rejected');
    expect(transport.pushes.map((p) => p.mutations.map((m) => m.id))).toEqual([[1, 2], [2]]);
    expect(outboxSize(db)).toBe(0);
  });

  it('stops on an expired session without losing anything, and resumes after login', async () => {
    const transport = pullCatalog(new ScriptedTransport(down));
    makeEngine(transport);
    await engine?.requestSync();
    const draft = queuedEdit();
    transport.onPush(new TransportError('unauthorized', 'Sign in again'));
    engine?.start();
    await waitFor(() => engine?.status().authRequired);
    expect(engine?.status().nextRetryAt).toBeNull();
    expect(getDraftRow(db, draft.id)?.state).toBe('queued');

    transport.onPush({ results: [{ id: 1, result: 'applied', version: 4 }], lastMutationId: 1 }).onPull(page([]));
    engine?.resumeAfterLogin();
    await waitFor(() => getDraftRow(db, draft.id)?.state === 'applied');
  });

  it('recovers from a refused gap by renumbering under a new client id', async () => {
    const transport = pullCatalog(new ScriptedTransport(down));
    makeEngine(transport);
    await engine?.requestSync();
    db.prepare("INSERT INTO sync_meta (key, value) VALUES ('lastMutationIssued', '4')").run();
    const draft = queuedEdit();
    expect(draft.mutationId).toBe(5);
    const oldClient = getMeta(db, 'clientId');
    transport.onPush(
      new TransportError('fatal', 'gap', { code: 'CONFLICT', details: { reason: 'mutation_gap', lastMutationId: 0 } }),
      { results: [{ id: 1, result: 'applied', version: 4 }], lastMutationId: 1 },
    );
    transport.onPull(page([]));
    await engine?.requestSync();
    expect(getDraftRow(db, draft.id)?.state).toBe('applied');
    expect(transport.pushes[1]?.mutations[0]?.id).toBe(1);
    expect(transport.pushes[1]?.clientId).not.toBe(oldClient);
  });
});

describe('client id refused as someone else’s', () => {
  it('starts over under a new client id, for a push and for a pull', async () => {
    const transport = pullCatalog(new ScriptedTransport(down));
    makeEngine(transport);
    await engine?.requestSync();
    const draft = queuedEdit();
    const taken = () => new TransportError('fatal', 'This sync client belongs to another user', { code: 'FORBIDDEN', details: { reason: 'client_taken' } });
    transport.onPush(taken(), (req) => ({ results: [{ id: req.mutations[0]?.id ?? 0, result: 'applied', version: 4 }], lastMutationId: 1 }));
    transport.onPull(page([]));
    expect((await engine?.requestSync())?.lastError).toBeNull();
    expect(getDraftRow(db, draft.id)?.state).toBe('applied');
    const [refused, renewed] = transport.pushes.map((p) => p.clientId);
    expect(renewed).not.toBe(refused);
    expect(transport.pushes[1]?.mutations[0]?.id).toBe(1);

    // Refused on a pull: same recovery, and the new id is kept from then on.
    transport.onPull(taken(), page([]));
    expect((await engine?.requestSync())?.lastError).toBeNull();
    const [refusedPull, retried] = transport.pulls.slice(-2).map((p) => p.clientId);
    expect(refusedPull).toBe(renewed);
    expect(retried).not.toBe(renewed);
    expect(getMeta(db, 'clientId')).toBe(retried);
  });
});

describe('restart', () => {
  it('a change queued while the server is down survives a restart and is sent once when it returns', async () => {
    const offline = pullCatalog(new ScriptedTransport(down));
    makeEngine(offline);
    await engine?.requestSync();
    const draft = queuedEdit();
    engine?.start();
    await waitFor(() => offline.pushes.length >= 2);
    await engine?.stop();
    cache.db.close();

    // A new process: same file, new engine, the server is back.
    const { openCacheDatabase } = await import('../db/open.js');
    db = await openCacheDatabase(cache.file);
    cache.db = db;
    const back = new ScriptedTransport(down)
      .onPush((req) => ({ results: req.mutations.map((m) => ({ id: m.id, result: 'applied' as const, version: 4 })), lastMutationId: 1 }))
      .onPull(page([], { lastMutationId: 1 }));
    makeEngine(back);
    engine?.start();
    await waitFor(() => getDraftRow(db, draft.id)?.state === 'applied');
    expect(back.pushes).toHaveLength(1);
    expect(back.pushes[0]?.mutations).toEqual([
      { id: 1, kind: 'reconfigure', integrationKey: 'syncro', baseVersion: 3, settings: { subdomain: 'beta', api_token: 'tok-typed-0042' } },
    ]);
    expect(back.pushes[0]?.clientId).toBe(offline.pushes[0]?.clientId);
  });
});
