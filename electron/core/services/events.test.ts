import { describe, expect, it } from 'vitest';
import { dataTopics, type LocalEvent, type SessionStatus, type SyncStatus } from '../../../shared/localApi.js';
import { waitFor } from '../test/waitFor.js';
import { CoreEvents, watchCore, type CoreSnapshot } from './events.js';

const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
const user = { id: 7, email: 'a@b.test', displayName: 'A', role: 'partner_admin' as const, partnerId: 3, partnerName: 'P', isDev: false };

function snapshot(patch: { session?: Partial<SessionStatus>; sync?: Partial<SyncStatus> | null } = {}): CoreSnapshot {
  const session: SessionStatus = {
    state: 'signedIn',
    user,
    expiresAt: inAnHour,
    serverUrl: 'http://127.0.0.1:1',
    viewingPartnerId: 3,
    readOnly: false,
    tokenStorage: 'memory',
    tokenStorageNote: null,
    ...patch.session,
  };
  const sync: SyncStatus | null =
    patch.sync === null
      ? null
      : {
          connection: 'online',
          authRequired: false,
          syncing: false,
          lastSyncedAt: null,
          lastError: null,
          nextRetryAt: null,
          pendingMutations: 0,
          serverVersion: 4,
          activity: { phase: 'idle' },
          ...patch.sync,
        };
  return { session, sync };
}

/** Collects what listeners get, waiting out the coalescing window. */
function recorder(events: CoreEvents) {
  const seen: LocalEvent[] = [];
  events.listen((e) => seen.push(e));
  return { seen, settle: () => new Promise((r) => setTimeout(r, 30)) };
}

describe('core events', () => {
  it('coalesces topics raised together into one event', async () => {
    const events = new CoreEvents();
    const { seen, settle } = recorder(events);
    events.emit('sync');
    events.emit('catalog', 'sync');
    await settle();
    expect(seen).toEqual([{ topics: ['sync', 'catalog'] }]);
  });

  it('starts every stream with hello (every topic), then follows, until aborted', async () => {
    const events = new CoreEvents(0);
    const abort = new AbortController();
    const stream = events.stream(abort.signal);
    expect((await stream.next()).value).toEqual({ topics: ['session', 'catalog', 'drafts', 'sync', 'fleet', 'mappings', 'connection', 'automations'], hello: true });
    const next = stream.next();
    events.emit('drafts');
    expect((await next).value).toEqual({ topics: ['drafts'] });
    const ended = stream.next();
    abort.abort();
    expect((await ended).done).toBe(true);
  });

  it('tells which reads changed by comparing what the UI would read', async () => {
    const events = new CoreEvents(0);
    const { seen, settle } = recorder(events);
    let current = snapshot();
    const watcher = watchCore(events, () => current);
    watcher.check();
    await settle();
    // A new session: every topic.
    expect(seen.pop()?.topics).toHaveLength(dataTopics.length);

    // A pull that moved the server version may have rebased drafts or put them in conflict.
    current = snapshot({ sync: { serverVersion: 5, lastSyncedAt: new Date().toISOString() } });
    watcher.check();
    await settle();
    expect(seen.pop()?.topics.sort()).toEqual(['catalog', 'drafts', 'sync']);

    current = snapshot({ sync: { serverVersion: 5, lastSyncedAt: new Date(Date.now() + 1_000).toISOString() } });
    watcher.check();
    await settle();
    expect(seen.pop()?.topics.sort()).toEqual(['sync']);

    current = snapshot({ sync: { serverVersion: 5, lastSyncedAt: current.sync?.lastSyncedAt ?? null, pendingMutations: 1 } });
    watcher.check();
    await settle();
    expect(seen.pop()?.topics.sort()).toEqual(['catalog', 'drafts', 'sync']);

    watcher.check();
    await settle();
    expect(seen).toEqual([]);

    current = snapshot({ session: { viewingPartnerId: 9, readOnly: true }, sync: { serverVersion: 5, pendingMutations: 1 } });
    watcher.check();
    await settle();
    // A new session: every topic.
    expect(seen.pop()?.topics).toHaveLength(dataTopics.length);
    watcher.stop();
  });

  it('wakes at the token’s expiry so the UI learns the session ended without asking', async () => {
    const events = new CoreEvents(0);
    const { seen, settle } = recorder(events);
    const expiresAt = new Date(Date.now() + 50).toISOString();
    let expired = false;
    const watcher = watchCore(events, () => snapshot({ session: { expiresAt, state: expired ? 'expired' : 'signedIn' } }));
    watcher.check();
    await settle();
    seen.length = 0;
    expired = true;
    await waitFor(() => seen.at(-1)?.topics.includes('session'), 3_000);
    watcher.stop();
  });
});
