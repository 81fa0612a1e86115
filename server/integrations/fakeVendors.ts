import { demoClientWorlds } from '../demo/demoClients.js';
import { seedDemoHuntress } from '../demo/demoHuntress.js';
import { seedDemoLevel } from '../demo/demoLevel.js';
import { seedDemoMicrosoft365 } from '../demo/demoMicrosoft365.js';
import { seedDemoNinjaOne } from '../demo/demoNinjaOne.js';
import { seedDemoTactical } from '../demo/demoTactical.js';
import { seedDemoTeams } from '../demo/demoTeams.js';
import { demoMsp360Plans, demoSyncroTickets } from '../demo/demoVendorRecords.js';
import { startFakeHuntress, type FakeHuntress } from './huntress/fakeServer.js';
import { startFakeLevel, type FakeLevel, type FakeLevelOptions } from './levelio/fakeServer.js';
import { startFakeMicrosoft365, type FakeMicrosoft365 } from './microsoft365/fakeServer.js';
import { startFakeMsp360, type FakeMsp360, type FakeMsp360Options } from './msp360/fakeServer.js';
import { startFakeNinjaOne, type FakeNinjaOne } from './ninjaone/fakeServer.js';
import { syncroPermissions } from './syncro/settings.js';
import { startFakeSyncro, type FakeSyncro, type FakeSyncroOptions } from './syncro/fakeServer.js';
import { startFakeTactical, type FakeTactical } from './tacticalrmm/fakeServer.js';
import { startFakeTeams, type FakeTeams } from './teams/fakeServer.js';

/** Every fake vendor on loopback, for `npm start`, tests and benchmarks. */
export interface FakeVendors {
  syncro: FakeSyncro;
  msp360: FakeMsp360;
  huntress: FakeHuntress;
  tacticalrmm: FakeTactical;
  levelio: FakeLevel;
  ninjaone: FakeNinjaOne;
  teams: FakeTeams;
  microsoft365: FakeMicrosoft365;
  /**
   * The server environment that points the plugins at the fakes. Tactical RMM's address is the
   * partner's own (a setting, not the operator's), and the fake's is on loopback: the demo allows
   * the private network so the SSRF guard lets it through (metadata addresses stay refused).
   * NinjaOne's instance hosts and Microsoft's hosts are fixed, so their fakes stand in only with
   * VENDOR_EMULATORS on (issue 16: never in production).
   */
  env: {
    SYNCRO_BASE_URL: string;
    MSP360_BASE_URL: string;
    HUNTRESS_BASE_URL: string;
    LEVEL_BASE_URL: string;
    INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true';
    VENDOR_EMULATORS: 'true';
    NINJAONE_BASE_URL: string;
    MICROSOFT_LOGIN_BASE_URL: string;
    TEAMS_SERVICE_URL: string;
    MICROSOFT365_EMULATOR_URL: string;
  };
  close(): Promise<void>;
}

export interface StartFakeVendorsOptions {
  syncro?: FakeSyncroOptions;
  msp360?: FakeMsp360Options;
  levelio?: FakeLevelOptions;
}

/**
 * Starts the fakes on 127.0.0.1 (free ports unless given), one after another; if one cannot
 * start, those already listening are closed. Start them before the server so its configuration
 * can take `env`. Nothing is registered yet: see `seedDemoVendors`.
 */
export async function startFakeVendors(options: StartFakeVendorsOptions = {}): Promise<FakeVendors> {
  const started: { close(): Promise<void> }[] = [];
  const start = async <T extends { close(): Promise<void> }>(fake: Promise<T>): Promise<T> => {
    const value = await fake;
    started.push(value);
    return value;
  };
  const closeAll = async () => {
    await Promise.all(started.map((f) => f.close()));
  };
  try {
    const syncro = await start(startFakeSyncro(options.syncro));
    const msp360 = await start(startFakeMsp360(options.msp360));
    const huntress = await start(startFakeHuntress());
    const tacticalrmm = await start(startFakeTactical());
    const levelio = await start(startFakeLevel(options.levelio));
    const ninjaone = await start(startFakeNinjaOne());
    const teams = await start(startFakeTeams());
    const microsoft365 = await start(startFakeMicrosoft365());
    return {
      syncro,
      msp360,
      huntress,
      tacticalrmm,
      levelio,
      ninjaone,
      teams,
      microsoft365,
      env: {
        SYNCRO_BASE_URL: syncro.baseUrl,
        MSP360_BASE_URL: msp360.baseUrl,
        HUNTRESS_BASE_URL: huntress.baseUrl,
        LEVEL_BASE_URL: levelio.baseUrl,
        INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true',
        VENDOR_EMULATORS: 'true',
        NINJAONE_BASE_URL: ninjaone.origin,
        MICROSOFT_LOGIN_BASE_URL: teams.origin,
        TEAMS_SERVICE_URL: teams.origin,
        MICROSOFT365_EMULATOR_URL: microsoft365.origin,
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Settings as a partner admin enters them, per integration key. */
export type DemoSettings = Record<string, string>;

/** The integrations the demo configures, by key. */
export type DemoIntegrationKey = 'syncro' | 'msp360' | 'huntress' | 'tacticalrmm' | 'levelio' | 'ninjaone' | 'teams' | 'microsoft365';

export interface DemoVendorPartner {
  /** The demo partner's slug in `server/cli/commands/seedDemo.ts` (`demoPartners`). */
  partner: 'northwind' | 'contoso';
  /** What to store for this partner, by integration key. */
  settings: Partial<Record<DemoIntegrationKey, DemoSettings>>;
  /** What the partner will see after the first health check. */
  expect: Partial<Record<DemoIntegrationKey, 'ok' | 'degraded' | 'error'>>;
}

export interface DemoVendorSeed {
  partners: DemoVendorPartner[];
  /** Issue 16: what the walk-through runs at NinjaOne and posts to in Teams. */
  ninjaone: ReturnType<typeof seedDemoNinjaOne>['device'];
  teamsChannel: ReturnType<typeof seedDemoTeams>['channel'];
  /** Issue 26: the customer tenants the walk-through maps (two to Dataforth) and the one without consent. */
  microsoft365Tenants: ReturnType<typeof seedDemoMicrosoft365>['tenants'];
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
 * - Issue 17, each new vendor in another state: Huntress Active for Northwind (1,200
 *   organizations) and Degraded for Contoso (its key may not read incident reports:
 *   server/demo/demoHuntress.ts); Tactical RMM Active for Northwind and in Error for
 *   Contoso (it saved the dashboard's address, not the API's: server/demo/demoTactical.ts); Level
 *   in Error for Northwind (a revoked key) and Active for Contoso (server/demo/demoLevel.ts).
 * - Issue 16: NinjaOne Active for Northwind (client credentials) and in Error "Not connected" for
 *   Contoso until an admin presses Connect (authorization code: server/demo/demoNinjaOne.ts);
 *   Microsoft Teams Active for Northwind and in Error for Contoso, whose bot secret is out of date
 *   (AADSTS7000215: server/demo/demoTeams.ts).
 * - Issue 26: Microsoft 365 Active for Northwind, 30 customer tenants to discover, Harbor Dental's
 *   without consent (server/demo/demoMicrosoft365.ts); Contoso has none.
 * Idempotent: registering again replaces the same accounts.
 */
export function seedDemoVendors(fakes: Pick<FakeVendors, 'syncro' | 'msp360' | 'huntress' | 'tacticalrmm' | 'levelio' | 'ninjaone' | 'teams' | 'microsoft365'>): DemoVendorSeed {
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
  const huntress = seedDemoHuntress(fakes.huntress);
  const tactical = seedDemoTactical(fakes.tacticalrmm);
  const level = seedDemoLevel(fakes.levelio);
  const ninjaone = seedDemoNinjaOne(fakes.ninjaone);
  const teams = seedDemoTeams(fakes.teams);
  const microsoft365 = seedDemoMicrosoft365(fakes.microsoft365);
  return {
    partners: [
      {
        partner: 'northwind',
        settings: {
          syncro: { subdomain: 'northwind', api_token: demo.northwindSyncroToken },
          msp360: { api_login: demo.northwindMspLogin, api_password: demo.northwindMspStalePassword },
          huntress: huntress.settings.northwind,
          tacticalrmm: tactical.settings.northwind,
          levelio: level.settings.northwind,
          ninjaone: ninjaone.settings.northwind,
          teams: teams.settings.northwind,
          microsoft365: microsoft365.settings.northwind,
        },
        expect: {
          syncro: 'ok',
          msp360: 'error',
          huntress: huntress.expect.northwind,
          tacticalrmm: tactical.expect.northwind,
          levelio: level.expect.northwind,
          ninjaone: ninjaone.expect.northwind,
          teams: teams.expect.northwind,
          microsoft365: microsoft365.expect.northwind,
        },
      },
      {
        partner: 'contoso',
        settings: {
          syncro: { subdomain: 'contoso', api_token: demo.contosoSyncroToken },
          msp360: { api_login: demo.contosoMspLogin, api_password: demo.contosoMspPassword },
          huntress: huntress.settings.contoso,
          tacticalrmm: tactical.settings.contoso,
          levelio: level.settings.contoso,
          ninjaone: ninjaone.settings.contoso,
          teams: teams.settings.contoso,
        },
        expect: {
          syncro: 'degraded',
          msp360: 'ok',
          huntress: huntress.expect.contoso,
          tacticalrmm: tactical.expect.contoso,
          levelio: level.expect.contoso,
          ninjaone: ninjaone.expect.contoso,
          teams: teams.expect.contoso,
        },
      },
    ],
    ninjaone: ninjaone.device,
    teamsChannel: teams.channel,
    microsoft365Tenants: microsoft365.tenants,
    fix: {
      partner: 'northwind',
      integration: 'msp360',
      field: 'api_password',
      value: demo.northwindMspPassword,
      hint: `Sign in as Northwind's admin, open MSP360 Managed Backup, enter the API password ${demo.northwindMspPassword} and save: the status turns Active.`,
    },
  };
}
