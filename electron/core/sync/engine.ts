import { randomUUID } from 'node:crypto';
import type { SyncActivity, SyncStatus } from '../../../shared/localApi.js';
import { clientTakenDetailsSchema, defaultAuditWindow, defaultPullLimit, maxMutationsPerPush, mutationGapDetailsSchema } from '../../../shared/sync.js';
import { ensureClientId, getMeta, getMetaNumber } from '../cache/syncMeta.js';
import type { CacheDb } from '../db/types.js';
import { outboxSize, pendingMutations, recordResult, noteAttempt, restartClientNumbering } from '../drafts/outbox.js';
import type { SecretBox } from '../secrets/secretBox.js';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff.js';
import { applyPullPage } from './pages.js';
import { asTransportError, TransportError, type SyncTransport } from './transport.js';

/** setTimeout/clearTimeout, injectable so tests can drive time if they wish. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A pending retry must not keep a process alive on its own (tests, CLI use).
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SyncEngineOptions {
  db: CacheDb;
  box: SecretBox;
  transport: SyncTransport;
  pageLimit?: number;
  auditWindow?: number;
  /** Pull this often while nothing else triggers a sync (no change notification). */
  pollIntervalMs?: number;
  backoff?: BackoffOptions;
  /** At most this many pages per cycle, so one sync cannot run forever. */
  maxPagesPerCycle?: number;
  random?: () => number;
  now?: () => Date;
  timers?: Timers;
  /** Called after every cycle and state change (the local API forwards it to the UI). */
  onChange?: (status: SyncStatus) => void;
}

/**
 * Moves data between the cache and the server: pushes the outbox in order, then pulls pages
 * until caught up. One cycle runs at a time; requests during a cycle fold into one more cycle.
 * Failures schedule a retry on a timer (exponential backoff with jitter), so offline changes go
 * out when the server returns without waiting for another user action.
 */
export class SyncEngine {
  readonly #o: Required<Omit<SyncEngineOptions, 'onChange'>> & Pick<SyncEngineOptions, 'onChange'>;
  #running: Promise<void> | null = null;
  #again = false;
  /** The change stream just lost the server: the next cycle that succeeds checks again soon. */
  #confirmLost = false;
  #timer: unknown = null;
  #nextAt: Date | null = null;
  #started = false;
  #unsubscribe: (() => void) | null = null;
  #failures = 0;
  #connection: SyncStatus['connection'] = 'unknown';
  #authRequired = false;
  #lastError: string | null = null;
  #clientRenewed = false;
  #activity: SyncActivity = { phase: 'idle' };

  constructor(options: SyncEngineOptions) {
    this.#o = {
      pageLimit: defaultPullLimit,
      auditWindow: defaultAuditWindow,
      pollIntervalMs: 60_000,
      backoff: defaultBackoff,
      maxPagesPerCycle: 1_000,
      random: Math.random,
      now: () => new Date(),
      timers: nodeTimers,
      ...options,
    };
  }

  /** Starts syncing: now, on change notifications, and on the poll/retry timer. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const sync = () => void this.requestSync();
    const lost = () => {
      // The stream says so on every failed attempt; once the engine shows "offline" its own retry
      // timer is running, and that is enough.
      if (this.#connection === 'offline') return;
      this.#confirmLost = true;
      void this.requestSync();
    };
    this.#unsubscribe = this.#o.transport.subscribe?.(sync, lost) ?? null;
    void this.requestSync();
  }

  /** Stops timers and notifications and waits for a running cycle to finish. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#clearTimer();
    await this.#running;
  }

  /** The window got focus or the OS says the network is back: sync now instead of waiting. */
  notifyFocus(): void {
    void this.requestSync();
  }

  /** After a new login: the token works again. */
  resumeAfterLogin(): void {
    this.#authRequired = false;
    this.#failures = 0;
    void this.requestSync();
  }

  /** Runs a cycle (or joins the running one, plus one more) and resolves with the status after it. */
  async requestSync(): Promise<SyncStatus> {
    if (this.#running) {
      this.#again = true;
      await this.#running;
      return this.status();
    }
    this.#clearTimer();
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#cycle();
      } while (this.#again && !this.#authRequired);
    })().finally(() => {
      this.#running = null;
    });
    await this.#running;
    return this.status();
  }

  status(): SyncStatus {
    const db = this.#o.db;
    return {
      connection: this.#connection,
      authRequired: this.#authRequired,
      syncing: this.#running !== null,
      lastSyncedAt: getMeta(db, 'lastSyncedAt'),
      lastError: this.#lastError,
      nextRetryAt: this.#nextAt?.toISOString() ?? null,
      pendingMutations: outboxSize(db),
      serverVersion: getMetaNumber(db, 'serverVersion'),
      activity: this.#activity,
    };
  }

  /** What the cycle is doing, announced as it changes so the UI can show progress. */
  #setActivity(activity: SyncActivity): void {
    this.#activity = activity;
    this.#o.onChange?.(this.status());
  }

  async #cycle(): Promise<void> {
    if (this.#authRequired) return;
    this.#clientRenewed = false;
    const confirming = this.#confirmLost;
    this.#confirmLost = false;
    try {
      let pushError: TransportError | null = null;
      try {
        await this.#pushAll();
      } catch (raw) {
        pushError = asTransportError(raw);
        // Unreachable or signed out: pulling cannot work either. Otherwise still show fresh data.
        if (pushError.kind === 'offline' || pushError.kind === 'unauthorized') throw pushError;
      }
      await this.#pullAll();
      if (pushError) throw pushError;
      this.#failures = 0;
      this.#lastError = null;
      // A server shutting down ends the change stream while it still answers: a sync right then
      // can succeed, and the next poll is a minute away. Look once more shortly, so "Online"
      // does not outlive the server (the reconnect e2e suite saw it stay for 30 s and more).
      this.#schedule(confirming ? Math.min(this.#o.backoff.baseMs, this.#o.pollIntervalMs) : this.#o.pollIntervalMs);
    } catch (raw) {
      const error = asTransportError(raw);
      this.#failures += 1;
      this.#lastError = error.message;
      // Any answer, even an error, means the server is reachable.
      this.#connection = error.kind === 'offline' ? 'offline' : 'online';
      if (error.kind === 'unauthorized') {
        // Retrying cannot help until the user signs in again; nothing is dropped meanwhile.
        this.#authRequired = true;
        this.#clearTimer();
      } else {
        const delay = Math.max(backoffDelay(this.#failures, this.#o.backoff, this.#o.random), error.extra.retryAfterMs ?? 0);
        this.#schedule(delay);
      }
    }
    this.#activity = { phase: 'idle' };
    this.#o.onChange?.(this.status());
  }

  /**
   * The server refused our client id as someone else's (a cache file copied between users):
   * start over under a new one, outbox renumbered, once per cycle.
   */
  #recoverClientTaken(error: TransportError): boolean {
    if (this.#clientRenewed || !clientTakenDetailsSchema.safeParse(error.extra.details).success) return false;
    restartClientNumbering(this.#o.db, randomUUID());
    this.#clientRenewed = true;
    return true;
  }

  async #pushAll(): Promise<void> {
    const { db, box, transport } = this.#o;
    let gapRecovered = false;
    for (;;) {
      const mutations = pendingMutations(db, box, maxMutationsPerPush);
      if (mutations.length === 0) return;
      let response;
      this.#setActivity({ phase: 'pushing', done: 0, total: mutations.length });
      try {
        response = await transport.push({ clientId: ensureClientId(db), mutations });
      } catch (raw) {
        const error = asTransportError(raw);
        const gap = mutationGapDetailsSchema.safeParse(error.extra.details);
        if (gap.success && !gapRecovered && (mutations[0]?.id ?? 0) > gap.data.lastMutationId + 1) {
          restartClientNumbering(db, randomUUID());
          gapRecovered = true;
          continue;
        }
        if (this.#recoverClientTaken(error)) continue;
        noteAttempt(db, mutations.map((m) => m.id), error.message);
        throw error;
      }
      this.#connection = 'online';
      // Results cover a prefix, in order; each is recorded (with its outbox removal) atomically.
      let recorded = 0;
      for (const [i, result] of response.results.entries()) {
        if (result.id !== mutations[i]?.id) throw new TransportError('fatal', `The server answered mutation ${result.id} where ${mutations[i]?.id} was expected`);
        recordResult(db, result, this.#o.now());
        recorded += 1;
      }
      this.#setActivity({ phase: 'pushing', done: recorded, total: mutations.length });
      if (recorded < mutations.length) {
        throw new TransportError('transient', `The server applied ${recorded} of ${mutations.length} changes; the rest will be retried`);
      }
    }
  }

  async #pullAll(): Promise<void> {
    const { db, transport, pageLimit, auditWindow } = this.#o;
    this.#setActivity({ phase: 'pulling' });
    for (let page = 0; page < this.#o.maxPagesPerCycle; page += 1) {
      let response;
      try {
        response = await transport.pull({ clientId: ensureClientId(db), cursor: getMeta(db, 'cursor'), limit: pageLimit, auditWindow });
      } catch (raw) {
        const error = asTransportError(raw);
        if (this.#recoverClientTaken(error)) continue;
        throw error;
      }
      this.#connection = 'online';
      applyPullPage(db, response, { auditWindow, now: this.#o.now() });
      if (!response.hasMore) return;
    }
  }

  #schedule(ms: number): void {
    this.#clearTimer();
    if (!this.#started) return;
    this.#nextAt = new Date(this.#o.now().getTime() + ms);
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = null;
      this.#nextAt = null;
      void this.requestSync();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextAt = null;
  }
}
