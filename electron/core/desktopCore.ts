import { mkdir } from 'node:fs/promises';
import { AppError } from '../../shared/errors.js';
import type { LocalServices } from './api/contract.js';
import { createLocalServices } from './api/localServices.js';
import { CoreEvents, watchCore } from './services/events.js';
import { createMonitoring } from './services/monitoring.js';
import { createInteractions } from './services/interactions.js';
import { httpInteractionsServer } from './services/interactionCalls.js';
import { createMappings } from './services/mappings.js';
import { httpMappingServer } from './services/mappingCalls.js';
import { httpMonitoringServer } from './services/serverCalls.js';
import { createAlerts } from './services/alerts.js';
import { createActions } from './services/actions.js';
import { httpActionServer } from './services/actionCalls.js';
import { httpOAuthServer } from './services/oauthCalls.js';
import { createOAuthConnect } from './services/oauthConnect.js';
import { createAdminConsent } from './services/adminConsent.js';
import { createClientTenants } from './services/clientTenants.js';
import { createVersions } from './services/versions.js';
import { createAutomations } from './services/automations.js';
import { httpAutomationsServer } from './services/automationCalls.js';
import { httpVersionsServer } from './services/versionCalls.js';
import { createMaintenance } from './services/maintenance.js';
import { httpMaintenanceServer } from './services/maintenanceCalls.js';
import { createAccessTokens } from './services/accessTokens.js';
import { httpAccessTokensServer } from './services/accessTokenCalls.js';
import { createInbound } from './services/inbound.js';
import { httpInboundServer } from './services/inboundCalls.js';
import { chooseServerUrl, createSettingsService, readDesktopSettings } from './settings/desktopSettings.js';
import type { SecretBox } from './secrets/secretBox.js';
import { httpServerClient } from './session/serverClient.js';
import { httpServerExtras } from './session/serverExtras.js';
import { DesktopSession, type SessionOptions } from './session/session.js';
import type { TokenStore } from './session/tokenStore.js';
import { trpcSyncTransport } from './sync/trpcTransport.js';

export interface DesktopCoreOptions {
  /** SERVER_URL for this run: overrides the saved setting, which then cannot be changed. */
  serverUrl?: string | null;
  /** Used when neither SERVER_URL nor a saved setting gives one; null: the first run asks. */
  defaultServerUrl?: string | null;
  dataDir: string;
  tokenStore: TokenStore;
  secretBox: SecretBox;
  engineOptions?: SessionOptions['engineOptions'];
  /** Fleet paging (tests use small pages); see MonitoringOptions. */
  fleetPaging?: { pageSize?: number; maxPages?: number };
  onChange?: () => void;
  /** The fetch every server call uses (default: the global one); tests lose answers with it. */
  fetch?: typeof fetch;
}

export interface DesktopCore {
  session: DesktopSession;
  services: LocalServices;
  /** What changed, for the UI (also reachable as the `events.subscribe` procedure). */
  events: CoreEvents;
  close(): Promise<void>;
}

/**
 * The desktop core, the same in Electron's main process and in browser mode: session, cache,
 * sync engine and the local API services. Only the token store and the secret box differ.
 */
export async function createDesktopCore(options: DesktopCoreOptions): Promise<DesktopCore> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const stored = await readDesktopSettings(options.dataDir);
  const serverUrl = chooseServerUrl({ envUrl: options.serverUrl, storedUrl: stored.serverUrl, defaultUrl: options.defaultServerUrl });
  // Read at call time: the server can change in settings while signed out.
  const http = {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    get serverUrl(): string {
      // Unreachable in practice: login and sync need a chosen server before any request.
      if (!session.serverUrl) throw new AppError('BAD_REQUEST', 'Choose the server first');
      return session.serverUrl;
    },
  };
  const events = new CoreEvents();
  // Compares what the UI would read before and after every change the session or engine reports.
  const watcher = watchCore(events, () => {
    const status = session.status();
    let sync = null;
    try {
      sync = session.requireCache().engine.status();
    } catch {
      // signed out: no cache, no sync
    }
    return { session: status, sync };
  });
  const session: DesktopSession = new DesktopSession({
    dataDir: options.dataDir,
    serverUrl,
    tokenStore: options.tokenStore,
    secretBox: options.secretBox,
    server: httpServerClient(http),
    // The change stream backs off like the engine, so both come back together after an outage.
    createTransport: (t) => trpcSyncTransport({ ...http, ...t, streamBackoff: options.engineOptions?.backoff }),
    engineOptions: options.engineOptions,
    onChange: () => {
      watcher.check();
      options.onChange?.();
    },
  });
  await session.restore();
  watcher.check();
  const settings = createSettingsService({ session, envServerUrl: options.serverUrl });
  const access = () => session.serverAccess();
  const extras = httpServerExtras(http, access);
  const monitoringServer = httpMonitoringServer(http, access);
  const alerts = createAlerts({ session, server: monitoringServer });
  const monitoring = createMonitoring({
    session,
    server: monitoringServer,
    events,
    secretBox: options.secretBox,
    fleetPageSize: options.fleetPaging?.pageSize,
    maxFleetPages: options.fleetPaging?.maxPages,
  });
  const mappings = createMappings({ session, server: httpMappingServer(http, access), events });
  const interactions = createInteractions({ session, server: httpInteractionsServer(http, access) });
  const actions = createActions({ session, server: httpActionServer(http, access), events });
  const oauthServer = httpOAuthServer(http, access);
  const oauth = createOAuthConnect({ session, server: oauthServer, events });
  const consent = createAdminConsent({ session, server: oauthServer, events });
  const clientTenants = createClientTenants({ session, server: httpActionServer(http, access) });
  const versions = createVersions({ session, server: httpVersionsServer(http, access), events, box: options.secretBox });
  const maintenance = createMaintenance({ session, server: httpMaintenanceServer(http, access), events });
  const inbound = createInbound({ session, server: httpInboundServer(http, access) });
  const accessTokens = createAccessTokens({ session, server: httpAccessTokensServer(http, access) });
  const automations = createAutomations({ session, server: httpAutomationsServer(http, access), events });
  return {
    session,
    events,
    services: createLocalServices(session, options.secretBox, extras, settings, { monitoring, alerts, mappings, interactions, actions, oauth, consent, clientTenants, versions, maintenance, inbound, accessTokens, automations, events }),
    close: async () => {
      watcher.stop();
      await oauth.close();
      await consent.close();
      await session.close();
    },
  };
}
