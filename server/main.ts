import { ConfigError } from './config.js';
import { EmbeddedPostgresError } from './db/embedded.js';
import { runServer } from './server.js';

function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG: the operator has something to fix
  }
  console.error(error);
  process.exit(1);
}

try {
  const { url, stop } = await runServer();
  console.log(`Integration Center API on ${url}  (docs: ${url}/api/docs)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop().then(() => process.exit(0), fail);
    });
  }
} catch (error) {
  fail(error);
}
