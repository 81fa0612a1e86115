import pg from 'pg';

// bigint columns (ids, versions) arrive as strings by default; every value we store fits in a
// double, and a value that would not is a bug we want to see rather than silently round.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return n;
});

/** Anything that can run a query: the pool itself or a client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface Db {
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDb(connectionString: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    // A query that hangs must not hold a request forever.
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'integration-center',
  });
  // An idle client that errors (server restart) must not crash the process; the pool drops it.
  pool.on('error', () => undefined);
  return { pool, close: () => pool.end() };
}

async function inTransaction<T>(db: Db, begin: string, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Runs `fn` in a transaction bound to one partner: as the ic_app role (so row-level security
 * applies even when the pool connects as a superuser) with app.partner_id set for this
 * transaction only. Every partner-scoped query goes through here.
 */
export function withPartner<T>(db: Db, partnerId: number, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(partnerId) || partnerId <= 0) throw new TypeError('partnerId must be a positive integer');
  // partnerId is a checked integer, so inlining it keeps BEGIN + role + scope in one round trip.
  const begin = `BEGIN; SET LOCAL ROLE ic_app; SELECT set_config('app.partner_id', '${partnerId}', true)`;
  return inTransaction(db, begin, fn);
}

/**
 * Like withPartner, but one REPEATABLE READ, READ ONLY snapshot: every statement of `fn` sees the
 * database as of its first statement, and nothing can be written. Sync pulls read a page this
 * way so the page, its cursor and the partner's version agree with each other.
 */
export function withPartnerSnapshot<T>(db: Db, partnerId: number, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(partnerId) || partnerId <= 0) throw new TypeError('partnerId must be a positive integer');
  const begin = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL ROLE ic_app; SELECT set_config('app.partner_id', '${partnerId}', true)`;
  return inTransaction(db, begin, fn);
}

/**
 * Runs `fn` in a transaction with the connecting role: for work that is not on behalf of one
 * partner (login lookups, migrations, schedulers, CLI). Never reached from a partner's request
 * with partner data.
 */
export function withSystem<T>(db: Db, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(db, 'BEGIN', fn);
}

/** The single row a statement such as INSERT … RETURNING must produce. */
export function oneRow<T>(result: { rows: T[] }): T {
  const row = result.rows[0];
  if (row === undefined) throw new Error('expected one row, got none');
  return row;
}
