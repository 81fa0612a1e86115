import type { Runtime } from '../runtime.js';

/** Bad arguments: the CLI prints the usage text and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit code. The runtime (database, migrations) is started on first use. */
  run(args: string[], runtime: () => Promise<Runtime>, io: CliIo): Promise<number>;
}
