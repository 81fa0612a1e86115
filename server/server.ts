import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './http/app.js';
import { createLogger } from './logger.js';
import { startRuntime } from './runtime.js';
import { startHealthMonitor } from './services/health/monitor.js';

/** `npm run server`: the API server alone, on DATABASE_URL or the embedded PostgreSQL. */
export async function runServer(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  const log = createLogger({ level: config.logLevel });
  const runtime = await startRuntime(config, log);
  const app = await buildApp(runtime.deps);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await runtime.stop();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`Port ${config.port} on ${config.host} is taken: stop what uses it or set PORT.`);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // Scheduled health checks and alert webhooks (SPEC-005); HEALTH_SCHEDULER=off leaves them to other instances.
  const monitor = config.health.scheduler ? startHealthMonitor(runtime.deps, { databaseUrl: runtime.databaseUrl }) : undefined;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('shutting down');
      // Stop accepting requests and claiming checks; in-flight ones finish (or are released).
      await Promise.all([app.close(), monitor?.stop()]);
      await runtime.stop(); // then the pool, then the embedded database
    })());
  return { app, runtime, url, stop, monitor };
}
