import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../server/config.js';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { buildApp } from '../../server/http/app.js';
import type { IntegrationPlugin } from '../../server/integrations/types.js';
import { createLogger } from '../../server/logger.js';
import { startRuntime, type Runtime } from '../../server/runtime.js';
import { generateKeyRingEntry } from '../../server/secrets/keyRing.js';
import { freePort } from '../../test/ports.js';

export interface BenchServer {
  runtime: Runtime;
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/**
 * A real server on loopback over a fresh database: the embedded PostgreSQL in a temp dir, or
 * a new database on DATABASE_URL's server. `extend` may add routes before it starts listening;
 * `plugins` replaces the shipped registry.
 */
export async function startBenchServer(
  options: { extend?: (app: FastifyInstance, runtime: Runtime) => void; plugins?: readonly IntegrationPlugin[]; env?: Record<string, string>; jobWorkers?: boolean } = {},
): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-bench-'));
  let adminUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    // pg_stat_statements lets a bench say which statements PostgreSQL's time went to (statementStats.ts).
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all', 'pg_stat_statements.track_planning=on'] });
    adminUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const dbName = `ic_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;

  const config = loadConfig({
    DATABASE_URL: url.toString(),
    DATA_DIR: dataDir,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!',
    ENCRYPTION_KEYS: generateKeyRingEntry(),
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const runtime = await startRuntime(config, createLogger({ level: 'warn' }), { plugins: options.plugins, jobWorkers: options.jobWorkers });
  const app = await buildApp(runtime.deps);
  options.extend?.(app, runtime);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    runtime,
    app,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      await runtime.stop();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await cleanup.end();
      await stopEmbedded?.();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
