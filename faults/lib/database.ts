import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { migrate } from '../../server/db/migrate.js';
import { freePort } from '../../test/ports.js';

export interface FaultPostgres {
  /** Superuser URL on the "postgres" database. */
  adminUrl: string;
  /** A new, migrated database on this server; dropped by `close`. */
  database(): Promise<string>;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The PostgreSQL a standalone `npm run test:faults` runs against: DATABASE_URL's server when set,
 * else the embedded one in a temporary folder (as `npm test` does), stopped by `close`.
 */
export async function startFaultPostgres(): Promise<FaultPostgres> {
  let adminUrl = process.env.DATABASE_URL;
  let dataDir: string | undefined;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ic-faults-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    adminUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const url = adminUrl;
  const created: string[] = [];
  return {
    adminUrl: url,
    async database() {
      const name = `ic_faults_${randomBytes(5).toString('hex')}`;
      await admin(url, `CREATE DATABASE ${name}`);
      created.push(name);
      const databaseUrl = withDatabase(url, name);
      await migrate(databaseUrl);
      return databaseUrl;
    },
    async close() {
      for (const name of created) await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await stopEmbedded?.();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
