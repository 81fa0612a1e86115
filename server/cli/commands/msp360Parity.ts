import { checkMspBackupsParity } from '../../legacy/mspbackups/parity.js';
import { parseCliArgs } from '../args.js';
import type { Command } from '../command.js';
import { batchSizeOption } from './msp360Migrate.js';

export const msp360ParityCommand: Command = {
  name: 'msp360-parity',
  usage: 'msp360-parity [--batch-size 500]',
  summary: 'compare every partner\'s legacy MSPBackups and MSP360 catalog settings; prints partner ids and field names, exits 1 on any difference',
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { 'batch-size': { type: 'string' } });
    const batchSize = batchSizeOption(values['batch-size'], 500);
    const { deps } = await runtime();
    const report = await checkMspBackupsParity(deps, { batchSize });
    if (!report.legacyTable) {
      io.err('mspbackups_config has been dropped: there is nothing to compare.');
      return 0;
    }
    // Partner ids and field names only: values, even masked, never leave the process.
    for (const difference of report.differences) io.out(`partner ${difference.partnerId}: ${difference.fields.join(', ')}`);
    io.err(`${report.checked} partner(s) compared, ${report.differences.length} with differences`);
    return report.differences.length ? 1 : 0;
  },
};
