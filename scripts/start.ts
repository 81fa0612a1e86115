import { seedDemo } from '../server/cli/commands/seedDemo.js';
import { ConfigError } from '../server/config.js';
import { EmbeddedPostgresError } from '../server/db/embedded.js';
import { demoBackupTicketId, seedDemoAutomations } from '../server/demo/seedDemoAutomations.js';
import { seedDemoClients } from '../server/demo/seedDemoClients.js';
import { seedDemoIntegrations } from '../server/demo/seedDemoIntegrations.js';
import { raiseCredentialAlerts } from '../server/services/alerts/credentialAlerts.js';
import { seedDemoVendors, startFakeVendors } from '../server/integrations/fakeVendors.js';
import { runServer } from '../server/server.js';
import { formatBanner, openDesktopUrl } from './banner.js';
import { launchDesktop, loadDesktopEnv } from './desktopLauncher.js';

/**
 * `npm start`: the whole demo on its embedded defaults — PostgreSQL in DATA_DIR, migrations,
 * the demo partners and users, fake Syncro and MSP360 servers on loopback with the demo
 * partners' integrations configured against them, the API server and the desktop app — then
 * prints where to go and how to log in.
 */
async function main() {
  // The demo's vendor calls go to loopback fakes, never to the real Syncro or MSP360.
  const fakes = await startFakeVendors();
  const vendorSeed = seedDemoVendors(fakes);
  // The demo's failures are intentional; only errors are worth printing over the banner.
  // PUBLIC_BASE_URL is the API's own address, so the fake Syncro can fetch attached reports.
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'error', ...process.env, ...fakes.env };
  env.PUBLIC_BASE_URL ??= demoPublicBaseUrl(env);
  const server = await runServer(env);
  const seed = await seedDemo(server.runtime.deps.db);
  const integrations = await seedDemoIntegrations(server.runtime.deps, seed, vendorSeed);
  // Contoso's 80-day-old Huntress key raises its "rotate soon" alert now, not at the next hourly scan.
  await raiseCredentialAlerts(server.runtime.deps);
  // Each demo MSP's 25 clients, named so the mapping screen has matches to suggest.
  await seedDemoClients(server.runtime.deps.db, seed);
  // Northwind's backup-failure automation, enabled, with a failed and a successful run (real runs against the fakes).
  await seedDemoAutomations(server.runtime.deps, seed, { syncroTicketId: demoBackupTicketId(fakes), teamsChannel: vendorSeed.teamsChannel });
  // The desktop app against this server: Electron when its binary exists, else browser mode.
  const desktop = await launchDesktop(loadDesktopEnv({ ...process.env, SERVER_URL: server.url }), process.argv.slice(2));
  // Browser mode: open the app where a browser exists, else the banner says where to go.
  const opening = desktop.url ? openDesktopUrl(desktop.url) : 'not-asked';
  console.log(
    formatBanner({
      serverUrl: server.url,
      desktopUrl: desktop.url,
      opening,
      database: server.runtime.embedded ? `embedded PostgreSQL, files in ${server.runtime.embeddedPgData ?? server.runtime.deps.config.dataDir}` : 'DATABASE_URL',
      logins: seed.users,
      partners: seed.partners,
      integrations,
      hint: vendorSeed.fix.hint,
    }),
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      Promise.all([desktop.stop(), server.stop(), fakes.close()]).then(
        () => process.exit(0),
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

/** The server's own address when it listens on a fixed loopback port (the default 127.0.0.1:8787). */
function demoPublicBaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.HOST ?? '127.0.0.1';
  const port = env.PORT ?? '8787';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host) || !/^[1-9][0-9]*$/.test(port)) return undefined;
  return `http://${host === '::1' ? '[::1]' : host}:${port}`;
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
