import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A sustained rate plus a burst. In any 60 s window a bucket lets through at most
 * `burst + perMinute` requests, so a vendor limit of L per minute is honoured with
 * `perMinute = L - burst`.
 */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

/**
 * A token bucket with reservations: taking a token may drive the balance negative, and the
 * caller waits until its token has been earned. Waiters are therefore served in arrival order
 * without a queue, and a caller that gives up hands its reservation back.
 */
export class TokenBucket {
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

/** Forget idle buckets once there are this many keys, so many vendor hosts cannot grow memory. */
const sweepAbove = 1_000;

/**
 * One token bucket per key (a vendor host, an account, or one egress address for a vendor that
 * counts per source IP, as Syncro does). Lives in memory, so the limit holds per server
 * instance; N instances sharing an egress address together may send up to N times as much, which
 * the 429 handling of the vendor client absorbs.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Waits for a token for `key` (a bucket made with `limit`, default the limiter's). Returns false at once (taking nothing) when the wait would end
   * after `deadline` (epoch ms); rejects if `signal` aborts while waiting.
   */
  async acquire(key: string, options: { signal: AbortSignal; deadline?: number; limit?: RateLimit }): Promise<boolean> {
    const bucket = this.bucket(key, options.limit ?? this.limit);
    const waitMs = bucket.reserve();
    if (waitMs === 0) return true;
    if (options.deadline !== undefined && this.now() + waitMs > options.deadline) {
      bucket.release();
      return false;
    }
    try {
      await sleep(waitMs, undefined, { signal: options.signal });
      return true;
    } catch (error) {
      bucket.release();
      throw error;
    }
  }

  /** The bucket of `key`, made with `limit` when it is new (a key whose limit can change should name it). */
  private bucket(key: string, limit: RateLimit): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= sweepAbove) {
        for (const [k, b] of this.buckets) if (b.isIdle()) this.buckets.delete(k);
      }
      bucket = new TokenBucket(limit, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
