import { spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PostgresAccount } from './postgresAccess.js';

/** Paths of the two PostgreSQL programs the product runs. */
export interface PostgresPrograms {
  initdb: string;
  postgres: string;
}

/** A spawn that failed or exited badly, with the last lines the program printed. */
export class PostgresProcessError extends Error {
  override name = 'PostgresProcessError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

// C messages keep "ready to accept connections" recognisable whatever the machine's locale.
const env = () => ({ ...process.env, LC_MESSAGES: 'C', LANG: 'C' });

function owner(account: PostgresAccount | undefined) {
  return account ? { uid: account.uid, gid: account.gid } : {};
}

/** Keeps the last few lines a program printed, to explain how it failed. */
function tail(onLog?: (line: string) => void) {
  const lines: string[] = [];
  return {
    push(chunk: Buffer) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        lines.push(line.trim());
        if (lines.length > 5) lines.shift();
        onLog?.(line.trim());
      }
    },
    text: () => lines.join(' | '),
  };
}

function spawnFailure(program: string, error: NodeJS.ErrnoException): PostgresProcessError {
  return new PostgresProcessError(`cannot run ${program} (${error.code ?? error.message})`, error.code);
}

/**
 * Creates a database cluster in `pgData` (owned by `account` when given) with SCRAM password
 * authentication for the superuser "postgres".
 */
export async function initCluster(options: {
  programs: PostgresPrograms;
  pgData: string;
  password: string;
  account?: PostgresAccount;
  onLog?: (line: string) => void;
}): Promise<void> {
  const { programs, pgData, account } = options;
  await mkdir(pgData, { recursive: true, mode: 0o700 });
  if (account) await chown(pgData, account.uid, account.gid);
  // initdb reads the password from a file; it sits beside pgData (reachable, like pgData) and
  // only its reader may open it.
  const pwFile = path.join(path.dirname(pgData), `.pwfile-${process.pid}`);
  await writeFile(pwFile, `${options.password}\n`, { mode: 0o600 });
  if (account) await chown(pwFile, account.uid, account.gid);
  const output = tail(options.onLog);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        programs.initdb,
        [`--pgdata=${pgData}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'],
        { ...owner(account), env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout.on('data', output.push);
      child.stderr.on('data', output.push);
      child.once('error', (error) => reject(spawnFailure('initdb', error)));
      child.once('close', (code, signal) =>
        code === 0 ? resolve() : reject(new PostgresProcessError(`initdb failed (${signal ?? `exit ${code}`}): ${output.text()}`)),
      );
    });
  } finally {
    await rm(pwFile, { force: true });
  }
}

/**
 * PostgreSQL's shutdown modes (the `pg_ctl stop -m` names): smart waits for clients to leave,
 * fast rolls back open transactions and disconnects them, immediate quits without a checkpoint
 * (the next start recovers from the WAL, as after a crash).
 */
export type ShutdownMode = 'smart' | 'fast' | 'immediate';

const shutdownSignals: Record<ShutdownMode, NodeJS.Signals> = { smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' };

/** A running postmaster; `stop` asks it to shut down (fast unless told) and waits for it to exit. */
export interface PostgresServer {
  stop(mode?: ShutdownMode): Promise<void>;
}

/** Starts the postmaster on `pgData` and resolves once it accepts connections. */
export async function startServer(options: {
  programs: PostgresPrograms;
  pgData: string;
  port: number;
  flags: readonly string[];
  account?: PostgresAccount;
  onLog?: (line: string) => void;
}): Promise<PostgresServer> {
  const output = tail(options.onLog);
  const child: ChildProcess = spawn(options.programs.postgres, ['-D', options.pgData, '-p', String(options.port), ...options.flags], {
    ...owner(options.account),
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // If this process exits without stopping it, the database must not outlive it.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  await new Promise<void>((resolve, reject) => {
    const watch = (chunk: Buffer) => {
      output.push(chunk);
      if (chunk.toString('utf8').includes('ready to accept connections')) resolve();
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('error', (error) => reject(spawnFailure('postgres', error)));
    child.once('close', (code, signal) =>
      reject(new PostgresProcessError(`postgres exited (${signal ?? `exit ${code}`}): ${output.text() || 'no output'}`)),
    );
  }).catch((error: unknown) => {
    process.removeListener('exit', onExit);
    throw error;
  });
  return {
    async stop(mode = 'fast') {
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) child.kill(shutdownSignals[mode]);
      await exited;
    },
  };
}
