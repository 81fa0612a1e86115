import { createHash } from 'node:crypto';
import type { CacheMigration } from './migrations.js';
import type { CacheDb } from './types.js';

/** The cache cannot be opened safely; the message says why and is shown to the user. */
export class CacheSchemaError extends Error {
  override name = 'CacheSchemaError';
}

/** Line endings are normalised so a checkout with CRLF does not count as an edited migration. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies pending migrations, each in its own transaction with its bookkeeping row. Refuses a
 * database whose applied migrations are unknown to this build (made by a newer app) or whose
 * text changed since they ran: drafts are user data, so guessing at the schema is not an option.
 */
export function migrate(db: CacheDb, migrations: readonly CacheMigration[]): { applied: number[] } {
  checkMigrationList(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedRow[];
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const migration = known.get(row.version);
    if (!migration) {
      throw new CacheSchemaError(`The local cache was written by a newer version of the app (migration ${row.version} "${row.name}"); update the app to open it`);
    }
    if (migrationChecksum(migration.sql) !== row.checksum) {
      throw new CacheSchemaError(`Cache migration ${row.version} "${row.name}" differs from the one that was applied; refusing to open the cache`);
    }
  }
  const done = new Set(applied.map((r) => r.version));
  const insert = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const ran: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      insert.run(migration.version, migration.name, migrationChecksum(migration.sql), new Date().toISOString());
    }).immediate();
    ran.push(migration.version);
  }
  return { applied: ran };
}

function checkMigrationList(migrations: readonly CacheMigration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new CacheSchemaError(`Cache migrations must be numbered 1, 2, 3…; found ${m.version} at position ${i + 1}`);
  });
}
