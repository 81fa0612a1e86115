import { rotateRing } from '../../secrets/partnerKeys.js';
import { parseCliArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';

export const rotateKeyCommand: Command = {
  name: 'rotate-key',
  usage: 'rotate-key [--batch-size 200]',
  summary: 'rewrap partner data keys and re-encrypt older-format secrets under the newest ENCRYPTION_KEYS key (resumable; Ctrl+C is safe)',
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { 'batch-size': { type: 'string' } });
    const batchSize = values['batch-size'] === undefined ? 200 : Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch-size must be a whole number from 1 to 10000');
    // Starting the runtime checks that the ring decrypts every stored secret before anything moves.
    const { deps } = await runtime();
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const report = await rotateRing(deps.db, deps.secrets, {
        batchSize,
        signal: controller.signal,
        onBatch: (done) => io.err(`re-encrypted ${done.secrets} secret(s) in ${done.configurations} configuration(s)`),
      });
      io.out(JSON.stringify(report));
      if (report.interrupted) io.err('Interrupted: nothing is lost; run rotate-key again to finish.');
      else if (report.remaining === 0) io.err(`Every secret is under key "${report.keyId}". Older keys can leave ENCRYPTION_KEYS once every instance runs with this ring.`);
      return report.remaining === 0 ? 0 : 1;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
