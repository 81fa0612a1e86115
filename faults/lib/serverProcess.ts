import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compiledServer } from './compiledServer.js';
import { holdPort } from '../../server/test/portHolder.js';
import { freePort } from '../../test/ports.js';

/**
 * The real API server (`server/main.ts`) as a child process on a fixed loopback port, so a fault
 * scenario can SIGKILL it at any instant — no `finally`, no shutdown hook, a connection cut in
 * the middle of a transaction — and start it again on the same URL with the same secrets.
 */

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Secrets every instance of a scenario shares, so a restarted (or second) instance reads what the first wrote. */
export const faultServerSecrets = {
  JWT_SECRET: 'fault-suite-secret-that-is-long-enough-0123456789',
  ENCRYPTION_KEYS: `faults1:${Buffer.alloc(32, 11).toString('base64')}`,
  CREDENTIALS_KEY: Buffer.alloc(32, 13).toString('base64'),
} as const;

export interface ServerProcessOptions {
  /** The scenario's (migrated) database; every instance on it shares it. */
  databaseUrl: string;
  /** Fixed port; a free one is picked once when not given, and kept across restarts. */
  port?: number;
  /** Settings on top of the fixed ones (vendor base URLs, HEALTH_SCHEDULER, …). */
  env?: Record<string, string>;
  /** How long a start may take before it counts as a failure (tsx compiles the server on a cold start). */
  startTimeoutMs?: number;
  /** A name for log lines and errors ("server", "server B"). */
  name?: string;
  /**
   * Keep the next server loaded ahead of time (faults/lib/serverChild.ts), so a restart does not
   * pay for loading the code (seconds on a loaded machine). Default true; false runs
   * `server/main.ts` itself on each start.
   */
  prewarm?: boolean;
  /**
   * Run the server's modules compiled to JavaScript once (faults/lib/compiledServer.ts) instead
   * of through tsx on each start. Default true.
   */
  compiled?: boolean;
}

/** One log line the child wrote at error level or above (pino: level ≥ 50), or a line that is not JSON on stderr. */
export interface ChildErrorLine {
  instance: string;
  line: string;
}

// Children still running when this process ends are killed with it: a scenario that throws (or a
// test runner that exits) must not leave servers holding ports and database connections.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class ServerProcess {
  #child: ChildProcess | null = null;
  /** The next server, loaded and waiting for the word to start (prewarm). */
  #spare: { child: ChildProcess; loaded: Promise<boolean> } | null = null;
  #exited: Promise<number | null> = Promise.resolve(null);
  #releasePort: (() => Promise<void>) | null = null;
  #dataDir: string | null = null;
  /** Starts (successful ones) and SIGKILLs so far. */
  starts = 0;
  kills = 0;
  /** Error-level log lines of every life of this server (a SIGKILL writes none; anything here is the server's own). */
  readonly errorLines: ChildErrorLine[] = [];
  /** The last lines of output, for an error message when a start fails. */
  #tail: string[] = [];

  private constructor(
    readonly port: number,
    private readonly options: ServerProcessOptions,
  ) {}

  static async create(options: ServerProcessOptions): Promise<ServerProcess> {
    return new ServerProcess(options.port ?? (await freePort()), options);
  }

  get name(): string {
    return this.options.name ?? 'server';
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Loads the next server's code without starting it (prewarm), so that `start()` begins at
   * once: two instances prepared, then started together, start in the same instant.
   */
  async prepare(): Promise<void> {
    if (this.options.prewarm === false) return;
    this.#dataDir ??= await mkdtemp(path.join(tmpdir(), 'ic-faults-server-'));
    this.#spare ??= await this.#spawnSpare();
    if (!(await this.#spare.loaded)) {
      this.#spare = null;
      throw new Error(`${this.name} could not load:\n${this.#tail.join('\n')}`);
    }
  }

  /** Spawns the server and resolves once `/readyz` answers 200 (migrations done, database reachable). */
  async start(): Promise<void> {
    if (this.#child) throw new Error(`${this.name} is already running`);
    await this.#releasePort?.();
    this.#releasePort = null;
    this.#dataDir ??= await mkdtemp(path.join(tmpdir(), 'ic-faults-server-'));
    let child: ChildProcess;
    if (this.options.prewarm === false) {
      child = await this.#spawn('server/main.ts');
    } else {
      const spare = this.#spare ?? (await this.#spawnSpare());
      this.#spare = null;
      if (!(await spare.loaded)) throw new Error(`${this.name} could not load:\n${this.#tail.join('\n')}`);
      child = spare.child;
      child.send('start');
    }
    this.#child = child;
    this.#exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 60_000);
    let exitCode: number | null | undefined;
    void this.#exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined || child.exitCode !== null) {
        this.#child = null;
        throw new Error(`${this.name} exited with ${String(exitCode ?? child.exitCode)} while starting:\n${this.#tail.join('\n')}`);
      }
      if (await this.ready()) {
        this.starts++;
        // The next one loads while this one serves.
        if (this.options.prewarm !== false) this.#spare = await this.#spawnSpare();
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.kill();
    throw new Error(`${this.name} did not become ready within ${this.options.startTimeoutMs ?? 60_000} ms:\n${this.#tail.join('\n')}`);
  }

  /** Whether `/readyz` answers 200 right now. */
  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /**
   * SIGKILL: the process ends at once, mid-request or mid-transaction. Resolves when it is gone;
   * `holdPort` keeps the port ours while it is down (a reset for clients, like a dead server).
   */
  async kill(options: { holdPort?: boolean } = {}): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    child.kill('SIGKILL');
    await this.#exited;
    this.kills++;
    if (options.holdPort) this.#releasePort = await holdPort(this.port).catch(() => null);
  }

  async #spawn(file: string): Promise<ChildProcess> {
    const compiled = this.options.compiled === false ? null : await compiledServer();
    const args = compiled ? [path.join(compiled.root, file.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', file];
    const child = spawn(process.execPath, args, {
      cwd: compiled?.root ?? repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        TMPDIR: tmpdir(),
        DATABASE_URL: this.options.databaseUrl,
        HOST: '127.0.0.1',
        PORT: String(this.port),
        DATA_DIR: this.#dataDir ?? tmpdir(),
        LOG_LEVEL: 'warn',
        ...faultServerSecrets,
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    live.add(child);
    child.once('exit', () => live.delete(child));
    this.#watch(child);
    return child;
  }

  async #spawnSpare(): Promise<{ child: ChildProcess; loaded: Promise<boolean> }> {
    const child = await this.#spawn('faults/lib/serverChild.ts');
    const loaded = new Promise<boolean>((resolve) => {
      child.once('message', () => resolve(true));
      child.once('exit', () => resolve(false));
    });
    return { child, loaded };
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** Kills the server (if running), frees the port and removes its data folder. */
  async close(): Promise<void> {
    await this.kill();
    const spare = this.#spare;
    this.#spare = null;
    if (spare && spare.child.exitCode === null && spare.child.signalCode === null) {
      const gone = new Promise((r) => spare.child.once('exit', r));
      spare.child.kill('SIGKILL');
      await gone;
    }
    await this.#releasePort?.();
    this.#releasePort = null;
    if (this.#dataDir) await rm(this.#dataDir, { recursive: true, force: true });
    this.#dataDir = null;
  }

  #watch(child: ChildProcess): void {
    const onLine = (line: string, stream: 'stdout' | 'stderr') => {
      if (!line.trim()) return;
      this.#tail.push(line);
      if (this.#tail.length > 40) this.#tail.shift();
      let level: number | undefined;
      try {
        level = (JSON.parse(line) as { level?: number }).level;
      } catch {
        level = undefined;
      }
      if ((level !== undefined && level >= 50) || (level === undefined && stream === 'stderr')) this.errorLines.push({ instance: this.name, line });
    };
    for (const stream of ['stdout', 'stderr'] as const) {
      let buffered = '';
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) onLine(line, stream);
      });
    }
  }
}
