import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { makePartner } from '../test/factories.js';
import { readAsPartner } from './partnerRead.js';
import { withSystem } from './pool.js';

describe('readAsPartner', () => {
  let database: TestDatabase;
  let a: { id: number };
  let b: { id: number };
  beforeAll(async () => {
    database = await createTestDatabase();
    a = await makePartner(database.db);
    b = await makePartner(database.db);
    await withSystem(database.db, async (tx) => {
      for (const p of [a, b]) await tx.query(`INSERT INTO integration_configurations (partner_id, integration_key) VALUES ($1, 'syncro')`, [p.id]);
    });
  });
  afterAll(() => database.drop());

  const select = (sql: string, params: unknown[] = []) =>
    readAsPartner(database.db, a.id, async (q) => (await q.query<Record<string, unknown>>(sql, params)).rows);

  it('applies row-level security: a query without its partner filter sees only its partner', async () => {
    const rows = await select('SELECT partner_id FROM integration_configurations');
    expect(rows).toEqual([{ partner_id: a.id }]);
  });

  it('inlines parameters as literals that cannot break out of the statement', async () => {
    const hostile = [`x'; DELETE FROM integration_configurations; --`, 'back\\slash $1 $2', 'ünïcödé "quotes"', ''];
    for (const value of hostile) {
      const rows = await select('SELECT $1::text AS v, $2::bigint AS n, $3::boolean AS f, $4::text AS z', [value, 42, false, null]);
      expect(rows).toEqual([{ v: value, n: 42, f: false, z: null }]);
    }
    const { rows } = await database.db.pool.query('SELECT count(*)::int AS n FROM integration_configurations');
    expect(rows[0]?.n).toBe(2);
    await expect(select('SELECT $1::float AS x', [1.5])).rejects.toThrow(/integer/);
  });

  it('is read-only, runs one statement, and returns its connection clean after an error', async () => {
    await expect(select(`UPDATE integration_configurations SET error_message = 'x'`)).rejects.toThrow(/read-only/);
    await expect(
      readAsPartner(database.db, a.id, async (q) => {
        await q.query('SELECT 1');
        await q.query('SELECT 2');
      }),
    ).rejects.toThrow(/single statement/);
    await expect(select('SELECT no_such_column FROM integration_configurations')).rejects.toThrow();
    // Every pooled connection still works and is outside any transaction.
    const states = await Promise.all(
      Array.from({ length: 5 }, () => database.db.pool.query<{ s: string }>(`SELECT current_setting('transaction_isolation') AS s, now() = statement_timestamp() AS fresh`)),
    );
    for (const s of states) expect(s.rows[0]).toMatchObject({ fresh: true });
    expect(await select('SELECT partner_id FROM integration_configurations')).toEqual([{ partner_id: a.id }]);
  });
});
