import { migrate } from './migrate.js';
import { cacheMigrations, type CacheMigration } from './migrations.js';
import type { CacheDb } from './types.js';

/**
 * Opens (or creates) a cache database and brings its schema up to date. The native module is
 * imported here, lazily, so merely importing the core never loads it.
 */
export async function openCacheDatabase(file: string, migrations: readonly CacheMigration[] = cacheMigrations): Promise<CacheDb> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  try {
    configureCacheDatabase(db);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * WAL for concurrent reads while sync writes; synchronous=FULL because drafts are user-authored
 * and must survive a power cut right after "saved"; foreign keys on for draft secrets.
 */
export function configureCacheDatabase(db: CacheDb): void {
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted rows (wiped draft secrets, even as ciphertext) are overwritten, not left in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
}
