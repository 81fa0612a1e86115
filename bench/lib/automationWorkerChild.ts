import { loadConfig } from '../../server/config.js';
import { createActionPlugin, type LoopbackVendor } from '../../server/integrations/testing/actionPlugin.js';
import { createLogger } from '../../server/logger.js';
import { startRuntime } from '../../server/runtime.js';

/**
 * One server instance's job workers (the runtime as server/main.ts starts it, without HTTP: the
 * bench only needs it to work automation runs) for the kill bench (bench/automationsKill.ts).
 * The parent spawns it ahead of time, so loading the modules is done before it is needed, and
 * starts it with a message carrying the environment; then SIGKILLs it mid-work. Ends when the
 * parent goes (no orphan holding connections).
 */

// The loopback vendor lives in the parent, which counts what it receives; the plugin here only
// needs somewhere to note its own bookkeeping (the vendor's address is in the saved settings).
const remote: LoopbackVendor = {
  url: '',
  calls: new Map(),
  comments: [],
  acceptedTokens: 'any',
  delayMs: 0,
  failWith: null,
  availabilityThrows: false,
  scopes: [],
  callMs: [],
  count: () => 0,
  close: async () => undefined,
};

process.once('disconnect', () => process.exit(1));
process.once('message', (message: { env: Record<string, string> }) => {
  const { plugin } = createActionPlugin(remote);
  startRuntime(loadConfig(message.env), createLogger({ level: 'error' }), { plugins: [plugin] }).then(
    () => {
      // Bookkeeping the bench never reads must not grow for the life of the instance.
      setInterval(() => {
        remote.scopes.length = 0;
        remote.callMs.length = 0;
      }, 1_000).unref();
      process.send?.('working');
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.send?.('loaded');
