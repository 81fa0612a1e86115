import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { withSystem } from './pool.js';
import { isDatabaseUnreachable } from './unreachable.js';

describe('the pool when PostgreSQL ends a connection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('fails the transaction holding it (unreachable: a 503), without crashing the process, and goes on', async () => {
    // Issue 20 §3: a fast shutdown of PostgreSQL killed the server when it caught a transaction
    // between two statements (the alert deliverer's, a request's): an 'error' event on a
    // checked-out client, which nobody listened to.
    const outcome = withSystem(database.db, async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await database.db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      // The transaction waits on something else (a vendor, a timer) while the FATAL arrives.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.query('SELECT 1');
    });
    const error = await outcome.then(() => undefined, (e: unknown) => e);
    expect(isDatabaseUnreachable(error), String(error)).toBe(true);
    expect((await database.db.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
