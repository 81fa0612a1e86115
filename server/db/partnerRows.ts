import type { Queryable } from './pool.js';

// Issue 18 §3 (offboarding): every table holding a partner's rows is found from the catalog —
// any public table with a partner_id column — rather than listed here, so a table added later
// is counted and emptied too instead of being forgotten.

/**
 * Public tables (partitioned parents, not their partitions) with a partner_id column, ordered so
 * that a table comes before every table it references: deleting in this order never trips a
 * foreign key without ON DELETE CASCADE (organization_snapshots → discovery_runs has none).
 */
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
  const { rows: references } = await db.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k
       JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public' AND ch.oid <> pa.oid`,
    [],
  );
  const names = rows.map((r) => r.name);
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    // Whatever references this table goes first.
    for (const r of references) if (r.parent === table && names.includes(r.child)) visit(r.child, path);
    path.delete(table);
    ordered.push(table);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
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
 * Deletes the partner: its rows table by table (partnerTables' order), then its row in partners.
 * Deleting a configuration records a sync tombstone and bumps the partner's sync version
 * (triggers), re-creating rows in tables already emptied, so the tables are gone over until
 * nothing is left (the second pass finds no trigger left to fire). Returns whether it existed.
 */
export async function deletePartnerRows(db: Queryable, tables: readonly string[], partnerId: number): Promise<boolean> {
  for (let pass = 0; pass < 3; pass++) {
    let deleted = 0;
    for (const table of tables) deleted += (await db.query(`DELETE FROM ${ident(table)} WHERE partner_id = $1`, [partnerId])).rowCount ?? 0;
    if (deleted === 0) break;
  }
  const partner = await db.query('DELETE FROM partners WHERE id = $1', [partnerId]);
  return (partner.rowCount ?? 0) > 0;
}
