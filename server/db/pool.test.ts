import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { createDb, withSystem } from './pool.js';
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

describe('prepared statements', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('prepares a parameterized statement once per connection and reuses it; a statement without values is not prepared', async () => {
    // Issue 19 §4: planning every statement anew was 40% of PostgreSQL's time in a health sweep.
    const client = await database.db.pool.connect();
    try {
      const text = 'SELECT $1::int + 1 AS next';
      for (const n of [1, 2, 3]) expect((await client.query(text, [n])).rows).toEqual([{ next: n + 1 }]);
      await client.query('SELECT 42 AS plain');
      const { rows } = await client.query<{ statement: string }>("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'ic\\_%'");
      expect(rows.map((r) => r.statement)).toEqual([text]);
      // The same statement in a partner-scoped transaction on the same connection: still one.
      await withSystem(database.db, (tx) => tx.query(text, [9]));
      expect((await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'ic\\_%'", [])).rows[0]?.n).toBe(1);
    } finally {
      client.release();
    }
  });

  it('prepares pool.query statements too', async () => {
    const single = createDb(database.url, { max: 1 }); // one connection: the statement is on it
    try {
      const text = 'SELECT $1::text AS echoed';
      expect((await single.pool.query<{ echoed: string }>(text, ['once'])).rows).toEqual([{ echoed: 'once' }]);
      const prepared = await single.pool.query("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'ic\\_%'");
      expect(prepared.rows).toEqual([{ statement: text }]);
    } finally {
      await single.close();
    }
  });

  it('still reports a statement that fails to prepare, and runs it once fixed', async () => {
    const client = await database.db.pool.connect();
    try {
      await expect(client.query('SELECT $1::int FROM no_such_table', [1])).rejects.toThrow(/no_such_table/);
      await client.query('CREATE TEMP TABLE no_such_table (n int)');
      expect((await client.query('SELECT $1::int AS n FROM no_such_table', [1])).rows).toEqual([]);
    } finally {
      client.release();
    }
  });
});
