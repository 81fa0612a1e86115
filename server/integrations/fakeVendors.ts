import { demoClientWorlds } from '../demo/demoClients.js';
import { demoMsp360Plans, demoSyncroTickets } from '../demo/demoVendorRecords.js';
import { startFakeMsp360, type FakeMsp360, type FakeMsp360Options } from './msp360/fakeServer.js';
import { syncroPermissions } from './syncro/settings.js';
import { startFakeSyncro, type FakeSyncro, type FakeSyncroOptions } from './syncro/fakeServer.js';

/** Both fake vendors on loopback, for `npm start`, tests and benchmarks. */
export interface FakeVendors {
  syncro: FakeSyncro;
  msp360: FakeMsp360;
  /** The server environment that points the plugins at the fakes. */
  env: { SYNCRO_BASE_URL: string; MSP360_BASE_URL: string };
  close(): Promise<void>;
}

export interface StartFakeVendorsOptions {
  syncro?: FakeSyncroOptions;
  msp360?: FakeMsp360Options;
}

/**
 * Starts the Syncro and MSP360 fakes on 127.0.0.1 (free ports unless given). Start them before
 * the server so its configuration can take `env`. Nothing is registered yet: see `seedDemoVendors`.
 */
export async function startFakeVendors(options: StartFakeVendorsOptions = {}): Promise<FakeVendors> {
  const syncro = await startFakeSyncro(options.syncro);
  let msp360: FakeMsp360;
  try {
    msp360 = await startFakeMsp360(options.msp360);
  } catch (error) {
    await syncro.close();
    throw error;
  }
  return {
    syncro,
    msp360,
    env: { SYNCRO_BASE_URL: syncro.baseUrl, MSP360_BASE_URL: msp360.baseUrl },
    async close() {
      await Promise.all([syncro.close(), msp360.close()]);
    },
  };
}

/** Settings as a partner admin enters them, per integration key. */
export type DemoSettings = Record<string, string>;

export interface DemoVendorPartner {
  /** The demo partner's slug in `server/cli/commands/seedDemo.ts` (`demoPartners`). */
  partner: 'northwind' | 'contoso';
  /** What to store for this partner, by integration key. */
  settings: { syncro?: DemoSettings; msp360?: DemoSettings };
  /** What the partner will see after the first health check. */
  expect: { syncro?: 'ok' | 'degraded' | 'error'; msp360?: 'ok' | 'degraded' | 'error' };
}

export interface DemoVendorSeed {
  partners: DemoVendorPartner[];
  /** The change a newcomer makes in the UI to turn an Error into Active; for the start banner. */
  fix: { partner: 'northwind'; integration: 'msp360'; field: 'api_password'; value: string; hint: string };
}

/** Organizations the demo's large partner (Northwind) has at each fake vendor. */
export const demoLargeOrganizations = 1_500;

// Demo-only credentials, known only to the fakes: they mean nothing to the real vendors.
const demo = {
  northwindSyncroToken: 'demo-northwind-syncro-token',
  northwindMspLogin: 'northwind-api',
  northwindMspPassword: 'demo-northwind-backup',
  northwindMspStalePassword: 'demo-expired-password',
  contosoSyncroToken: 'demo-contoso-syncro-token',
  contosoMspLogin: 'contoso-api',
  contosoMspPassword: 'demo-contoso-backup',
};

/**
 * Registers the demo accounts at the fakes and returns the settings to store for the demo
 * partners, so that a newcomer sees:
 * - Northwind MSP: Syncro Active; MSP360 in Error ("MSP360 rejected the API login or password")
 *   because the stored password is an old one, which `fix` corrects from the UI;
 * - Contoso Managed IT: Syncro Active with a warning (its token lacks "Tickets - List/Search"),
 *   MSP360 Active.
 * Idempotent: registering again replaces the same accounts.
 */
export function seedDemoVendors(fakes: Pick<FakeVendors, 'syncro' | 'msp360'>): DemoVendorSeed {
  // Northwind is the large partner: 1,500 organizations at each vendor, for discovery at scale.
  // The first organizations carry the names of the demo clients (server/demo/demoClients.ts).
  const { northwind, contoso } = demoClientWorlds;
  // Tickets and plan runs (server/demo/demoVendorRecords.ts): Dataforth has an open ticket about
  // its failing backup at Syncro and that failure among its plan runs at MSP360. No client is
  // mapped here: the newcomer maps them in the walk-through.
  fakes.syncro.addTenant('northwind', { tokens: [{ token: demo.northwindSyncroToken }], customers: demoLargeOrganizations, tickets: 0, ticketSpecs: demoSyncroTickets('northwind'), customerNames: { ...northwind.syncro } });
  fakes.syncro.addTenant('contoso', { tokens: [{ token: demo.contosoSyncroToken, permissions: [syncroPermissions.customers] }], customers: 12, tickets: 0, ticketSpecs: demoSyncroTickets('contoso'), customerNames: { ...contoso.syncro } });
  fakes.msp360.addAccount({ login: demo.northwindMspLogin, password: demo.northwindMspPassword, companies: demoLargeOrganizations, users: 23, companyNames: { ...northwind.msp360 }, plans: demoMsp360Plans('northwind') });
  fakes.msp360.addAccount({ login: demo.contosoMspLogin, password: demo.contosoMspPassword, companies: 2, users: 9, companyNames: { ...contoso.msp360 }, plans: demoMsp360Plans('contoso') });
  return {
    partners: [
      {
        partner: 'northwind',
        settings: {
          syncro: { subdomain: 'northwind', api_token: demo.northwindSyncroToken },
          msp360: { api_login: demo.northwindMspLogin, api_password: demo.northwindMspStalePassword },
        },
        expect: { syncro: 'ok', msp360: 'error' },
      },
      {
        partner: 'contoso',
        settings: {
          syncro: { subdomain: 'contoso', api_token: demo.contosoSyncroToken },
          msp360: { api_login: demo.contosoMspLogin, api_password: demo.contosoMspPassword },
        },
        expect: { syncro: 'degraded', msp360: 'ok' },
      },
    ],
    fix: {
      partner: 'northwind',
      integration: 'msp360',
      field: 'api_password',
      value: demo.northwindMspPassword,
      hint: `Sign in as Northwind's admin, open MSP360 Managed Backup, enter the API password ${demo.northwindMspPassword} and save: the status turns Active.`,
    },
  };
}
