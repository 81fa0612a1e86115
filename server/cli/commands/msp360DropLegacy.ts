import { dropLegacyTable, restoreLegacyTable } from '../../legacy/mspbackups/dropLegacy.js';
import { parseCliArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';

const refusals = {
  'already-dropped': 'mspbackups_config is already dropped.',
  'flag-not-global': 'msp360.read_from_new is not on globally: run `flag set msp360.read_from_new on` first (docs/msp360-migration.md).',
  'partners-on-legacy': 'Some partners still read the legacy table (msp360.read_from_new overridden off):',
  parity: 'The stores differ (run msp360-parity), partners:',
} as const;

export const msp360DropLegacyCommand: Command = {
  name: 'msp360-drop-legacy',
  usage: 'msp360-drop-legacy --confirm | --undo',
  summary: 'drop mspbackups_config (optional migration) once every partner reads the catalog and parity holds; --undo brings it back, refilled',
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { confirm: { type: 'boolean' }, undo: { type: 'boolean' } });
    if (values.confirm === values.undo) throw new UsageError('give --confirm (drop) or --undo (restore)');
    const { deps, databaseUrl } = await runtime();
    if (values.undo) {
      const report = await restoreLegacyTable(deps, databaseUrl);
      io.out(JSON.stringify(report));
      return report.failed.length ? 1 : 0;
    }
    const outcome = await dropLegacyTable(deps, databaseUrl);
    io.out(JSON.stringify(outcome));
    if (outcome.dropped) {
      io.err('mspbackups_config is dropped. The MSPBackups API now reads and writes integration_configurations only.');
      return 0;
    }
    io.err(`${refusals[outcome.reason]}${outcome.partners ? ` ${outcome.partners.join(', ')}` : ''}`);
    return 1;
  },
};
