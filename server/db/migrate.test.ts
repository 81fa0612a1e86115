import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { makePartner, makeUser } from '../test/factories.js';
import { migrate, pendingMigrations } from './migrate.js';
import { partnerExists } from './partners.js';
import { readAsPartner } from './partnerRead.js';
import { findLoginByEmail } from './users.js';
import { withPartner, withSystem } from './pool.js';

describe('migrations from an empty database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
  });
  afterAll(() => database.drop());

  it('applies every migration, records them, and a second run is a no-op', async () => {
    expect((await pendingMigrations(database.db.pool)).length).toBeGreaterThan(0);
    const first = await migrate(database.url);
    expect(first.length).toBeGreaterThan(0);
    expect(await pendingMigrations(database.db.pool)).toEqual([]);
    expect(await migrate(database.url)).toEqual([]);
    const { rows } = await database.db.pool.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(first);
  });

  it('creates the SPEC-005 tables with their constraints', async () => {
    const { rows } = await database.db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['partners', 'users', 'integration_configurations', 'integration_audit_logs', 'partner_sync_state']),
    );
    const partner = await makePartner(database.db);
    await expect(
      database.db.pool.query(
        `INSERT INTO integration_configurations (partner_id, integration_key, status) VALUES ($1, 'syncro', 'Broken')`,
        [partner.id],
      ),
    ).rejects.toThrow(/check constraint/);
    await database.db.pool.query(`INSERT INTO integration_configurations (partner_id, integration_key) VALUES ($1, 'syncro')`, [partner.id]);
    await expect(
      database.db.pool.query(`INSERT INTO integration_configurations (partner_id, integration_key) VALUES ($1, 'syncro')`, [partner.id]),
    ).rejects.toThrow(/unique constraint/);
  });

  it('has partner_id in every unique key of a partner table, and row-level security on each', async () => {
    // `users` is the one exception by design: the login directory, where an id or an email
    // names exactly one account whatever its partner. An inbound webhook URL's id likewise names
    // exactly one endpoint (the request carries no partner until it is looked up; issue 18 §5), and
    // an AI assistant token's hash exactly one token (issue 25).
    const { rows } = await database.db.pool.query<{ table: string; index: string; columns: string[]; rls: boolean }>(`
      SELECT c.relname AS table, i.relname AS index, c.relrowsecurity AS rls,
             array(SELECT a.attname FROM unnest(x.indkey) k JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k ORDER BY 1)::text[] AS columns
        FROM pg_index x
        JOIN pg_class c ON c.oid = x.indrelid
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND x.indisunique
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'partner_id' AND NOT a.attisdropped)`);
    const partnerTables = new Set(rows.map((r) => r.table));
    expect([...partnerTables]).toEqual(expect.arrayContaining(['integration_configurations', 'integration_audit_logs', 'sync_clients', 'sync_mutations']));
    const missing = rows.filter((r) => !r.columns.includes('partner_id') && r.table !== 'users' && r.index !== 'inbound_endpoints_endpoint_id_key' && r.index !== 'personal_access_tokens_token_hash_key');
    expect(missing.map((r) => `${r.table}.${r.index}`)).toEqual([]);
    const withoutRls = rows.filter((r) => !r.rls).map((r) => r.table);
    expect([...new Set(withoutRls)]).toEqual([]);
  });
});

describe('row-level security', () => {
  let database: TestDatabase;
  let a: { id: number };
  let b: { id: number };
  let dev: { id: number };
  beforeAll(async () => {
    database = await createTestDatabase();
    dev = await makePartner(database.db, { isDev: true });
    a = await makePartner(database.db);
    b = await makePartner(database.db);
    await withSystem(database.db, async (tx) => {
      for (const p of [a, b]) {
        await tx.query(`INSERT INTO integration_configurations (partner_id, integration_key) VALUES ($1, 'syncro')`, [p.id]);
        await tx.query(
          `INSERT INTO integration_audit_logs (partner_id, integration_key, action, actor) VALUES ($1, 'syncro', 'configured', 'x')`,
          [p.id],
        );
      }
    });
  });
  afterAll(() => database.drop());

  it('filters a query that forgets its partner filter', async () => {
    const seen = await withPartner(database.db, a.id, async (tx) => {
      const configs = await tx.query<{ partner_id: number }>('SELECT partner_id FROM integration_configurations');
      const audit = await tx.query<{ partner_id: number }>('SELECT partner_id FROM integration_audit_logs');
      return [...configs.rows, ...audit.rows].map((r) => r.partner_id);
    });
    expect(seen).toEqual([a.id, a.id]);
  });

  it('refuses writes into another partner', async () => {
    await expect(
      withPartner(database.db, a.id, (tx) =>
        tx.query(`INSERT INTO integration_configurations (partner_id, integration_key) VALUES ($1, 'msp360')`, [b.id]),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await withPartner(database.db, a.id, (tx) =>
      tx.query(`UPDATE integration_configurations SET error_message = 'x' WHERE partner_id = $1`, [b.id]),
    );
    expect(updated.rowCount).toBe(0);
  });

  it('lets the dev partner read every partner, but not write to them', async () => {
    const seen = await withPartner(database.db, dev.id, (tx) =>
      tx.query<{ partner_id: number }>('SELECT partner_id FROM integration_configurations ORDER BY partner_id'),
    );
    expect(seen.rows.map((r) => r.partner_id)).toEqual([a.id, b.id]);
    const deleted = await withPartner(database.db, dev.id, (tx) => tx.query('DELETE FROM integration_configurations'));
    expect(deleted.rowCount).toBe(0);
  });

  it('sees nothing at all without a partner set, and never password hashes', async () => {
    const none = await withPartner(database.db, 999_999, (tx) => tx.query('SELECT * FROM integration_configurations'));
    expect(none.rowCount).toBe(0);
    const user = await makeUser(database.db, a.id);
    await expect(
      withPartner(database.db, a.id, (tx) => tx.query('SELECT password_hash FROM users WHERE id = $1', [user.id])),
    ).rejects.toThrow(/permission denied/);
  });

  it('shows a partner only its own users and partner row; the dev partner reads the whole directory', async () => {
    const aUsers = [await makeUser(database.db, a.id), await makeUser(database.db, a.id, 'partner_user')];
    const bUser = await makeUser(database.db, b.id);
    const devUser = await makeUser(database.db, dev.id);
    const directory = (partnerId: number) =>
      withPartner(database.db, partnerId, async (tx) => ({
        emails: (await tx.query<{ email: string }>('SELECT email FROM users ORDER BY email')).rows.map((r) => r.email),
        partners: (await tx.query<{ id: number }>('SELECT id FROM partners ORDER BY id')).rows.map((r) => r.id),
      }));
    // What the connecting role (the system path) sees: everyone.
    const emailsOf = async (partnerId?: number) =>
      (await database.db.pool.query<{ email: string }>('SELECT email FROM users WHERE $1::bigint IS NULL OR partner_id = $1 ORDER BY email', [partnerId ?? null])).rows.map((r) => r.email);
    const all = await emailsOf();
    expect(all).toEqual(expect.arrayContaining([...aUsers, bUser, devUser].map((u) => u.email)));

    const seenByA = await directory(a.id);
    expect(seenByA.partners).toEqual([a.id]);
    expect(seenByA.emails).toEqual(await emailsOf(a.id));
    expect(seenByA.emails).toEqual(expect.arrayContaining(aUsers.map((u) => u.email)));
    expect((await directory(b.id)).emails).toEqual([bUser.email]);
    const seenByDev = await directory(dev.id);
    expect(seenByDev.emails).toEqual(all);
    expect(seenByDev.partners).toEqual([dev.id, a.id, b.id].sort((x, y) => x - y));
    expect(await directory(999_999)).toEqual({ emails: [], partners: [] });

    // What the app relies on: A cannot even learn that B exists; the dev partner can.
    expect(await readAsPartner(database.db, a.id, (q) => partnerExists(q, b.id))).toBe(false);
    expect(await readAsPartner(database.db, dev.id, (q) => partnerExists(q, b.id))).toBe(true);
    // Neither may write the directory, whatever the policies say.
    await expect(withPartner(database.db, dev.id, (tx) => tx.query(`UPDATE partners SET name = 'x' WHERE id = $1`, [a.id]))).rejects.toThrow(/permission denied/);
    // The login lookup keeps the connecting role, so it still finds every partner's user.
    expect((await findLoginByEmail(database.db.pool, bUser.email))?.partnerId).toBe(b.id);
  });

  it('stamps each write with a per-partner monotonic version and leaves a tombstone on delete', async () => {
    const versions = await withPartner(database.db, a.id, async (tx) => {
      const before = await tx.query<{ version: number }>('SELECT version FROM partner_sync_state');
      await tx.query(`UPDATE integration_configurations SET error_message = 'y' WHERE partner_id = $1`, [a.id]);
      const row = await tx.query<{ sync_version: number }>('SELECT sync_version FROM integration_configurations');
      await tx.query(`DELETE FROM integration_configurations WHERE partner_id = $1`, [a.id]);
      const tomb = await tx.query<{ sync_version: number; entity_key: string }>('SELECT sync_version, entity_key FROM sync_tombstones');
      return { before: before.rows[0]?.version ?? 0, row: row.rows[0]?.sync_version, tomb: tomb.rows[0] };
    });
    expect(versions.row).toBe(versions.before + 1);
    expect(versions.tomb).toEqual({ sync_version: versions.before + 2, entity_key: 'syncro' });
  });
});

describe('migrating while another instance holds the lock (issue 20 §4)', () => {
  // node-pg-migrate's advisory lock id (its PG_MIGRATE_LOCK_ID): held here as another instance would.
  const lockId = '7241865325823964';
  let database: TestDatabase;
  let holder: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await database.drop();
  });

  it('waits for the holder with one log line, then applies what is pending, instead of dying', async () => {
    await holder.query(`SELECT pg_advisory_lock(${lockId})`);
    const lines: string[] = [];
    const running = migrate(database.url, { info: (m) => lines.push(m) }, { pollMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lines).toEqual(['another instance is migrating the database; waiting for it']);
    await holder.query(`SELECT pg_advisory_unlock(${lockId})`);
    const applied = await running;
    expect(applied.length).toBeGreaterThan(0);
    expect(await pendingMigrations(database.db.pool)).toEqual([]);
  });

  it('does not touch the lock when nothing is pending, and gives up with a clear message after its bound', async () => {
    await holder.query(`SELECT pg_advisory_lock(${lockId})`);
    try {
      expect(await migrate(database.url, undefined, { lockWaitMs: 100, pollMs: 20 })).toEqual([]);
      await database.db.pool.query(`DELETE FROM pgmigrations WHERE id = (SELECT max(id) FROM pgmigrations)`);
      await expect(migrate(database.url, undefined, { lockWaitMs: 150, pollMs: 20 })).rejects.toThrow(/Another instance has been migrating the database for over 0 s/);
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(${lockId})`);
    }
  });
});
