import { randomBytes } from 'node:crypto';
import { dropConnectionsWhile } from '../../server/test/dropConnections.js';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../server/config.js';
import { buildApp } from '../../server/http/app.js';
import { startFakeVendors, type FakeVendors } from '../../server/integrations/fakeVendors.js';
import { startRuntime, type Runtime } from '../../server/runtime.js';
import type { InteractionLog } from '../../server/services/interactions/writer.js';
import { generateKeyRingEntry } from '../../server/secrets/keyRing.js';
import { captureLogs } from '../../server/test/logCapture.js';

export interface FuzzServer {
  app: FastifyInstance;
  runtime: Runtime;
  fakes: FakeVendors;
  /** http://127.0.0.1:port — the same app listens too, for the desktop core and the SSE streams. */
  url: string;
  metricsToken: string;
  /** Waits for the interaction log's queued rows to be written (it writes off the request path). */
  settle(): Promise<void>;
  /** Every log line at error level or above (pino level ≥ 50) so far. */
  errorLines(): string[];
  close(): Promise<void>;
}

/**
 * The real API server in-process over the scenario's database, its plugins pointed at the fake
 * vendors on loopback. No job workers: nothing but the fuzzed requests writes rows, so partner
 * B's rows can be compared byte for byte before and after.
 */
export async function startFuzzServer(databaseUrl: string): Promise<FuzzServer> {
  const fakes = await startFakeVendors();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-fuzz-'));
  const logs = captureLogs('warn');
  const metricsToken = randomBytes(24).toString('base64url');
  let runtime: Runtime | undefined;
  try {
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ENCRYPTION_KEYS: generateKeyRingEntry(),
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      // Uncached: a token's user is read on every request, as the fuzzed ones flip states.
      AUTH_CACHE_TTL: '0',
      METRICS_TOKEN: metricsToken,
      LOG_LEVEL: 'warn',
      ...fakes.env,
    });
    runtime = await startRuntime(config, logs.log, { jobWorkers: false });
    const app = await buildApp(runtime.deps);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const started = runtime;
    return {
      app,
      runtime: started,
      fakes,
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      metricsToken,
      settle: async () => {
        const log = started.deps.interactionLog;
        if (log && 'flush' in log && typeof log.flush === 'function') await (log as InteractionLog).flush();
      },
      errorLines: () => logs.lines.filter((line) => Number((JSON.parse(line) as { level?: number }).level) >= 50),
      async close() {
        await dropConnectionsWhile(app, app.close());
        await started.stop();
        await fakes.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await runtime?.stop();
    await fakes.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
