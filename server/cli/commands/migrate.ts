import type { Command } from '../command.js';
import { parseCliArgs } from '../args.js';

export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'apply pending database migrations (a no-op when current)',
  async run(args, runtime, io) {
    parseCliArgs(args, {});
    const { databaseUrl } = await runtime(); // starting the runtime applies migrations
    io.out(JSON.stringify({ migrated: true, database: new URL(databaseUrl).pathname.slice(1) }));
    return 0;
  },
};
