
/**
 * A sustained rate plus a burst. In any 60 s window a bucket lets through at most
 * `burst + perMinute` requests, so a vendor limit of L per minute is honoured with
 * `perMinute = L - burst`.
 */
export interface RateLimit {
  perMinute: number;
  burst: number;
  /**
   * Count a sliding window instead of filling a bucket: at most `perMinute` requests in any
   * `slidingWindowMs` (`burst` unused), for a vendor that documents its limit that way (Huntress:
   * 60 in any 60 s). A burst of the whole figure is then allowed, as the vendor allows it.
   */
  slidingWindowMs?: number;
}

/** What RateLimiter needs of a bucket: a token bucket or a sliding window. */
interface Bucket {
  reserve(): number;
  tryTake(): boolean;
  msUntil(count?: number): number;
  release(at?: number): void;
  isIdle(): boolean;
  /** The slot `reserve()` just handed out (sliding windows), so `release` gives back that one. */
  readonly lastReserved?: number;
}

/**
 * A token bucket with reservations: taking a token may drive the balance negative, and the
 * caller waits until its token has been earned. Waiters are therefore served in arrival order
 * without a queue, and a caller that gives up hands its reservation back.
 */
export class TokenBucket implements Bucket {
  private tokens: number;
  private updatedAt: number;
  private readonly perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    if (limit.perMinute <= 0 || limit.burst < 1) throw new RangeError('rate limit needs perMinute > 0 and burst >= 1');
    this.tokens = limit.burst;
    this.updatedAt = now();
    this.perMs = limit.perMinute / 60_000;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + (t - this.updatedAt) * this.perMs);
    this.updatedAt = t;
  }

  /** Takes one token; returns how many ms to wait before it may be used (0: now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.perMs);
  }

  /** Takes one token only if one is there now (the background lane never reserves ahead). */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** How long until `count` whole tokens are there (0: now), given the reservations already made. */
  msUntil(count = 1): number {
    this.refill();
    return this.tokens >= count ? 0 : Math.ceil((count - this.tokens) / this.perMs);
  }

  /** Gives back a reserved token that was not used. */
  release(): void {
    this.tokens = Math.min(this.limit.burst, this.tokens + 1);
  }

  /** Full and therefore indistinguishable from a new bucket: safe to forget. */
  isIdle(): boolean {
    this.refill();
    return this.tokens >= this.limit.burst;
  }
}

/**
 * A sliding-window log: the times of the last `limit` requests granted (or reserved ahead), so a
 * new one is granted no earlier than `windowMs` after the `limit`-th before it. Any half-open
 * window of `windowMs` then holds at most `limit`, whatever the burst. Reservations are handed out
 * in order, so waiters are served first come first served, like the token bucket's.
 */
export class SlidingWindow implements Bucket {
  /** Granted and reserved times, ascending. */
  private readonly stamps: number[] = [];
  lastReserved?: number;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (limit < 1 || windowMs <= 0) throw new RangeError('a sliding window needs limit >= 1 and windowMs > 0');
  }

  /** Forgets what can no longer share a window with anything from now on. */
  private prune(t: number): void {
    let drop = 0;
    while (drop < this.stamps.length && (this.stamps[drop] as number) <= t - this.windowMs) drop++;
    if (drop) this.stamps.splice(0, drop);
  }

  /** The earliest time the `k`-th request from now (1-based) may go, given what is held. */
  private slot(t: number, k: number): number {
    const i = this.stamps.length - this.limit + k - 1;
    const free = i < 0 ? t : (this.stamps[i] as number) + this.windowMs;
    // Never before a reservation already handed out: the log stays in order.
    return Math.max(t, free, this.stamps.at(-1) ?? t);
  }

  reserve(): number {
    const t = this.now();
    this.prune(t);
    const at = this.slot(t, 1);
    this.stamps.push(at);
    this.lastReserved = at;
    return at - t;
  }

  tryTake(): boolean {
    const t = this.now();
    this.prune(t);
    if (this.slot(t, 1) > t) return false;
    this.stamps.push(t);
    return true;
  }

  msUntil(count = 1): number {
    const t = this.now();
    this.prune(t);
    return this.slot(t, count) - t;
  }

  /** Gives back the slot reserved for `at` (that one: a later waiter keeps its own). */
  release(at?: number): void {
    const i = at === undefined ? this.stamps.length - 1 : this.stamps.lastIndexOf(at);
    if (i >= 0) this.stamps.splice(i, 1);
  }

  isIdle(): boolean {
    this.prune(this.now());
    return this.stamps.length === 0;
  }
}

/**
 * Who is waiting (issue 15 item 7): `foreground` is a user's action (or a call made outside any
 * scope, as before); `background` is scheduled work (health checks, discovery pages). Background
 * calls never reserve ahead: they queue and take a token only once every foreground reservation
 * has been earned, so a sweep saturating a bucket never delays an action behind it.
 */
export type RatePriority = 'foreground' | 'background';

interface Waiter {
  resolve(granted: boolean): void;
  reject(error: unknown): void;
  cleanup(): void;
}

/** The background lane of one bucket: FIFO, served by one timer when tokens are left over. */
class BackgroundQueue {
  readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly bucket: Bucket) {}

  /** Serves waiters while tokens are there, then sleeps until the next one should be. */
  pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiters.length > 0 && this.bucket.tryTake()) {
      const waiter = this.waiters.shift() as Waiter;
      waiter.cleanup();
      waiter.resolve(true);
    }
    if (this.waiters.length === 0) return;
    // Foreground reservations made meanwhile push this out; the pump then just sleeps again.
    this.timer = setTimeout(() => this.pump(), Math.max(1, this.bucket.msUntil(1)));
    this.timer.unref?.();
  }

  remove(waiter: Waiter): void {
    const at = this.waiters.indexOf(waiter);
    if (at >= 0) this.waiters.splice(at, 1);
    if (this.waiters.length === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

/** Forget idle buckets once there are this many keys, so many vendor hosts cannot grow memory. */
const sweepAbove = 1_000;

/**
 * One token bucket per key (a vendor host, an account, or one egress address for a vendor that
 * counts per source IP, as Syncro does). Lives in memory, so the limit holds per server
 * instance; N instances sharing an egress address together may send up to N times as much, which
 * the 429 handling of the vendor client absorbs.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly background = new Map<Bucket, BackgroundQueue>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Waits for a token for `key` (a bucket made with `limit`, default the limiter's). Returns false at once (taking nothing) when the wait would end
   * after `deadline` (epoch ms); rejects if `signal` aborts while waiting. `background` callers
   * wait behind every foreground one (see RatePriority); one still queued at its deadline gets false.
   */
  async acquire(key: string, options: { signal: AbortSignal; deadline?: number; limit?: RateLimit; priority?: RatePriority }): Promise<boolean> {
    const bucket = this.bucket(key, options.limit ?? this.limit);
    if (options.priority === 'background') return this.acquireBackground(bucket, options);
    const waitMs = bucket.reserve();
    const slot = bucket.lastReserved;
    if (waitMs === 0) return true;
    if (options.deadline !== undefined && this.now() + waitMs > options.deadline) {
      bucket.release(slot);
      return false;
    }
    try {
      await sleep(waitMs, options.signal);
      return true;
    } catch (error) {
      bucket.release(slot);
      throw error;
    }
  }

  private acquireBackground(bucket: Bucket, options: { signal: AbortSignal; deadline?: number }): Promise<boolean> {
    options.signal.throwIfAborted();
    let queue = this.background.get(bucket);
    if (!queue) {
      queue = new BackgroundQueue(bucket);
      this.background.set(bucket, queue);
    }
    if (queue.waiters.length === 0 && bucket.tryTake()) return Promise.resolve(true);
    // Refuse at once when even the current estimate (those queued ahead, reservations made) ends late.
    const estimate = bucket.msUntil(queue.waiters.length + 1);
    if (options.deadline !== undefined && this.now() + estimate > options.deadline) return Promise.resolve(false);
    const lane = queue;
    return new Promise<boolean>((resolve, reject) => {
      let deadlineTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        lane.remove(waiter);
        waiter.cleanup();
        reject(options.signal.reason);
      };
      const waiter: Waiter = {
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(deadlineTimer);
          options.signal.removeEventListener('abort', onAbort);
        },
      };
      if (options.deadline !== undefined) {
        deadlineTimer = setTimeout(() => {
          lane.remove(waiter);
          waiter.cleanup();
          resolve(false);
        }, Math.max(0, options.deadline - this.now()));
      }
      options.signal.addEventListener('abort', onAbort, { once: true });
      lane.waiters.push(waiter);
      lane.pump();
    });
  }

  /** The bucket of `key`, made with `limit` when it is new (a key whose limit can change should name it). */
  private bucket(key: string, limit: RateLimit): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= sweepAbove) {
        for (const [k, b] of this.buckets) {
          if (b.isIdle() && !this.background.get(b)?.waiters.length) {
            this.buckets.delete(k);
            this.background.delete(b);
          }
        }
      }
      bucket = limit.slidingWindowMs ? new SlidingWindow(limit.perMinute, limit.slidingWindowMs, this.now) : new TokenBucket(limit, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/**
 * Waits `ms` unless `signal` aborts first (rejecting with its reason). On the global timer rather
 * than node:timers/promises, so the limiter's tests can run it on a virtual clock.
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
