import { chmod, open } from 'node:fs/promises';
import { migrate } from './migrate.js';
import { cacheMigrations, type CacheMigration } from './migrations.js';
import type { CacheDb } from './types.js';

/**
 * Opens (or creates) a cache database and brings its schema up to date. The native module is
 * imported here, lazily, so merely importing the core never loads it.
 */
export async function openCacheDatabase(file: string, migrations: readonly CacheMigration[] = cacheMigrations): Promise<CacheDb> {
  const { default: Database } = await import('better-sqlite3');
  if (file !== ':memory:') await ownerOnly(file);
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

/**
 * The cache holds a partner's data: its files are the user's alone (0600), whatever the umask or
 * the data folder's permissions (issue 20 §7.7). SQLite gives the -wal and -shm files it creates
 * the database file's own permissions, so creating that one 0600 first covers all three; files
 * left by an older version are tightened too.
 */
async function ownerOnly(file: string): Promise<void> {
  if (process.platform === 'win32') return; // ACLs of the user's profile folder apply there.
  await (await open(file, 'a', 0o600)).close();
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    await chmod(path, 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
