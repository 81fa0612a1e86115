import { startBridge } from './bridge.js';

// `npm run --silent mcp -- --server <url>` (issue 25, docs/mcp.md): the stdio bridge for MCP
// clients that launch a command. The token comes from IC_ACCESS_TOKEN. `--silent` keeps npm's own
// banner off stdout, which carries the protocol.
const usage = 'Usage: IC_ACCESS_TOKEN=icp_… npm run --silent mcp -- --server https://your-integration-center';

function serverArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--server') return argv[i + 1];
    if (arg.startsWith('--server=')) return arg.slice('--server='.length);
  }
  return process.env.IC_SERVER_URL;
}

const server = serverArg(process.argv.slice(2));
const token = process.env.IC_ACCESS_TOKEN?.trim();
if (!server || !token) {
  console.error(`${!server ? 'Missing --server.' : 'Missing IC_ACCESS_TOKEN (make one in Settings → AI assistants).'}\n${usage}`);
  process.exit(2);
}
try {
  const bridge = await startBridge({ server, token });
  await bridge.closed;
  // The client closed stdin: done, whatever keep-alive sockets remain.
  process.exit(0);
} catch (error) {
  console.error(`integration-center mcp bridge: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exitCode = 1;
}
