import { ConfigError, loadConfig } from '../config.js';
import { EmbeddedPostgresError } from '../db/embedded.js';
import { createLogger } from '../logger.js';
import { startRuntime, type Runtime } from '../runtime.js';
import { UsageError, type CliIo, type Command } from './command.js';
import { createClientCommand } from './commands/createClient.js';
import { createPartnerCommand } from './commands/createPartner.js';
import { createUserCommand } from './commands/createUser.js';
import { flagCommand } from './commands/flag.js';
import { healthSweepCommand } from './commands/healthSweep.js';
import { migrateCommand } from './commands/migrate.js';
import { msp360DropLegacyCommand } from './commands/msp360DropLegacy.js';
import { msp360MigrateCommand } from './commands/msp360Migrate.js';
import { msp360ParityCommand } from './commands/msp360Parity.js';
import { offboardPartnerCommand } from './commands/offboardPartner.js';
import { rotateKeyCommand } from './commands/rotateKey.js';
import { seedDemoCommand } from './commands/seedDemo.js';
import { tokenCommand } from './commands/token.js';

/** Every CLI command, one line each. */
export const commands: Command[] = [
  migrateCommand,
  seedDemoCommand,
  tokenCommand,
  createPartnerCommand,
  createUserCommand,
  createClientCommand,
  rotateKeyCommand,
  msp360MigrateCommand,
  msp360ParityCommand,
  flagCommand,
  msp360DropLegacyCommand,
  healthSweepCommand,
  offboardPartnerCommand,
];

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'The database is DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (started if not running).',
  ].join('\n');
}

/** Runs one command; returns the process exit code (2 for bad arguments). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(name && name !== '--help' && name !== 'help' ? `Unknown command "${name}"\n\n${usage()}` : usage());
    return 2;
  }
  let runtime: Runtime | undefined;
  const getRuntime = async () => {
    if (!runtime) {
      const config = loadConfig(env);
      // Logs go to stderr so stdout stays machine-readable.
      const log = createLogger({ level: 'warn', destination: process.stderr });
      runtime = await startRuntime(config, log, { reuseRunningEmbedded: true, jobWorkers: false });
    }
    return runtime;
  };
  try {
    return await command.run(args, getRuntime, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\nUsage: npm run cli -- ${command.usage}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
      io.err(error.message);
      return 78;
    }
    throw error;
  } finally {
    await runtime?.stop();
  }
}
