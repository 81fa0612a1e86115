import type { IntegrationDetail, IntegrationSummary } from '../../shared/integrations/catalog.js';
import { dataTopics, type DataTopic, type LocalSyncStatus } from '../../shared/localApi.js';
import type { AuditPage, DataSource, ReadScope } from '../app/data/DataSource.js';
import { AppError } from '../../shared/errors.js';
import type { AppState, FleetMatrix, Session } from '../app/data/types.js';
import { ACME_ID, previewAudit, previewDetails, previewDrafts, previewHistory, previewPartners, previewUsers } from './fixtures/world.js';

export interface PreviewOptions {
  as: keyof typeof previewUsers | null;
  online: boolean;
  reviewMode: boolean;
  withDrafts: boolean;
  latencyMs: number;
  firstRun: boolean;
  sessionEnded: boolean;
}

/** Every change needs the desktop core and a server, which the preview does not have. */
const noServer = () => new AppError('UNAVAILABLE', 'The preview has no server: nothing is saved. Run `npm start` for the real app.');

/**
 * The preview's DataSource: canned answers for every read (see fixtures/world.ts) and a refusal
 * for every change. It holds no rule of the product on purpose; the component tests run the real
 * desktop core and server instead (renderer/test/desktopWorld.ts).
 */
export function cannedSource(options: PreviewOptions): DataSource {
  const now = new Date();
  const user = options.as ? previewUsers[options.as] : null;
  const wait = () => new Promise((resolve) => setTimeout(resolve, options.latencyMs));
  const own = user?.partnerId ?? ACME_ID;
  const details = (scope?: ReadScope) => previewDetails(now, scope?.partnerId ?? own);
  const detail = (key: string, scope?: ReadScope): IntegrationDetail => {
    const found = details(scope).find((d) => d.key === key);
    if (!found) throw new AppError('NOT_FOUND', 'Unknown integration');
    return found;
  };
  const drafts = options.withDrafts && user?.role === 'partner_admin' && own === ACME_ID ? previewDrafts(now) : [];
  const appState: AppState = {
    serverUrl: options.firstRun ? null : 'https://integrations.acme.test',
    needsServerUrl: options.firstRun,
    serverUrlEditable: true,
    endedSession: options.sessionEnded ? { email: previewUsers.admin.email, displayName: previewUsers.admin.displayName } : null,
    tokenStorageNote: null,
    shell: 'preview',
    theme: 'system',
  };
  const sync: LocalSyncStatus = {
    connection: options.online ? 'online' : 'offline',
    authRequired: false,
    syncing: false,
    lastSyncedAt: new Date(now.getTime() - 3 * 60_000).toISOString(),
    lastError: null,
    nextRetryAt: null,
    pendingMutations: 0,
    serverVersion: 42,
    activity: { phase: 'idle' },
    pendingDrafts: drafts.length,
    conflictDrafts: drafts.filter((d) => d.state === 'conflict').length,
    reviewMode: options.reviewMode,
  };
  const session: Session | null = user ? { user, expiresAt: new Date(now.getTime() + 8 * 3_600_000).toISOString() } : null;
  const read = async <T>(value: () => T): Promise<T> => {
    await wait();
    return value();
  };
  const refuse = async (): Promise<never> => {
    await wait();
    throw noServer();
  };

  return {
    getAppState: () => read(() => appState),
    setServerUrl: refuse,
    // The preview keeps the choice for the page's life only (nothing to save it in).
    setTheme: (theme) => read(() => Object.assign(appState, { theme })),
    getSession: () => read(() => session),
    login: async () => {
      await wait();
      throw new AppError('UNAUTHORIZED', 'Email or password is incorrect.');
    },
    logout: refuse,
    listIntegrations: (scope) => read(() => details(scope).map(({ fields: _f, settings: _s, ...summary }): IntegrationSummary => summary)),
    getIntegration: (key, scope) => read(() => detail(key, scope)),
    getHealthHistory: (key, scope) =>
      read(() => {
        const d = detail(key, scope);
        if (d.state.status !== 'Active' && d.state.status !== 'Error') return { key, points: [], uptime: null, fetchedAt: null };
        return { key, ...previewHistory(now, d.state.status === 'Error'), fetchedAt: now.toISOString() };
      }),
    listAudit: (key, page, scope) =>
      read((): AuditPage => {
        const d = detail(key, scope);
        if (!d.settings) return { entries: [], nextCursor: null };
        const secret = d.fields.find((f) => f.kind === 'Secret')?.key ?? 'secret';
        const all = previewAudit(now, key, secret);
        const start = page.cursor ? Number(page.cursor) : 0;
        const entries = all.slice(start, start + page.limit);
        return { entries, nextCursor: start + page.limit < all.length ? String(start + page.limit) : null };
      }),
    saveConfiguration: refuse,
    deleteIntegration: refuse,
    testConnection: refuse,
    // Versions are kept on the server; the preview has none.
    listVersions: refuse,
    listAutomations: refuse,
    getAutomation: refuse,
    listAutomationRuns: refuse,
    getAutomationRun: refuse,
    listRecipes: refuse,
    listAllActions: refuse,
    createAutomation: refuse,
    updateAutomation: refuse,
    setAutomationEnabled: refuse,
    listAutomationDrafts: () => read(() => []),
    discardAutomationDraft: refuse,
    resolveAutomationDraft: refuse,
    deleteAutomation: refuse,
    addRecipe: refuse,
    runAutomation: refuse,
    rerunAutomation: refuse,
    rollback: refuse,
    credentialAge: refuse,
    setCredentialPolicy: refuse,
    // Maintenance windows are kept on the server; the preview has none.
    listMaintenance: () => read(() => ({ items: [] })),
    scheduleMaintenance: refuse,
    endMaintenance: refuse,
    // AI assistant tokens live on the server; the preview has none.
    listAccessTokens: () => read(() => ({ items: [] })),
    createAccessToken: refuse,
    revokeAccessToken: refuse,
    // Inbound webhooks live on the server; the preview has none.
    getInboundEndpoint: refuse,
    rotateInboundSecret: refuse,
    listInboundDeliveries: refuse,
    replayInboundDelivery: refuse,
    listDrafts: () => read(() => drafts),
    updateDraft: refuse,
    discardDraft: refuse,
    applyDrafts: refuse,
    resolveConflict: refuse,
    getSyncStatus: () => read(() => sync),
    setReviewMode: refuse,
    syncNow: refuse,
    // The alert webhook and the check list are server calls; the preview has no server.
    getAlertWebhook: refuse,
    saveAlertWebhook: refuse,
    rotateAlertSecret: refuse,
    sendTestAlert: refuse,
    listAlertDeliveries: refuse,
    listHealthChecks: refuse,
    // The preview shows no clients or mappings: those screens need the real core.
    listClients: () => read(() => ({ clients: [], mappings: [], fetchedAt: null })),
    createClient: refuse,
    renameClient: refuse,
    archiveClient: refuse,
    getMappings: (key) => read(() => ({ key, snapshot: null, organizations: [], mappings: [], suggestions: [], clients: [], run: null, fetchedAt: null, drafts: [] })),
    applyMappings: refuse,
    startDiscovery: refuse,
    getDiscoveryRun: () => read(() => ({ run: null })),
    listMappingDrafts: () => read(() => []),
    // The interaction log lives on the server; the preview has none.
    listInteractions: refuse,
    getInteraction: refuse,
    discardMappingDraft: refuse,
    resolveMappingDraft: refuse,
    // Actions, tickets and ticket links are server reads and vendor calls: none in the preview.
    listActions: () => read(() => ({ items: [], fetchedAt: null })),
    findTickets: refuse,
    runReadAction: refuse,
    listIntents: () => read(() => []),
    composeUpdate: refuse,
    postUpdate: refuse,
    applyIntent: refuse,
    discardIntent: refuse,
    retryIntent: refuse,
    listTicketLinks: () => read(() => ({ items: [], fetchedAt: null })),
    listIntegrationActions: () => read(() => ({ items: [], fetchedAt: null })),
    listActionRequests: () => read(() => []),
    composeActionRequest: refuse,
    runActionRequest: refuse,
    discardActionRequest: refuse,
    retryActionRequest: refuse,
    refreshTicketLinks: refuse,
    createTicketLink: refuse,
    removeTicketLink: refuse,
    // OAuth2 connections live on the server; the preview has no sign-in to run.
    getConnection: refuse,
    connect: refuse,
    getSignIn: () => read(() => null),
    cancelSignIn: () => read(() => null),
    disconnect: refuse,
    grantConsent: refuse,
    getConsent: () => read(() => null),
    cancelConsent: () => read(() => null),
    getClientTenants: refuse,
    listPartners: () => read(() => previewPartners),
    getFleetMatrix: () =>
      read((): FleetMatrix => {
        const integrations = details().map((d) => ({ key: d.key, name: d.name }));
        const cells = previewPartners.flatMap((p) =>
          previewDetails(now, p.id).map((d) => ({ partnerId: p.id, integrationKey: d.key, status: d.state.status, health: d.state.health, errorMessage: d.state.errorMessage, uptimePercent: d.state.status === 'Active' ? 99.5 : d.state.status === 'Error' ? 87.5 : null })),
        );
        return { partners: previewPartners, integrations, cells, asOf: now.toISOString(), complete: true };
      }),
    subscribe: (listener: (topic: DataTopic) => void) => {
      // Nothing ever changes in canned data; the first event asks for everything, as the core's does.
      for (const topic of dataTopics) listener(topic);
      return () => undefined;
    },
  };
}
