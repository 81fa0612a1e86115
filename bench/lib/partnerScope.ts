import pg from 'pg';
import { readAsPartner } from '../../server/db/partnerRead.js';
import { createDb, withPartner, type Db, type Queryable } from '../../server/db/pool.js';

/**
 * The ways of running one read under the partner scope that `npm run bench -- catalog` compares
 * in one run (docs/architecture.md has the figures):
 * - `withPartner`: scope, statement and COMMIT, each waited for (three round trips);
 * - `inlinedMultiStatement`: the former readAsPartner, one simple-protocol message with the
 *   parameters escaped into the text by hand (one round trip) — kept here only as the baseline;
 * - `readAsPartner`: today's, bound parameters, pipelined (one round trip);
 * - `readAsPartnerUnpipelined`: the same code on a pool without pipeline mode, which shows what
 *   pipelining buys (its four messages then wait for each other).
 */
export const scopeVariants = ['withPartner', 'inlinedMultiStatement', 'readAsPartner', 'readAsPartnerUnpipelined'] as const;
export type ScopeVariant = (typeof scopeVariants)[number];

export interface ScopedReader {
  read(sql: string, params: unknown[], partnerId: number): Promise<unknown>;
  close(): Promise<void>;
}

export function scopedReader(variant: ScopeVariant, databaseUrl: string, max: number): ScopedReader {
  const db: Db =
    variant === 'readAsPartnerUnpipelined'
      ? (() => {
          const pool = new pg.Pool({ connectionString: databaseUrl, max, pipeline: false });
          return { pool, close: () => pool.end() };
        })()
      : createDb(databaseUrl, { max });
  const read = async (sql: string, params: unknown[], partnerId: number): Promise<unknown> => {
    switch (variant) {
      case 'withPartner':
        return (await withPartner(db, partnerId, (tx) => tx.query(sql, params))).rows;
      case 'inlinedMultiStatement':
        return (await inlinedRead(db, partnerId, sql, params)).rows;
      default:
        return (await readAsPartner(db, partnerId, (q: Queryable) => q.query(sql, params))).rows;
    }
  };
  return { read, close: () => db.close() };
}

/** The replaced implementation, verbatim in effect: hand-escaped literals, one multi-statement message. */
async function inlinedRead(db: Db, partnerId: number, sql: string, params: unknown[]): Promise<pg.QueryResult> {
  const client = await db.pool.connect();
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'number' || typeof value === 'boolean') return String(value).toUpperCase();
    if (typeof value === 'string') return client.escapeLiteral(value);
    throw new TypeError(`cannot inline a ${typeof value}`);
  };
  let inTransaction = false;
  let broken: Error | undefined;
  try {
    const text = sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
    inTransaction = true;
    const results = (await client.query(
      `BEGIN READ ONLY; SET LOCAL ROLE ic_app; SELECT set_config('app.partner_id', '${partnerId}', true); ${text}; COMMIT`,
    )) as unknown as pg.QueryResult[];
    inTransaction = false;
    return results[3] as pg.QueryResult;
  } finally {
    if (inTransaction) await client.query('ROLLBACK').catch((error: Error) => (broken = error));
    client.release(broken);
  }
}
