import type pg from 'pg';

/**
 * Every row partner B owns, as text: its `partners` row and, for each table with a `partner_id`
 * column, its rows as JSON in a fixed order. Two snapshots are equal iff nothing of B's moved.
 */
export async function snapshotPartner(pool: pg.Pool, partnerId: number): Promise<Map<string, string>> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND c.column_name = 'partner_id' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name`,
  );
  const snapshot = new Map<string, string>();
  const one = async (name: string, where: string) => {
    const { rows } = await pool.query<{ rows: string }>(
      `SELECT coalesce(json_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]')::text AS rows FROM "${name}" t WHERE ${where} = $1`,
      [partnerId],
    );
    snapshot.set(name, rows[0]?.rows ?? '[]');
  };
  await one('partners', 'id');
  for (const { table_name } of tables) await one(table_name, 'partner_id');
  return snapshot;
}

/** What differs between two snapshots, one line per table, with the first bytes that differ. */
export function snapshotDifferences(before: Map<string, string>, after: Map<string, string>): string[] {
  const differences: string[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(table) ?? '(no table)';
    const b = after.get(table) ?? '(no table)';
    if (a === b) continue;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    differences.push(`partner B's rows in ${table} changed while fuzzing as partner A: before …${a.slice(Math.max(0, i - 60), i + 120)}… after …${b.slice(Math.max(0, i - 60), i + 120)}…`);
  }
  return differences;
}

/** How many rows of B's the snapshot holds (to report that something was compared). */
export function snapshotRows(snapshot: Map<string, string>): number {
  let rows = 0;
  for (const text of snapshot.values()) rows += (JSON.parse(text) as unknown[]).length;
  return rows;
}
