import type { Queryable } from './pool.js';

// Deployment-wide (not partner) data: run through withSystem only. See the migration
// 20261122001000_encryption_key_checks for why the table exists.

export interface KeyCheckRow {
  kid: string;
  sample: unknown;
}

export async function listKeyChecks(db: Queryable): Promise<KeyCheckRow[]> {
  const { rows } = await db.query<KeyCheckRow>('SELECT kid, sample FROM encryption_key_checks ORDER BY kid');
  return rows;
}

/** Records a key's sample unless another instance did first (its sample is then the one checked). */
export async function insertKeyCheck(db: Queryable, kid: string, sample: unknown): Promise<void> {
  await db.query('INSERT INTO encryption_key_checks (kid, sample) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING', [kid, JSON.stringify(sample)]);
}
