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

/**
 * Counts one hit in a fixed window kept in PostgreSQL, so every server instance shares the
 * count. One statement: the upsert resets an expired window and increments atomically.
 */
export async function hit(db: Queryable, bucket: string, rule: RateLimitRule): Promise<RateLimitResult> {
  const { rows } = await db.query<{ hits: number; window_start: Date; now: Date }>(
    `INSERT INTO rate_limit_buckets AS b (bucket, window_start, hits) VALUES ($1, now(), 1)
     ON CONFLICT (bucket) DO UPDATE SET
       hits = CASE WHEN b.window_start <= now() - make_interval(secs => $2 / 1000.0) THEN 1 ELSE b.hits + 1 END,
       window_start = CASE WHEN b.window_start <= now() - make_interval(secs => $2 / 1000.0) THEN now() ELSE b.window_start END
     RETURNING hits, window_start, now() AS now`,
    [bucket, rule.windowMs],
  );
  const row = rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  const resetsInMs = row.window_start.getTime() + rule.windowMs - row.now.getTime();
  return { allowed: row.hits <= rule.limit, retryAfterSeconds: Math.max(1, Math.ceil(resetsInMs / 1000)) };
}

/** Reads a bucket without counting (for "is this account already locked?"). */
export async function peek(db: Queryable, bucket: string, rule: RateLimitRule): Promise<RateLimitResult> {
  const { rows } = await db.query<{ hits: number; window_start: Date; now: Date }>(
    `SELECT hits, window_start, now() AS now FROM rate_limit_buckets
      WHERE bucket = $1 AND window_start > now() - make_interval(secs => $2 / 1000.0)`,
    [bucket, rule.windowMs],
  );
  const row = rows[0];
  if (!row) return { allowed: true, retryAfterSeconds: 0 };
  const resetsInMs = row.window_start.getTime() + rule.windowMs - row.now.getTime();
  return { allowed: row.hits < rule.limit, retryAfterSeconds: Math.max(1, Math.ceil(resetsInMs / 1000)) };
}

export async function clear(db: Queryable, bucket: string): Promise<void> {
  await db.query('DELETE FROM rate_limit_buckets WHERE bucket = $1', [bucket]);
}
