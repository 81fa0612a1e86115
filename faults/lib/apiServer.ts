import { randomBytes } from 'node:crypto';
import { dropConnectionsWhile } from '../../server/test/dropConnections.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../shared/auth.js';
import { loadConfig } from '../../server/config.js';
import { buildApp } from '../../server/http/app.js';
import type { IntegrationPlugin } from '../../server/integrations/types.js';
import { createLogger, type Logger } from '../../server/logger.js';
import { startRuntime, type Runtime } from '../../server/runtime.js';
import { generateKeyRingEntry } from '../../server/secrets/keyRing.js';
import type { DelivererOptions } from '../../server/services/alerts/deliverer.js';
import { startHealthMonitor, type HealthMonitor } from '../../server/services/health/monitor.js';
import type { HealthSchedulerOptions } from '../../server/services/health/scheduler.js';

/** One warning-or-worse line the server logged, parsed. */
export interface LoggedLine {
  level: number;
  msg: string;
  component?: string;
  err?: { message?: string; stack?: string };
  [key: string]: unknown;
}

/**
 * The server's logger, keeping counts and the first warning-or-worse lines only: a soak logs for
 * ten minutes, and a capture that grew with it would be the leak the soak looks for.
 */
export function captureServerLogs(keep = 200): { log: Logger; lines: LoggedLine[]; counts: { warn: number; error: number } } {
  const lines: LoggedLine[] = [];
  const counts = { warn: 0, error: 0 };
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const text of String(chunk).split('\n')) {
        if (!text) continue;
        const line = JSON.parse(text) as LoggedLine;
        if (line.level >= 50) counts.error++;
        else if (line.level >= 40) counts.warn++;
        if (line.level >= 40 && lines.length < keep) lines.push(line);
      }
      callback();
    },
  });
  return { log: createLogger({ level: 'warn', destination }), lines, counts };
}

export interface InProcessServer {
  url: string;
  app: FastifyInstance;
  runtime: Runtime;
  monitor?: HealthMonitor;
  /** Stops the health monitor (once; stop() does it too). */
  stopMonitor(): Promise<void>;
  logs: ReturnType<typeof captureServerLogs>;
  /** A bearer token for a user, signed as a login would sign it. */
  tokenFor(user: { id: number; partnerId: number; role: Role }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The API server as `npm run server` runs it (server/server.ts: runtime, app, health monitor),
 * but inside this process, so a scenario can read its heap, handles and logs. Listens on
 * loopback at a free port; `databaseUrl` must be migrated (startRuntime checks, and migrates).
 */
export async function startInProcessServer(options: {
  databaseUrl: string;
  plugins?: readonly IntegrationPlugin[];
  env?: Record<string, string>;
  /** Start the health scheduler and webhook deliverer (server.ts does unless HEALTH_SCHEDULER=off). */
  monitor?: { scheduler?: HealthSchedulerOptions; deliverer?: DelivererOptions };
}): Promise<InProcessServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-fault-server-'));
  const logs = captureServerLogs();
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    ENCRYPTION_KEYS: generateKeyRingEntry(),
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    ...options.env,
  });
  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, logs.log, { plugins: options.plugins });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const app = await buildApp(runtime.deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const monitor = options.monitor ? startHealthMonitor(runtime.deps, { databaseUrl: runtime.databaseUrl, ...options.monitor }) : undefined;
  let monitorStopped: Promise<unknown> | undefined;
  const stopMonitor = async () => {
    monitorStopped ??= monitor?.stop() ?? Promise.resolve();
    await monitorStopped;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    stopMonitor,
    app,
    runtime,
    monitor,
    logs,
    tokenFor: async (user) => (await runtime.deps.tokens.sign({ userId: user.id, partnerId: user.partnerId, role: user.role })).token,
    async stop() {
      await dropConnectionsWhile(app, Promise.all([app.close(), stopMonitor()]));
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
