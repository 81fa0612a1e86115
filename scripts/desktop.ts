import { launchDesktop, loadDesktopEnv } from './desktopLauncher.js';

/**
 * `npm run desktop [-- --browser]`: the desktop app alone against SERVER_URL. Without an
 * Electron binary (or with --browser) it serves the same UI at a printed 127.0.0.1 URL.
 */
async function main() {
  let env;
  try {
    env = loadDesktopEnv(process.env);
  } catch (error) {
    console.error(`Desktop configuration is not valid:\n${(error as Error).message}`);
    process.exit(78);
  }
  const desktop = await launchDesktop(env, process.argv.slice(2));
  if (desktop.url) {
    console.log(`\nIntegration Center (browser mode) against ${desktop.serverUrl ?? 'the server chosen in the app'}\n`);
    console.log(`  Open   ${desktop.url}`);
    console.log('  The link carries a per-launch token: only this URL opens the app.\n');
    console.log('Press Ctrl+C to stop.');
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      desktop.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
