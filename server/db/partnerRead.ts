import type pg from 'pg';
import { beginPartnerScope, inOneWrite, type Db, type Queryable, type ScopeBegin } from './pool.js';

/**
 * The same partner scope as withPartner (beginPartnerScope: a transaction as ic_app with
 * app.partner_id set, so row-level security applies), for ONE read-only statement, in ONE round
 * trip: the pool pipelines, so BEGIN READ ONLY, the scope, the statement with its bound
 * parameters and COMMIT leave in one write and their answers come back together. The hot reads
 * (catalog, audit pages) use it: withPartner waits for the scope, the statement and the COMMIT
 * one after another. Figures: `npm run bench -- catalog` (docs/architecture.md).
 *
 * `fn` receives a Queryable that accepts exactly one query — pass it to the usual db module
 * function, so the SQL stays in one place.
 */
export function readAsPartner<T>(db: Db, partnerId: number, fn: (q: Queryable) => Promise<T>): Promise<T> {
  return oneStatementAsPartner(db, partnerId, 'BEGIN READ ONLY', fn);
}

/**
 * The same for ONE writing statement: BEGIN, the scope, the statement and COMMIT in one round trip.
 * A failed statement rolls the transaction back (COMMIT of an aborted transaction) and throws.
 * The interaction log's writer uses it: a sweep writes small batches for many partners.
 */
export function writeAsPartner<T>(db: Db, partnerId: number, fn: (q: Queryable) => Promise<T>): Promise<T> {
  return oneStatementAsPartner(db, partnerId, 'BEGIN', fn);
}

async function oneStatementAsPartner<T>(db: Db, partnerId: number, begin: ScopeBegin, fn: (q: Queryable) => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(partnerId) || partnerId <= 0) throw new TypeError('partnerId must be a positive integer');
  const client = await db.pool.connect();
  let used = false;
  // A connection whose COMMIT failed is in an unknown state: the pool drops it instead of reusing it.
  let broken: Error | undefined;
  const q: Queryable = {
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
      if (used) throw new Error('readAsPartner and writeAsPartner run a single statement');
      used = true;
      // A failed scope or statement aborts the transaction; COMMIT then ends it as a ROLLBACK, so
      // the connection goes back to the pool clean either way. All of it leaves in one write.
      const [scope, statement, commit] = inOneWrite(client, () => [beginPartnerScope(client, partnerId, begin), client.query<R>(text, values), client.query('COMMIT')] as const);
      const [scoped, result, committed] = await Promise.allSettled([scope, statement, commit]);
      if (committed.status === 'rejected') broken = committed.reason instanceof Error ? committed.reason : new Error(String(committed.reason));
      // The first failure is the cause: after a failed scope the statement only says "aborted".
      if (scoped.status === 'rejected') throw scoped.reason;
      if (result.status === 'rejected') throw result.reason;
      if (committed.status === 'rejected') throw committed.reason;
      return result.value;
    },
  };
  try {
    return await fn(q);
  } finally {
    client.release(broken);
  }
}
