import { oneRow, type Queryable } from './pool.js';

export interface PartnerRow {
  id: number;
  name: string;
  isDev: boolean;
}

/** Creates a partner, or returns the one with this name (case-insensitive). */
export async function ensurePartner(db: Queryable, name: string, isDev: boolean): Promise<PartnerRow> {
  const result = await db.query<PartnerRow>(
    `INSERT INTO partners (name, is_dev) VALUES ($1, $2)
     ON CONFLICT (lower(name)) DO UPDATE SET name = partners.name
     RETURNING id, name, is_dev AS "isDev"`,
    [name, isDev],
  );
  return oneRow(result);
}

export async function listPartners(db: Queryable): Promise<PartnerRow[]> {
  const { rows } = await db.query<PartnerRow>('SELECT id, name, is_dev AS "isDev" FROM partners ORDER BY id');
  return rows;
}

export async function partnerExists(db: Queryable, id: number): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM partners WHERE id = $1', [id]);
  return rows.length > 0;
}
