import { dataTopics, type DataTopic, type LocalEvent, type SessionStatus, type SyncStatus } from '../../../shared/localApi.js';

type Listener = (event: LocalEvent) => void;

/**
 * What changed in the core, told to the UI (`events.subscribe`) so it refetches exactly those
 * reads and never polls. Topics raised within a few milliseconds are sent as one event: a sync
 * cycle changes status, catalog and drafts together, and one refetch round is enough.
 */
export class CoreEvents {
  readonly #listeners = new Set<Listener>();
  readonly #pending = new Set<DataTopic>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly coalesceMs = 15) {}

  emit(...topics: DataTopic[]): void {
    for (const topic of topics) this.#pending.add(topic);
    if (this.#timer || this.#pending.size === 0) return;
    this.#timer = setTimeout(() => this.#flush(), this.coalesceMs);
    this.#timer.unref?.();
  }

  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * The event stream of one subscriber: first `hello` with every topic (whatever happened while
   * it was not listening is refetched), then each event, until `signal` aborts.
   */
  async *stream(signal?: AbortSignal): AsyncGenerator<LocalEvent> {
    const queue: LocalEvent[] = [{ topics: [...dataTopics], hello: true }];
    let wake: (() => void) | null = null;
    const stop = this.listen((event) => {
      queue.push(event);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      stop();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #flush(): void {
    this.#timer = null;
    const topics = [...this.#pending];
    this.#pending.clear();
    if (topics.length === 0) return;
    for (const listener of this.#listeners) listener({ topics });
  }
}

/** The parts of the core's state the UI shows, read after every change the session reports. */
export interface CoreSnapshot {
  session: SessionStatus;
  /** The open cache's sync status; null while signed out. */
  sync: SyncStatus | null;
}

/**
 * Turns "something changed" callbacks (session, sync engine) into topics by comparing what the
 * UI would read before and after: a new user or partner changes everything; a new server version
 * means the catalog changed, and with it the drafts shown against it; a shorter outbox means
 * drafts got their results. It also wakes at the token's expiry, so the UI learns the session
 * ended without anyone asking.
 */
export function watchCore(events: CoreEvents, read: () => CoreSnapshot, now: () => number = Date.now): { check(): void; stop(): void } {
  let last: { session: string; sync: string; catalog: string; drafts: string } | null = null;
  let expiryTimer: ReturnType<typeof setTimeout> | null = null;
  let expiryAt: string | null = null;

  const check = () => {
    const { session, sync } = read();
    const next = {
      session: JSON.stringify([session.state, session.user?.id ?? null, session.viewingPartnerId, session.serverUrl, session.readOnly, session.expiresAt]),
      sync: JSON.stringify([sync?.connection, sync?.syncing, sync?.authRequired, sync?.lastSyncedAt, sync?.lastError, sync?.activity]),
      catalog: String(sync?.serverVersion ?? null),
      drafts: String(sync?.pendingMutations ?? null),
    };
    const topics = new Set<DataTopic>();
    if (!last || last.session !== next.session) dataTopics.forEach((t) => topics.add(t));
    else {
      if (last.sync !== next.sync) topics.add('sync');
      // A pull can rebase unsent drafts or put them in conflict (reconcileStaleDrafts), and
      // drafts are shown against the server's values: both change with the catalog.
      if (last.catalog !== next.catalog) ['catalog', 'drafts', 'sync'].forEach((t) => topics.add(t as DataTopic));
      if (last.drafts !== next.drafts) ['drafts', 'catalog', 'sync'].forEach((t) => topics.add(t as DataTopic));
    }
    last = next;
    if (topics.size > 0) events.emit(...topics);
    scheduleExpiry(session);
  };

  const scheduleExpiry = (session: SessionStatus) => {
    const at = session.state === 'signedIn' ? session.expiresAt : null;
    if (at === expiryAt) return;
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = null;
    expiryAt = at;
    if (!at) return;
    // setTimeout holds at most ~24.8 days; a check then simply re-arms it.
    const delay = Math.min(Math.max(Date.parse(at) - now() + 1_000, 0), 2 ** 31 - 1);
    expiryTimer = setTimeout(() => {
      expiryAt = null;
      check();
    }, delay);
    expiryTimer.unref?.();
  };

  return {
    check,
    stop() {
      if (expiryTimer) clearTimeout(expiryTimer);
      expiryTimer = null;
    },
  };
}
