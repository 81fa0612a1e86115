import type { Queryable } from './pool.js';

// Issue 18 §3 (offboarding): every table holding a partner's rows is found from the catalog —
// any public table with a partner_id column — rather than listed here, so a table added later
// is counted and emptied too instead of being forgotten.

/** Public tables (partitioned parents, not their partitions) with a partner_id column, plus partners itself. */
export async function partnerTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND a.attname = 'partner_id' AND NOT a.attisdropped
        AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`,
    [],
  );
  return rows.map((r) => r.name);
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** How many rows each table holds for the partner (tables without any left out). */
export async function countPartnerRows(db: Queryable, tables: readonly string[], partnerId: number): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const { rows } = await db.query<{ name: string; n: number }>(
    // Names come from the catalog (partnerTables), quoted as identifiers and as literals.
    tables.map((t) => `SELECT '${t.replaceAll("'", "''")}' AS name, (SELECT count(*)::int FROM ${ident(t)} WHERE partner_id = $1) AS n`).join(' UNION ALL '),
    [partnerId],
  );
  return Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.name, r.n]));
}

/**
 * Deletes the partner: its row in partners (most tables cascade from it), then whatever a table
 * without that cascade still holds. Returns whether the partner existed.
 */
export async function deletePartnerRows(db: Queryable, tables: readonly string[], partnerId: number): Promise<boolean> {
  const deleted = await db.query('DELETE FROM partners WHERE id = $1', [partnerId]);
  for (const table of tables) await db.query(`DELETE FROM ${ident(table)} WHERE partner_id = $1`, [partnerId]);
  return (deleted.rowCount ?? 0) > 0;
}
