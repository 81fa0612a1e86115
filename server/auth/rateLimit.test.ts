import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { clear, hit, pruneBatch, refund } from './rateLimit.js';

describe('rate limit buckets', () => {
  let database: TestDatabase;
  const rule = { limit: 3, windowMs: 60_000 };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const count = async (where = 'true') =>
    Number((await database.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM rate_limit_buckets WHERE ${where}`)).rows[0]?.n);

  it('gives concurrent hits distinct counts, so exactly `limit` are allowed', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => hit(database.db.pool, 'race', rule)));
    expect(results.filter((r) => r.allowed)).toHaveLength(rule.limit);
    await clear(database.db.pool, 'race');
  });

  it('gives a reservation back with refund, never below zero', async () => {
    for (let i = 0; i < 3; i++) await hit(database.db.pool, 'refunded', rule);
    await refund(database.db.pool, 'refunded');
    expect((await hit(database.db.pool, 'refunded', rule)).allowed).toBe(true);
    expect((await hit(database.db.pool, 'refunded', rule)).allowed).toBe(false);
    await clear(database.db.pool, 'refunded');
  });

  it('stamps each bucket with the end of its window', async () => {
    await hit(database.db.pool, 'stamped', rule);
    const { rows } = await database.db.pool.query<{ seconds: number }>(
      `SELECT extract(epoch FROM expires_at - window_start)::float8 AS seconds FROM rate_limit_buckets WHERE bucket = 'stamped'`,
    );
    expect(rows[0]?.seconds).toBeCloseTo(60, 3);
  });

  it('deletes ended buckets in bounded batches and keeps open ones', async () => {
    await database.db.pool.query(
      `INSERT INTO rate_limit_buckets (bucket, window_start, hits, expires_at)
       SELECT 'old-' || g, now() - interval '2 hours', 5, now() - interval '1 hour' FROM generate_series(1, $1::int) g`,
      [pruneBatch + 20],
    );
    await hit(database.db.pool, 'writer', rule);
    expect(await count(`bucket LIKE 'old-%'`)).toBe(20);
    await hit(database.db.pool, 'writer', rule);
    expect(await count(`bucket LIKE 'old-%'`)).toBe(0);
    expect(await count(`bucket IN ('writer', 'stamped')`)).toBe(2);
  });

  it('restarts an ended window of the bucket being written', async () => {
    await database.db.pool.query(
      `INSERT INTO rate_limit_buckets (bucket, window_start, hits, expires_at) VALUES ('ended', now() - interval '2 hours', 99, now() - interval '1 hour')`,
    );
    const result = await hit(database.db.pool, 'ended', rule);
    expect(result.allowed).toBe(true);
    const { rows } = await database.db.pool.query<{ hits: number; open: boolean }>(
      `SELECT hits, expires_at > now() AS open FROM rate_limit_buckets WHERE bucket = 'ended'`,
    );
    expect(rows).toEqual([{ hits: 1, open: true }]);
  });
});
