import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const migrationsTable = 'pgmigrations';

export interface MigrationLog {
  info(message: string): void;
}

/**
 * Applies every pending migration. node-pg-migrate takes an advisory lock, so several server
 * instances starting together apply each migration once; applying twice is a no-op.
 */
export async function migrate(databaseUrl: string, log?: MigrationLog): Promise<string[]> {
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
