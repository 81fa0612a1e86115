import type pg from 'pg';
import type { Db, Queryable } from './pool.js';

type Literal = string | number | boolean | Date | null | undefined;

function literal(client: pg.PoolClient, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('readAsPartner takes integer numbers only');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return client.escapeLiteral(value);
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  throw new TypeError(`readAsPartner cannot inline a ${typeof value}`);
}

/**
 * The same partner scope as withPartner (a transaction as ic_app with app.partner_id set, so
 * row-level security applies), for ONE read-only statement, in ONE round trip: the statement is
 * sent inside `BEGIN READ ONLY; SET LOCAL ROLE …; …; COMMIT` as a single simple-protocol
 * message, its parameters inlined as escaped literals. The hot reads (catalog, audit pages) use
 * it: withPartner costs three round trips besides the statement.
 *
 * `fn` receives a Queryable that accepts exactly one query — pass it to the usual db module
 * function, so the SQL stays in one place.
 */
export async function readAsPartner<T>(db: Db, partnerId: number, fn: (q: Queryable) => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(partnerId) || partnerId <= 0) throw new TypeError('partnerId must be a positive integer');
  const client = await db.pool.connect();
  let used = false;
  let inTransaction = false;
  const q = {
    async query(text: string, params: readonly Literal[] = []) {
      if (used) throw new Error('readAsPartner runs a single statement');
      used = true;
      // One pass over the original text, so an inlined value is never scanned for placeholders.
      const sql = text.replace(/\$(\d+)/g, (_, n: string) => literal(client, params[Number(n) - 1]));
      inTransaction = true;
      const results = (await client.query(
        `BEGIN READ ONLY; SET LOCAL ROLE ic_app; SELECT set_config('app.partner_id', '${partnerId}', true); ${sql}; COMMIT`,
      )) as unknown as pg.QueryResult[];
      inTransaction = false;
      return results[3] as pg.QueryResult;
    },
  } as unknown as Queryable;
  let broken: Error | undefined;
  try {
    return await fn(q);
  } finally {
    // A failed statement leaves the transaction aborted (the COMMIT was skipped); a connection
    // that cannot even roll back is dropped from the pool.
    if (inTransaction) await client.query('ROLLBACK').catch((error: Error) => (broken = error));
    client.release(broken);
  }
}
