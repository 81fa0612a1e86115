import { createHash } from 'node:crypto';
import pg from 'pg';

// bigint columns (ids, versions) arrive as strings by default; every value we store fits in a
// double, and a value that would not is a bug we want to see rather than silently round.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return n;
});

/**
 * Anything that can run one parameterised statement: the pool, a client inside a transaction, or
 * readAsPartner's scoped reader. Narrower than pg's overloads on purpose: db modules only ever
 * send text + values, and a narrow type lets readAsPartner implement it without a cast.
 */
export interface Queryable {
  // `any` as in pg's own signature: callers that name no row type keep pg's behaviour.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<R extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

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
    // While PostgreSQL is down or hung, a request waits this long for a connection and is then
    // answered 503 (server/db/unreachable.ts), instead of hanging until the client gives up.
    connectionTimeoutMillis: 5_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'integration-center',
    // Queries are written without waiting for the previous answer, so a partner scope, the
    // statement behind it and its COMMIT leave in one write (readAsPartner: one round trip). Code
    // that awaits each query, as every caller does, sees no difference.
    pipeline: true,
  });
  // An idle client that errors (server restart) must not crash the process; the pool drops it.
  pool.on('error', () => undefined);
  // Nor one that is checked out: the pool listens only to idle clients, and PostgreSQL stopping
  // (or pg_terminate_backend) while a transaction waits between statements emitted 'error' with
  // no listener, which killed the server (issue 20 §3). The transaction's next statement fails
  // instead (answered 503: server/db/unreachable.ts) and release() drops the broken client.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    prepareParameterized(client);
  });
  return { pool, close: () => pool.end() };
}

/** Distinct statement texts prepared by name; beyond this, further new texts run unprepared. */
const maxPreparedTexts = 2_000;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known || statementNames.size >= maxPreparedTexts || text.length > 20_000) return known;
  const name = `ic_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  statementNames.set(text, name);
  return name;
}

/**
 * Every parameterized statement runs as a named prepared statement, parsed and planned once per
 * connection instead of on every call (issue 19 §4: planning was 40% of PostgreSQL's time in a
 * health sweep, more than executing for several of the recording statements). The name is a hash
 * of the text, so the same text shares one statement per connection; pg sends Parse only the first
 * time. The statements name their columns, so a migration adding a column does not invalidate
 * their result shape. Calls without values, or with a query config, go through as they were.
 */
function prepareParameterized(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values, callback] = args;
    // (text, values) from our code, (text, values, callback) from pool.query.
    const plain = args.length === 2 || (args.length === 3 && typeof callback === 'function');
    if (plain && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(text);
      if (name) return query({ name, text, values }, ...(callback ? [callback] : []));
    }
    return query(...args);
  };
}

async function inTransaction<T>(db: Db, begin: (client: pg.PoolClient) => Promise<unknown>, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await begin(client);
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

/** How a partner-scoped transaction starts: plain, read-only, or one read-only snapshot. */
export type ScopeBegin = 'BEGIN' | 'BEGIN READ ONLY' | 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

// set_config('role', …, true) is SET LOCAL ROLE (the same GUC, checked the same way), and unlike
// SET it takes the partner id as a bound parameter.
const scopeSql = "SELECT set_config('role', 'ic_app', true), set_config('app.partner_id', $1, true)";

/**
 * THE partner scope, written once: starts a transaction on `client` as the ic_app role (so
 * row-level security applies even when the pool connects as a superuser) with app.partner_id
 * set for this transaction only. Both messages are on the wire when this returns (the pool
 * pipelines), so a statement queued right behind them shares their round trip; the promise
 * settles with their answers.
 */
export function beginPartnerScope(client: pg.PoolClient, partnerId: number, begin: ScopeBegin): Promise<unknown> {
  if (!Number.isSafeInteger(partnerId) || partnerId <= 0) throw new TypeError('partnerId must be a positive integer');
  // Named: each connection parses it once, then only binds the partner id.
  return inOneWrite(client, () => Promise.all([client.query(begin), client.query({ name: 'partner-scope', text: scopeSql, values: [String(partnerId)] })]));
}

/**
 * Runs `send`, whose queries the pool pipelines, with the connection's socket corked, so all their
 * messages leave in one write. pg writes every protocol message (or one corked statement) as its
 * own socket write, one system call each: a scoped read's BEGIN, scope, statement and COMMIT were
 * four, and those writes were 8% of the server's profile on the catalog list (issue 19 §3). Nested
 * corks are counted, so pg's own cork around a prepared statement stays inside this one. A client
 * without a socket yet (still connecting) queues the queries itself and is left alone.
 */
export function inOneWrite<T>(client: pg.ClientBase, send: () => T): T {
  // pg's Client keeps its socket at connection.stream; it is not part of pg's typed API.
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  stream?.cork?.();
  try {
    return send();
  } finally {
    stream?.uncork?.();
  }
}

/**
 * Runs `fn` in a transaction bound to one partner (beginPartnerScope). Every partner-scoped
 * query goes through here, readAsPartner or withPartnerSnapshot.
 */
export function withPartner<T>(db: Db, partnerId: number, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(db, (client) => beginPartnerScope(client, partnerId, 'BEGIN'), fn);
}

/**
 * Like withPartner, but one REPEATABLE READ, READ ONLY snapshot: every statement of `fn` sees the
 * database as of its first statement, and nothing can be written. Sync pulls read a page this
 * way so the page, its cursor and the partner's version agree with each other.
 */
export function withPartnerSnapshot<T>(db: Db, partnerId: number, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(db, (client) => beginPartnerScope(client, partnerId, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'), fn);
}

/**
 * Runs `fn` in a transaction with the connecting role: for work that is not on behalf of one
 * partner (login lookups, migrations, schedulers, CLI). Never reached from a partner's request
 * with partner data.
 */
export function withSystem<T>(db: Db, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(db, (client) => client.query('BEGIN'), fn);
}

/** The single row a statement such as INSERT … RETURNING must produce. */
export function oneRow<T>(result: { rows: T[] }): T {
  const row = result.rows[0];
  if (row === undefined) throw new Error('expected one row, got none');
  return row;
}
