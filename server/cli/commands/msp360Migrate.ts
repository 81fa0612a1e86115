import { migrateMspBackups } from '../../legacy/mspbackups/migrate.js';
import { parseCliArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';

/** `--batch-size`: a whole number in range, else a usage error. */
export function batchSizeOption(value: string | undefined, fallback: number): number {
  const size = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new UsageError('--batch-size must be a whole number from 1 to 10000');
  return size;
}

export const msp360MigrateCommand: Command = {
  name: 'msp360-migrate',
  usage: 'msp360-migrate [--batch-size 200]',
  summary: 'copy the legacy MSPBackups settings into the MSP360 catalog configurations (idempotent, resumable)',
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { 'batch-size': { type: 'string' } });
    const batchSize = batchSizeOption(values['batch-size'], 200);
    const { deps } = await runtime();
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const report = await migrateMspBackups(deps, {
        batchSize,
        signal: controller.signal,
        onBatch: (r) => io.err(`migrated ${r.migrated}, replaced ${r.replaced}, linked ${r.linked}, copied to legacy ${r.copiedToLegacy}, unchanged ${r.skipped}`),
      });
      io.out(JSON.stringify(report));
      if (!report.legacyTable) {
        io.err('mspbackups_config does not exist (dropped): there is nothing to migrate.');
        return 1;
      }
      if (report.interrupted) io.err('Interrupted: nothing is lost; run msp360-migrate again to finish.');
      if (report.failed.length) io.err(`Passwords that do not decrypt (check CREDENTIALS_KEY and ENCRYPTION_KEYS), partners: ${report.failed.join(', ')}`);
      if (report.drifted.length) io.err(`Migrated before but different now (see msp360-parity), partners: ${report.drifted.join(', ')}`);
      return report.interrupted || report.failed.length || report.drifted.length ? 1 : 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
