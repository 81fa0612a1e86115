import pg from 'pg';
import type { Logger } from '../../logger.js';

/**
 * Change notification for sync: one LISTEN connection per server instance on channel
 * `ic_sync`, where every version bump notifies `<partnerId>:<version>` (see the sync
 * migration; Postgres delivers at commit, never for a rolled-back write). Each notification
 * wakes that partner's watchers only; several arriving before a watcher runs fold into one.
 */
export interface SyncFeed {
  /**
   * "Pull now" signals for one partner: first `current()` once listening has started (so a
   * change made between the client's last pull and the LISTEN is not missed), then one per
   * burst of changes. Ends when `signal` aborts or the feed stops.
   */
  watch(partnerId: number, signal: AbortSignal, current: () => Promise<number>): AsyncGenerator<number>;
  /** Ends every watcher and the LISTEN connection; a later watch() starts listening again. */
  stop(): Promise<void>;
  /** Whether the LISTEN connection is up (for tests and readiness). */
  readonly listening: boolean;
}

interface Watcher {
  partnerId: number;
  pending: number | null;
  ended: boolean;
  wake: (() => void) | null;
}

export interface SyncFeedOptions {
  connectionString: string;
  log: Pick<Logger, 'warn' | 'info'>;
  /** First delay before reconnecting a lost LISTEN connection; doubles up to 30 s. */
  reconnectMs?: number;
}

export function createSyncFeed(options: SyncFeedOptions): SyncFeed {
  const watchers = new Set<Watcher>();
  const lastSeen = new Map<number, number>();
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let ready = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let retryDelay = options.reconnectMs ?? 500;
  let everConnected = false;

  const notify = (w: Watcher, version: number) => {
    w.pending = Math.max(w.pending ?? 0, version);
    w.wake?.();
  };

  const onNotification = (message: pg.Notification) => {
    const match = /^(\d+):(\d+)$/.exec(message.payload ?? '');
    if (!match) return;
    const partnerId = Number(match[1]);
    const version = Number(match[2]);
    lastSeen.set(partnerId, Math.max(lastSeen.get(partnerId) ?? 0, version));
    for (const w of watchers) if (w.partnerId === partnerId) notify(w, version);
  };

  const dropped = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    ready = false;
    c.end().catch(() => undefined);
    scheduleReconnect();
  };

  const scheduleReconnect = () => {
    if (retryTimer || watchers.size === 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      ensureListening().catch(() => undefined);
    }, retryDelay);
    retryTimer.unref();
    retryDelay = Math.min(retryDelay * 2, 30_000);
  };

  const ensureListening = (): Promise<void> => {
    if (ready) return Promise.resolve();
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: options.connectionString, application_name: 'integration-center-sync-feed' });
      c.on('notification', onNotification);
      c.on('error', () => dropped(c));
      c.on('end', () => dropped(c));
      client = c;
      try {
        await c.connect();
        await c.query('LISTEN ic_sync');
      } catch (error) {
        dropped(c);
        options.log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'sync change feed cannot listen; clients fall back to polling');
        throw error;
      }
      ready = true;
      retryDelay = options.reconnectMs ?? 500;
      // Notifications sent while we were not listening are lost: tell everyone to pull.
      if (everConnected) for (const w of watchers) notify(w, lastSeen.get(w.partnerId) ?? 0);
      everConnected = true;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    get listening() {
      return ready;
    },
    async *watch(partnerId, signal, current) {
      const w: Watcher = { partnerId, pending: null, ended: false, wake: null };
      watchers.add(w);
      try {
        // Without LISTEN the watcher still works, just quietly (the client also polls).
        await ensureListening().catch(() => scheduleReconnect());
        if (signal.aborted || w.ended) return;
        yield await current();
        while (!signal.aborted && !w.ended) {
          if (w.pending !== null) {
            const version = w.pending;
            w.pending = null;
            yield version;
            continue;
          }
          await new Promise<void>((resolve) => {
            const done = () => {
              signal.removeEventListener('abort', done);
              w.wake = null;
              resolve();
            };
            w.wake = done;
            signal.addEventListener('abort', done, { once: true });
          });
        }
      } finally {
        watchers.delete(w);
      }
    },
    async stop() {
      for (const w of watchers) {
        w.ended = true;
        w.wake?.();
      }
      watchers.clear();
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      await connecting?.catch(() => undefined);
      const c = client;
      client = null;
      ready = false;
      everConnected = false;
      await c?.end().catch(() => undefined);
    },
  };
}
