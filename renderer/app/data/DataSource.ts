import type { AccessTokenCreated, AccessTokenView, CreateAccessTokenInput } from '../../../shared/accessTokens.js';
import type { LoginInput } from '../../../shared/auth.js';
import type { Theme } from '../../../shared/desktopSettings.js';
import type { AuditEntry, IntegrationDetail, IntegrationSummary } from '../../../shared/integrations/catalog.js';
import type { SettingsInput, SettingsSchemaMode } from '../../../shared/integrations/fields.js';
import type { HealthRange, WebhookTestOutput, WebhookView } from '../../../shared/integrations/health.js';
import type { WebhookDeliveryPage, WebhookSaved } from '../../../shared/integrations/alertWebhook.js';
import type { CheckResult, HealthCheckPage } from '../../../shared/integrations/healthChecks.js';
import type { RollbackInput, VersionsOutput } from '../../../shared/integrations/versions.js';
import type { CredentialAgeOutput, CredentialPolicy } from '../../../shared/integrations/credentialAge.js';
import type { CreateMaintenanceInput, EndMaintenanceOutput, MaintenanceList, MaintenanceWindow } from '../../../shared/integrations/maintenance.js';
import type { InboundDeliveriesInput, InboundDeliveryPage, InboundEndpointCreated, InboundEndpointView, InboundReplayOutput } from '../../../shared/integrations/inboundWebhooks.js';
import type {
  AlertWebhookForm,
  ConflictChoice,
  DataTopic,
  Draft,
  HealthHistoryView,
  LocalSyncStatus,
  PartnerRef,
  SaveOutcome,
  TestConnectionResult,
  ApplyMappingsLocalInput,
  ApplyMappingsLocalOutput,
  ClientsView,
  DiscoveryRunView,
  MappingDraft,
  MappingsView,
} from '../../../shared/localApi.js';
import type { Client } from '../../../shared/clients.js';
import type { InteractionDetail, InteractionFilter, InteractionPage } from '../../../shared/interactions.js';
import type { ActionRunResult, TicketLink } from '../../../shared/actions.js';
import type { Automation } from '../../../shared/automations.js';
import type { AutomationDraft, AutomationRunsLocalInput, AutomationRunsView, AutomationRunView, AutomationsView, AutomationView, LocalAutomation, RecipesView, CreateAutomationLocalInput, SetEnabledLocalInput, UpdateAutomationLocalInput } from '../../../shared/localAutomations.js';
import type { ActionRequest, ComposeRequestInput, RequestListInput } from '../../../shared/localActionRequests.js';
import type { ActionIntent, ActionsView, ComposeUpdateInput, CreateLinkLocalInput, PostOutcome, TicketLinksView, TicketSearchInput, TicketSearchView } from '../../../shared/localActions.js';
import type { ConnectionLocalView, SignInView } from '../../../shared/localOAuth.js';
import type { ClientTenantsView, ConsentTarget, ConsentView } from '../../../shared/localMicrosoft365.js';
import type { AppState, ApplySummary, AuditPageRequest, FleetMatrix, Session } from './types.js';

/** What to test: the saved settings (no `settings`) or unsaved values. */
export interface TestRequest {
  settings?: SettingsInput;
  afterSave?: boolean;
}

/**
 * Which partner a read is for. Omitted: the signed-in user's own partner. Only the dev partner
 * may pass another partner's id, and those reads are read-only by contract.
 */
export interface ReadScope {
  partnerId?: number;
}

export interface SaveConfigurationInput {
  key: string;
  /** Form values; a Secret left blank or sent as SECRET_MASK keeps the stored one. */
  settings: SettingsInput;
  mode: SettingsSchemaMode;
  /** The version the form was opened at (null when creating); a stale one is a conflict. */
  baseVersion: number | null;
}


export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/**
 * Everything the screens read and do, and nothing else. Components reach it only through the
 * hooks in `hooks/`, so phase B implements this over the desktop core's local API (tRPC over
 * IPC, or loopback in browser mode) without touching a component. Every method rejects with a
 * `AppError`. Reads are served from the local cache, so they work offline.
 */
export interface DataSource {
  // App and session
  /** Which server, whether the first run still has to choose one, and whether a session just ended. */
  getAppState(): Promise<AppState>;
  /** First run or settings (signed out only): rejects with VALIDATION_FAILED or CONFLICT. */
  setServerUrl(serverUrl: string): Promise<AppState>;
  /** Saves the theme on this computer (any user, signed in or out). */
  setTheme(theme: Theme): Promise<AppState>;
  /** The signed-in user; null when signed out or when the session ended (see AppState). */
  getSession(): Promise<Session | null>;
  /** Rejects with UNAUTHORIZED (wrong credentials), RATE_LIMITED (with retryAfterSeconds) or UNAVAILABLE. */
  login(input: LoginInput): Promise<Session>;
  /**
   * Signs out and deletes this computer's copy of the user's data. Without `force` it rejects
   * with CONFLICT (`details.pendingDrafts`) while unsent changes exist, so the UI can ask first.
   */
  logout(force?: boolean): Promise<void>;

  // Catalog and detail (cache-backed)
  listIntegrations(scope?: ReadScope): Promise<IntegrationSummary[]>;
  getIntegration(key: string, scope?: ReadScope): Promise<IntegrationDetail>;
  /** The uptime and checks over `range` (default the last 24 hours). */
  getHealthHistory(key: string, scope?: ReadScope, range?: HealthRange): Promise<HealthHistoryView>;
  listAudit(key: string, page: AuditPageRequest, scope?: ReadScope): Promise<AuditPage>;

  // Mutations (admin of the own partner only)
  /** Applies now when online and review mode is off; otherwise records (or updates) a draft. */
  saveConfiguration(input: SaveConfigurationInput): Promise<SaveOutcome>;
  /** Like a save: applied (the detail is then Not Configured) or kept as a draft. */
  deleteIntegration(key: string): Promise<SaveOutcome>;
  /**
   * Runs the health check now: on the saved configuration (no settings) or on unsaved values.
   * Needs the server. `afterSave`: the check the app runs by itself after a save (recorded as an
   * automatic check).
   */
  testConnection(key: string, request: TestRequest): Promise<TestConnectionResult>;

  // Configuration versions (issue 18), own partner.
  /** The configuration's versions, newest first, each with its field diff and marks; offline the copy last read (`savedAt`). */
  listVersions(key: string): Promise<VersionsOutput>;
  /**
   * Restores an old version as a new one (partner admins): `applied` online; offline `drafted`,
   * a rollback draft queued (or kept for review in review mode). Rejects with VALIDATION_FAILED
   * (`fields`) when it no longer validates, CONFLICT when `baseVersion` is stale, NOT_FOUND.
   */
  rollback(input: RollbackInput): Promise<SaveOutcome>;
  /** How old each stored credential is against its limit (issue 18 §2; online only). */
  credentialAge(key: string): Promise<CredentialAgeOutput>;
  /** Sets the partner-wide credential limit in days (partner admins; VALIDATION_FAILED with `fields.maxAgeDays`). */
  setCredentialPolicy(maxAgeDays: number): Promise<CredentialPolicy>;

  // Maintenance windows (issue 18 §4): server calls for the own partner, online only.
  /** Current and upcoming windows (with `key`: those covering that integration). */
  listMaintenance(key?: string): Promise<MaintenanceList>;
  /** Schedules a window (partner admins); VALIDATION_FAILED with `fields` for bad dates or an overlap. */
  scheduleMaintenance(input: CreateMaintenanceInput): Promise<MaintenanceWindow>;
  /** Ends a running window now (its held state is released) or cancels an upcoming one. */
  endMaintenance(id: number): Promise<EndMaintenanceOutput>;

  // Inbound webhooks (issue 18 §5): server calls for the own partner, online only.
  /** The integration's inbound URL, or `{endpoint: null}` before one is made. */
  getInboundEndpoint(key: string): Promise<InboundEndpointView>;
  /** Makes the URL, or gives it a new secret (partner admins); the answer's `secret` is the only time it is shown. */
  rotateInboundSecret(key: string): Promise<InboundEndpointCreated>;
  listInboundDeliveries(input: InboundDeliveriesInput): Promise<InboundDeliveryPage>;
  /** Sends a dead delivery through processing again (partner admins); CONFLICT unless it is dead. */
  replayInboundDelivery(key: string, id: number): Promise<InboundReplayOutput>;

  // AI assistant tokens (issue 25, Settings → AI assistants): the user's own, online only.
  listAccessTokens(): Promise<{ items: AccessTokenView[] }>;
  /** The answer's `token` is the only time it is shown: keep it out of every cache. */
  createAccessToken(input: CreateAccessTokenInput): Promise<AccessTokenCreated>;
  revokeAccessToken(id: number): Promise<AccessTokenView>;

  // Drafts, outbox and conflicts
  listDrafts(): Promise<Draft[]>;
  /** Replaces a draft's settings (blank secret keeps the draft's or the stored one); a rejected draft becomes a draft again. */
  updateDraft(id: number, settings: SettingsInput): Promise<Draft>;
  discardDraft(id: number): Promise<void>;
  /** Queues the drafts for push, and pushes now when online; progress shows in SyncStatus.activity. */
  applyDrafts(ids: number[] | 'all'): Promise<ApplySummary>;
  /**
   * Rebases a conflicting draft on the server's version with the chosen value per field (`mine`
   * or `theirs`). Resolves to null when every choice was `theirs`: the draft is dropped.
   */
  resolveConflict(id: number, choices: Record<string, ConflictChoice>): Promise<Draft | null>;

  // Sync
  getSyncStatus(): Promise<LocalSyncStatus>;
  setReviewMode(on: boolean): Promise<void>;
  syncNow(): Promise<void>;

  // Alerts (partner admins of their own partner) and the check list: server calls, online only.
  /** The partner's webhook; the secret only as {isSet, last4}. */
  getAlertWebhook(): Promise<WebhookView>;
  /** Creates or edits it; on create `revealedSecret` carries the generated secret, this once. */
  saveAlertWebhook(input: AlertWebhookForm): Promise<WebhookSaved>;
  /** A new generated secret, answered this once in `revealedSecret`. */
  rotateAlertSecret(): Promise<WebhookSaved>;
  sendTestAlert(): Promise<WebhookTestOutput>;
  listAlertDeliveries(): Promise<WebhookDeliveryPage>;
  /** Recent checks of one integration, newest first, optionally of one result. */
  listHealthChecks(key: string, result?: CheckResult): Promise<HealthCheckPage>;
  // Clients and mappings (cache-backed reads; changes need the server and a partner admin)
  /** The partner's clients (archived too) and every mapping of each mappable integration; `scope`: the dev partner viewing another. */
  listClients(scope?: ReadScope): Promise<ClientsView>;
  createClient(name: string): Promise<Client>;
  renameClient(input: { id: number; name: string; baseVersion?: number }): Promise<Client>;
  archiveClient(id: number): Promise<Client>;
  /** One integration's organizations, mappings, suggestions and newest discovery run. */
  getMappings(key: string, scope?: ReadScope): Promise<MappingsView>;
  applyMappings(input: ApplyMappingsLocalInput): Promise<ApplyMappingsLocalOutput>;
  startDiscovery(key: string): Promise<DiscoveryRunView>;
  getDiscoveryRun(key: string, scope?: ReadScope): Promise<DiscoveryRunView>;
  /** Mapping edits made offline, waiting to be sent, in conflict or refused (Pending changes). */
  listMappingDrafts(): Promise<MappingDraft[]>;
  discardMappingDraft(id: number): Promise<void>;
  /** A conflict: send mine over the server's mapping, or keep theirs (the edit goes). */
  resolveMappingDraft(id: number, keep: 'mine' | 'theirs'): Promise<void>;

  // The interaction log (the Activity tab): server reads, online only; `scope`: the dev partner viewing another
  /** One integration's vendor calls, newest first; `filter.cursor` is the previous page's `nextCursor`. */
  listInteractions(key: string, filter: InteractionFilter, scope?: ReadScope): Promise<InteractionPage>;
  /** One call with its redacted request and response bodies. */
  getInteraction(id: number, scope?: ReadScope): Promise<InteractionDetail>;
  // Integration actions and ticket links (issue 15): reads through the server, cached for
  // offline; a ticket update is kept by the core with its idempotency key until it is posted.
  /** The actions and why each is unavailable, as seen for this client. */
  listActions(clientId: number, scope?: ReadScope): Promise<ActionsView>;
  /** The client's Syncro tickets (its mapped customers); offline, the last answer to the same search. */
  findTickets(input: TicketSearchInput, scope?: ReadScope): Promise<TicketSearchView>;
  /** A read action (needs the server), e.g. msp360.reports.backup_summary. */
  runReadAction(actionId: string, input: Record<string, unknown>): Promise<ActionRunResult>;
  /** Ticket updates still open (Pending changes), or the latest of one client. */
  listIntents(filter?: { clientId?: number }): Promise<ActionIntent[]>;
  /** Stores the composed update (its key is made now) as a draft, or rewrites the draft `input.id`. */
  composeUpdate(input: ComposeUpdateInput): Promise<ActionIntent>;
  /** Posts now when online (answering after the attempt), queues offline, waits for Apply in review mode. */
  postUpdate(id: number): Promise<PostOutcome>;
  applyIntent(id: number): Promise<ActionIntent>;
  discardIntent(id: number): Promise<void>;
  retryIntent(id: number): Promise<ActionIntent>;
  listTicketLinks(clientId: number, scope?: ReadScope): Promise<TicketLinksView>;
  // The Actions tab (issue 17): any integration's actions, generically. Reads run at once
  // (runReadAction); a side-effectful one is a request the core keeps with its key until sent.
  /** One integration's actions and why each is unavailable (for `clientId`: as seen for that client). */
  listIntegrationActions(key: string, clientId?: number, scope?: ReadScope): Promise<ActionsView>;
  /** No filter: requests still open (Pending changes); with a key: that integration's latest. */
  listActionRequests(filter?: RequestListInput): Promise<ActionRequest[]>;
  /** Review: stores exactly what will be sent, its idempotency key made now. */
  composeActionRequest(input: ComposeRequestInput): Promise<ActionRequest>;
  /** Run: sends now when online (answering after the attempt), keeps it queued offline. */
  runActionRequest(id: number): Promise<ActionRequest>;
  discardActionRequest(id: number): Promise<void>;
  retryActionRequest(id: number): Promise<ActionRequest>;
  /** Re-reads number, subject and status from the vendor (needs the server). */
  refreshTicketLinks(clientId: number): Promise<TicketLinksView>;
  createTicketLink(input: CreateLinkLocalInput): Promise<TicketLink>;
  removeTicketLink(clientId: number, id: number): Promise<void>;

  // OAuth2 connections (issue 16): the own partner's only; Connect and Disconnect for partner admins, online.
  /** The server's view of the connection (grant, state, scopes), or the last one read when offline. */
  getConnection(key: string): Promise<ConnectionLocalView>;
  /** Starts a sign-in in the core; the answer's `authorizeUrl` is the page to open in the browser. */
  connect(key: string): Promise<SignInView>;
  /** The latest sign-in of this integration since the app started, or null. */
  getSignIn(key: string): Promise<SignInView | null>;
  cancelSignIn(key: string): Promise<SignInView | null>;
  disconnect(key: string): Promise<ConnectionLocalView>;
  /** Issue 26: starts an administrator's consent in one mapped organization; the answer's `consentUrl` is the page to open. */
  grantConsent(target: ConsentTarget): Promise<ConsentView>;
  /** The latest consent of this organization since the app started, or null. */
  getConsent(target: ConsentTarget): Promise<ConsentView | null>;
  cancelConsent(target: ConsentTarget): Promise<ConsentView | null>;
  /** A client's Microsoft 365 tenants: consent, licenses and Secure Score (the last reading when offline). */
  getClientTenants(clientId: number): Promise<ClientTenantsView>;

  // Automations (issue 23): reads kept by the core for offline (`fromCache`, `fetchedAt`); edits,
  // new automations and the switch kept offline (answered with `pending`) and sent on reconnect;
  // runs, recipes and deletes online only; partner admins of the own partner.
  listAutomations(scope?: ReadScope): Promise<AutomationsView>;
  getAutomation(id: number, scope?: ReadScope): Promise<AutomationView>;
  listAutomationRuns(input: AutomationRunsLocalInput, scope?: ReadScope): Promise<AutomationRunsView>;
  getAutomationRun(runId: number, scope?: ReadScope): Promise<AutomationRunView>;
  listRecipes(): Promise<RecipesView>;
  /** Every integration's actions with their availability (the editor's action picker). */
  listAllActions(scope?: ReadScope): Promise<ActionsView>;
  /** VALIDATION_FAILED with `fields` keyed `steps.<i>.input.<field>` (and `name`, `trigger.cron`…) when a step does not type-check; nothing saved. */
  createAutomation(input: CreateAutomationLocalInput): Promise<LocalAutomation>;
  updateAutomation(input: UpdateAutomationLocalInput): Promise<LocalAutomation>;
  setAutomationEnabled(input: SetEnabledLocalInput): Promise<LocalAutomation>;
  /** Automation edits kept offline: waiting, in conflict or refused (Pending changes). */
  listAutomationDrafts(): Promise<AutomationDraft[]>;
  discardAutomationDraft(id: number): Promise<void>;
  /** Mine: re-based on the server's version and sent; theirs: dropped. */
  resolveAutomationDraft(id: number, keep: 'mine' | 'theirs'): Promise<void>;
  deleteAutomation(id: number): Promise<void>;
  addRecipe(recipeId: string): Promise<Automation>;
  runAutomation(id: number, input: Record<string, unknown>): Promise<{ runId: number }>;
  rerunAutomation(runId: number): Promise<{ runId: number }>;

  // Dev partner only (read-only)
  listPartners(): Promise<PartnerRef[]>;
  getFleetMatrix(): Promise<FleetMatrix>;

  /** Tells the UI what changed (pull applied, draft written, connection lost…). Returns unsubscribe. */
  subscribe(listener: (topic: DataTopic) => void): () => void;
}
