import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const migrationsTable = 'pgmigrations';

export interface MigrationLog {
  info(message: string): void;
}

/** node-pg-migrate's refusal when another session holds its advisory lock. */
const lockHeld = /Another migration is already running/;

export interface MigrateOptions {
  /** How long to wait for another instance's migration before giving up (default 2 minutes). */
  lockWaitMs?: number;
  /** How often to try the lock again meanwhile. */
  pollMs?: number;
}

/**
 * Applies every pending migration. node-pg-migrate takes an advisory lock, so several server
 * instances starting together apply each migration once. An instance that finds nothing pending
 * does not touch the lock at all, and one that finds the lock held waits for the holder (a line
 * in the log, bounded by `lockWaitMs`) and then applies what is still pending, usually nothing:
 * a rolling deploy or a restart of every replica never kills one at start-up (issue 20 §4).
 */
export async function migrate(databaseUrl: string, log?: MigrationLog, options: MigrateOptions = {}): Promise<string[]> {
  const lockWaitMs = options.lockWaitMs ?? 120_000;
  const pollMs = options.pollMs ?? 500;
  if ((await pendingIn(databaseUrl)).length === 0) return [];
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      const applied = await runner({
        databaseUrl,
        dir: migrationsDir,
        ignorePattern: '(\\..*)|(.*\\.md)',
        migrationsTable,
        direction: 'up',
        checkOrder: true,
        singleTransaction: true,
        log: () => undefined,
      });
      for (const migration of applied) log?.info(`applied migration ${migration.name}`);
      return applied.map((m) => m.name);
    } catch (error) {
      if (!(error instanceof Error && lockHeld.test(error.message))) throw error;
      if (Date.now() - started >= lockWaitMs) {
        throw new Error(`Another instance has been migrating the database for over ${Math.round(lockWaitMs / 1000)} s; start this one again when it is done (docs/operations.md)`);
      }
      if (!told) log?.info('another instance is migrating the database; waiting for it');
      told = true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

async function pendingIn(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await pendingMigrations(client);
  } finally {
    await client.end();
  }
}

/** Names of migration files not yet recorded in the database (empty when current). */
export async function pendingMigrations(client: Pick<pg.ClientBase, 'query'>): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, ''));
  const exists = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `public.${migrationsTable}`,
  ]);
  if (!exists.rows[0]?.present) return files;
  const done = await client.query<{ name: string }>(`SELECT name FROM ${migrationsTable}`);
  const names = new Set(done.rows.map((r) => r.name));
  return files.filter((f) => !names.has(f));
}
