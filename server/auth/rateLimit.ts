import type { Queryable } from '../db/pool.js';

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets; meaningful when not allowed. */
  retryAfterSeconds: number;
}

/** How many ended buckets one hit deletes at most, so a write never turns into a long sweep. */
export const pruneBatch = 100;

/**
 * Counts one hit in a fixed window kept in PostgreSQL, so every server instance shares the
 * count, and answers whether this hit is within the limit. One statement: the upsert resets an
 * ended window and increments atomically, so N concurrent hits get N distinct counts and at
 * most `limit` of them are allowed. Callers that guard expensive work (a password check)
 * therefore hit BEFORE the work, reserving the attempt, never "read, work, then count".
 *
 * The same statement deletes up to `pruneBatch` other buckets whose window has ended, so keys
 * that are written once (a made-up email) do not pile up. SKIP LOCKED: a bucket another session
 * is writing right now is left for a later hit instead of waited for.
 */
export async function hit(db: Queryable, bucket: string, rule: RateLimitRule): Promise<RateLimitResult> {
  const { rows } = await db.query<{ hits: number; window_start: Date; now: Date }>(
    `WITH pruned AS (
       DELETE FROM rate_limit_buckets WHERE bucket IN (
         SELECT bucket FROM rate_limit_buckets WHERE expires_at <= now() AND bucket <> $1
          ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED))
     INSERT INTO rate_limit_buckets AS b (bucket, window_start, hits, expires_at)
     VALUES ($1, now(), 1, now() + make_interval(secs => $2 / 1000.0))
     ON CONFLICT (bucket) DO UPDATE SET
       hits = CASE WHEN b.window_start <= now() - make_interval(secs => $2 / 1000.0) THEN 1 ELSE b.hits + 1 END,
       window_start = CASE WHEN b.window_start <= now() - make_interval(secs => $2 / 1000.0) THEN now() ELSE b.window_start END,
       expires_at = CASE WHEN b.window_start <= now() - make_interval(secs => $2 / 1000.0) THEN EXCLUDED.expires_at
                         ELSE greatest(b.expires_at, b.window_start + make_interval(secs => $2 / 1000.0)) END
     RETURNING hits, window_start, now() AS now`,
    [bucket, rule.windowMs, pruneBatch],
  );
  const row = rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  const resetsInMs = row.window_start.getTime() + rule.windowMs - row.now.getTime();
  return { allowed: row.hits <= rule.limit, retryAfterSeconds: Math.max(1, Math.ceil(resetsInMs / 1000)) };
}

/**
 * Gives back one hit of the current window: the attempt it reserved turned out not to be one
 * the rule counts (e.g. the right password for a disabled account).
 */
export async function refund(db: Queryable, bucket: string): Promise<void> {
  await db.query('UPDATE rate_limit_buckets SET hits = greatest(hits - 1, 0) WHERE bucket = $1', [bucket]);
}

export async function clear(db: Queryable, bucket: string): Promise<void> {
  await db.query('DELETE FROM rate_limit_buckets WHERE bucket = $1', [bucket]);
}
