import { createHealthScheduler } from '../../services/health/scheduler.js';
import { createWebhookDeliverer } from '../../services/alerts/deliverer.js';
import { parseCliArgs } from '../args.js';
import type { Command } from '../command.js';

export const healthSweepCommand: Command = {
  name: 'health-sweep',
  usage: 'health-sweep [--all]',
  summary: 'check every configured integration that is due now (or --all of them) and print a summary',
  async run(args, runtime, io) {
    const values = parseCliArgs(args, { all: { type: 'boolean' } });
    const { deps } = await runtime();
    // Claims like a server instance would, so it can run beside running servers without doubling checks.
    const scheduler = createHealthScheduler(deps, { instanceId: `cli-${process.pid}` });
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const stopping = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
    try {
      const summary = await Promise.race([scheduler.sweep({ all: values.all === true }), stopping.then(() => undefined)]);
      if (!summary) {
        const report = await scheduler.stop({ graceMs: 5_000 });
        io.err(`Interrupted: ${report.finished} check(s) finished, ${report.released} handed back for the next sweep.`);
        return 1;
      }
      // Alerts raised by this sweep go out now rather than at a server's next delivery round.
      const deliverer = createWebhookDeliverer(deps);
      const delivered = await deliverer.drain();
      await deliverer.stop();
      io.out(JSON.stringify({ ...summary, webhookAttempts: delivered }));
      io.err(
        `Checked ${summary.checked} integration(s) in ${(summary.durationMs / 1000).toFixed(1)} s: ` +
          `${summary.ok} ok, ${summary.degraded} degraded, ${summary.error} error, ${summary.transitions} status change(s)` +
          (summary.stale + summary.gone + summary.lost ? `; ${summary.stale + summary.gone + summary.lost} not recorded (edited, deleted or taken over meanwhile)` : ''),
      );
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await scheduler.stop({ graceMs: 0 });
    }
  },
};
