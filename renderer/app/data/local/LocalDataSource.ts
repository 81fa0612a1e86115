import { z } from 'zod';
import type { AccessTokenCreated, AccessTokenView, CreateAccessTokenInput } from '../../../../shared/accessTokens.js';
import type { LoginInput } from '../../../../shared/auth.js';
import type { Theme } from '../../../../shared/desktopSettings.js';
import { AppError } from '../../../../shared/errors.js';
import type { IntegrationDetail, IntegrationSummary } from '../../../../shared/integrations/catalog.js';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import type { HealthRange, WebhookTestOutput, WebhookView } from '../../../../shared/integrations/health.js';
import type { WebhookDeliveryPage, WebhookSaved } from '../../../../shared/integrations/alertWebhook.js';
import type { CheckResult, HealthCheckPage } from '../../../../shared/integrations/healthChecks.js';
import type { RollbackInput, VersionsOutput } from '../../../../shared/integrations/versions.js';
import type { CredentialAgeOutput, CredentialPolicy } from '../../../../shared/integrations/credentialAge.js';
import type { CreateMaintenanceInput, EndMaintenanceOutput, MaintenanceList, MaintenanceWindow } from '../../../../shared/integrations/maintenance.js';
import type { InboundDeliveriesInput, InboundDeliveryPage, InboundEndpointCreated, InboundEndpointView, InboundReplayOutput } from '../../../../shared/integrations/inboundWebhooks.js';
import type {
  AlertWebhookForm,
  ConflictChoice,
  DataTopic,
  Draft,
  HealthHistoryView,
  LocalSyncStatus,
  PartnerRef,
  SaveOutcome,
  SessionStatus,
  TestConnectionResult,
  ApplyMappingsLocalInput,
  ApplyMappingsLocalOutput,
  ClientsView,
  DiscoveryRunView,
  MappingDraft,
  MappingsView,
} from '../../../../shared/localApi.js';
import type { Client } from '../../../../shared/clients.js';
import { automationSchema, type Automation } from '../../../../shared/automations.js';
import { automationDraftSchema, automationRunViewSchema, localAutomationSchema, recipesViewSchema, type AutomationDraft, type AutomationRunsLocalInput, type AutomationRunsView, type AutomationRunView, type AutomationsView, type AutomationView, type LocalAutomation, type RecipesView, type CreateAutomationLocalInput, type SetEnabledLocalInput, type UpdateAutomationLocalInput } from '../../../../shared/localAutomations.js';
import { interactionDetailSchema, type InteractionDetail, type InteractionFilter, type InteractionPage } from '../../../../shared/interactions.js';
import type { ActionRunResult, TicketLink } from '../../../../shared/actions.js';
import type { ActionRequest, ComposeRequestInput, RequestListInput } from '../../../../shared/localActionRequests.js';
import type { ActionIntent, ActionsView, ComposeUpdateInput, CreateLinkLocalInput, PostOutcome, TicketLinksView, TicketSearchInput, TicketSearchView } from '../../../../shared/localActions.js';
import type { ConnectionLocalView, SignInView } from '../../../../shared/localOAuth.js';
import type { ClientTenantsView, ConsentTarget, ConsentView } from '../../../../shared/localMicrosoft365.js';
import type { DraftKind } from '../../../../shared/sync.js';
import type { LocalClient } from '../../localClient.js';
import type { AuditPage, DataSource, ReadScope, SaveConfigurationInput, TestRequest } from '../DataSource.js';
import type { AppShell, AppState, ApplySummary, AuditPageRequest, FleetMatrix, Session } from '../types.js';
import { local } from './localErrors.js';
import type { OpenEvents } from './localEvents.js';
import { parseAuditCursor, toApplySummary, toSummary } from './localMapping.js';

/**
 * The DataSource over the desktop core's local API (tRPC over IPC in Electron, over loopback
 * HTTP in browser mode). Reads come from the core's cache, so they work offline; changes go
 * through the core's drafts. The core shows one partner at a time: reads for another partner
 * (the dev partner's support view) switch it first, one read at a time.
 */
export class LocalDataSource implements DataSource {
  #viewing: number | null = null;
  #own: number | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<(topic: DataTopic) => void>();
  #closeEvents: (() => void) | null = null;
  /**
   * Integrations with a save going straight to the server: its draft is an implementation detail
   * until the answer comes back, so lists leave it out (the form must not turn into "pending").
   */
  readonly #sending = new Set<string>();

  constructor(
    private readonly client: LocalClient,
    private readonly openEvents: OpenEvents,
    private readonly shell: AppShell,
  ) {}

  // ---- app and session ----

  async getAppState(): Promise<AppState> {
    const [status, settings] = await local(() => Promise.all([this.client.session.status.query(), this.client.settings.get.query()]));
    this.#remember(status);
    return {
      serverUrl: settings.serverUrl,
      needsServerUrl: settings.needsServerUrl,
      serverUrlEditable: settings.serverUrlEditable,
      theme: settings.theme,
      endedSession: status.state === 'expired' && status.user ? { email: status.user.email, displayName: status.user.displayName } : null,
      tokenStorageNote: status.tokenStorageNote,
      shell: this.shell,
    };
  }

  async setServerUrl(serverUrl: string): Promise<AppState> {
    await local(() => this.client.settings.setServerUrl.mutate({ serverUrl }));
    return this.getAppState();
  }

  async setTheme(theme: Theme): Promise<AppState> {
    await local(() => this.client.settings.setTheme.mutate({ theme }));
    return this.getAppState();
  }

  async getSession(): Promise<Session | null> {
    return this.#session(await local(() => this.client.session.status.query()));
  }

  async login(input: LoginInput): Promise<Session> {
    const session = this.#session(await local(() => this.client.session.login.mutate(input)));
    if (!session) throw new AppError('UNAUTHORIZED', 'Signing in did not start a session; try again.');
    await local(() => this.#firstSync());
    return session;
  }

  async logout(force = false): Promise<void> {
    this.#remember(await local(() => this.client.session.logout.mutate({ force })));
  }

  // ---- reads (cache-backed; scoped reads may switch the partner on view) ----

  listIntegrations(scope?: ReadScope): Promise<IntegrationSummary[]> {
    return this.#scoped(scope, async () => (await this.client.catalog.list.query()).map(toSummary));
  }

  getIntegration(key: string, scope?: ReadScope): Promise<IntegrationDetail> {
    return this.#scoped(scope, async () => (await this.client.catalog.get.query({ key })).detail);
  }

  getHealthHistory(key: string, scope?: ReadScope, range?: HealthRange): Promise<HealthHistoryView> {
    return this.#scoped(scope, () => this.client.health.history.query(range ? { key, range } : { key }));
  }

  listAudit(key: string, page: AuditPageRequest, scope?: ReadScope): Promise<AuditPage> {
    return this.#scoped(scope, async () => {
      const cursor = parseAuditCursor(page.cursor);
      const input = { key, limit: page.limit, ...(cursor.before ? { before: cursor.before } : {}) };
      const result = cursor.source === 'server' ? await this.client.audit.older.query(input) : await this.client.audit.list.query(input);
      const last = result.entries.at(-1)?.id;
      const next = result.nextBefore !== null ? `${result.source === 'server' ? 's' : 'c'}:${result.nextBefore}` : result.olderOnServer && last ? `s:${last}` : null;
      return { entries: result.entries, nextCursor: next };
    });
  }

  // ---- changes (always the own partner) ----

  saveConfiguration(input: SaveConfigurationInput): Promise<SaveOutcome> {
    return this.#scoped(undefined, () => this.#send(input.key, input.baseVersion === null ? 'configure' : 'reconfigure', input.settings));
  }

  deleteIntegration(key: string): Promise<SaveOutcome> {
    return this.#scoped(undefined, () => this.#send(key, 'delete', {}));
  }

  testConnection(key: string, request: TestRequest): Promise<TestConnectionResult> {
    return this.#scoped(undefined, () => this.client.integrations.test.mutate({ key, ...request }));
  }

  listVersions(key: string): Promise<VersionsOutput> {
    return this.#scoped(undefined, () => this.client.integrations.versions.query({ key }));
  }

  credentialAge(key: string): Promise<CredentialAgeOutput> {
    return this.#scoped(undefined, () => this.client.integrations.credentialAge.query({ key }));
  }

  setCredentialPolicy(maxAgeDays: number): Promise<CredentialPolicy> {
    return this.#scoped(undefined, () => this.client.integrations.setCredentialPolicy.mutate({ maxAgeDays }));
  }

  rollback(input: RollbackInput): Promise<SaveOutcome> {
    return this.#scoped(undefined, () => this.client.integrations.rollback.mutate(input));
  }

  listMaintenance(key?: string): Promise<MaintenanceList> {
    return this.#scoped(undefined, () => this.client.maintenance.list.query(key === undefined ? undefined : { key }));
  }

  scheduleMaintenance(input: CreateMaintenanceInput): Promise<MaintenanceWindow> {
    return this.#scoped(undefined, () => this.client.maintenance.create.mutate(input));
  }

  endMaintenance(id: number): Promise<EndMaintenanceOutput> {
    return this.#scoped(undefined, () => this.client.maintenance.end.mutate({ id }));
  }

  // ---- AI assistant tokens ----

  listAccessTokens(): Promise<{ items: AccessTokenView[] }> {
    return this.#scoped(undefined, () => this.client.accessTokens.list.query());
  }

  createAccessToken(input: CreateAccessTokenInput): Promise<AccessTokenCreated> {
    return this.#scoped(undefined, () => this.client.accessTokens.create.mutate(input));
  }

  revokeAccessToken(id: number): Promise<AccessTokenView> {
    return this.#scoped(undefined, () => this.client.accessTokens.revoke.mutate({ id }));
  }

  // ---- inbound webhooks ----

  getInboundEndpoint(key: string): Promise<InboundEndpointView> {
    return this.#scoped(undefined, () => this.client.inbound.endpoint.query({ key }));
  }

  rotateInboundSecret(key: string): Promise<InboundEndpointCreated> {
    return this.#scoped(undefined, () => this.client.inbound.rotate.mutate({ key }));
  }

  listInboundDeliveries(input: InboundDeliveriesInput): Promise<InboundDeliveryPage> {
    return this.#scoped(undefined, () => this.client.inbound.deliveries.query(input));
  }

  replayInboundDelivery(key: string, id: number): Promise<InboundReplayOutput> {
    return this.#scoped(undefined, () => this.client.inbound.replay.mutate({ key, id }));
  }

  // ---- drafts ----

  /** Drafts still holding work (applied ones are history), oldest first. */
  async listDrafts(): Promise<Draft[]> {
    return (await local(() => this.client.drafts.list.query())).filter((d) => this.#pending(d));
  }

  updateDraft(id: number, settings: SettingsInput): Promise<Draft> {
    return this.#scoped(undefined, async () => {
      const current = await this.client.drafts.get.query({ id });
      return this.client.drafts.save.mutate({ integrationKey: current.integrationKey, kind: current.kind, values: settings });
    });
  }

  async discardDraft(id: number): Promise<void> {
    await local(() => this.client.drafts.discard.mutate({ id }));
  }

  applyDrafts(ids: number[] | 'all'): Promise<ApplySummary> {
    return this.#scoped(undefined, async () => toApplySummary(await this.client.drafts.applyNow.mutate(ids === 'all' ? {} : { ids })));
  }

  resolveConflict(id: number, choices: Record<string, ConflictChoice>): Promise<Draft | null> {
    return this.#scoped(undefined, async () => {
      const picked = Object.values(choices);
      // Nothing of the draft is kept: drop it instead of sending the server its own values.
      const outcome: ConflictChoice = picked.length > 0 && picked.every((c) => c === 'theirs') ? 'theirs' : 'mine';
      return this.client.drafts.resolve.mutate({ id, choices, outcome });
    });
  }

  // ---- sync ----

  async getSyncStatus(): Promise<LocalSyncStatus> {
    const status = await local(() => this.client.sync.status.query());
    if (this.#sending.size === 0) return status;
    // Leave out the draft of a save in flight, as listDrafts does, so the count does not blink.
    const drafts = await local(() => this.client.drafts.list.query());
    return { ...status, pendingDrafts: drafts.filter((d) => this.#pending(d)).length };
  }

  async setReviewMode(on: boolean): Promise<void> {
    await local(() => this.client.sync.setReviewMode.mutate({ on }));
  }

  async syncNow(): Promise<void> {
    const status = await local(() => this.client.sync.now.mutate());
    if (status.authRequired) throw new AppError('UNAUTHORIZED', 'Your session has ended; sign in again to sync.');
    if (status.connection === 'offline') throw new AppError('UNAVAILABLE', status.lastError ?? 'The server cannot be reached.');
  }

  // ---- clients and mappings ----

  listClients(scope?: ReadScope): Promise<ClientsView> {
    return this.#scoped(scope, () => this.client.clients.list.query());
  }

  createClient(name: string): Promise<Client> {
    return this.#scoped(undefined, () => this.client.clients.create.mutate({ name }));
  }

  renameClient(input: { id: number; name: string; baseVersion?: number }): Promise<Client> {
    return this.#scoped(undefined, () => this.client.clients.rename.mutate(input));
  }

  archiveClient(id: number): Promise<Client> {
    return this.#scoped(undefined, () => this.client.clients.archive.mutate({ id }));
  }

  getMappings(key: string, scope?: ReadScope): Promise<MappingsView> {
    return this.#scoped(scope, () => this.client.mappings.view.query({ key }));
  }

  applyMappings(input: ApplyMappingsLocalInput): Promise<ApplyMappingsLocalOutput> {
    return this.#scoped(undefined, () => this.client.mappings.applyBatch.mutate(input));
  }

  startDiscovery(key: string): Promise<DiscoveryRunView> {
    return this.#scoped(undefined, () => this.client.mappings.startDiscovery.mutate({ key }));
  }

  getDiscoveryRun(key: string, scope?: ReadScope): Promise<DiscoveryRunView> {
    return this.#scoped(scope, () => this.client.mappings.discoveryRun.query({ key }));
  }

  listInteractions(key: string, filter: InteractionFilter, scope?: ReadScope): Promise<InteractionPage> {
    return this.#scoped(scope, () => this.client.interactions.list.query({ key, ...filter }));
  }

  getInteraction(id: number, scope?: ReadScope): Promise<InteractionDetail> {
    // Parsed: the bodies are arbitrary JSON, which tRPC's inferred types make optional.
    return this.#scoped(scope, async () => interactionDetailSchema.parse(await this.client.interactions.get.query({ id })));
  }

  listMappingDrafts(): Promise<MappingDraft[]> {
    return this.#scoped(undefined, () => this.client.mappings.drafts.query());
  }

  async discardMappingDraft(id: number): Promise<void> {
    await this.#scoped(undefined, () => this.client.mappings.discardDraft.mutate({ id }));
  }

  async resolveMappingDraft(id: number, keep: 'mine' | 'theirs'): Promise<void> {
    await this.#scoped(undefined, () => this.client.mappings.resolveDraft.mutate({ id, keep }));
  }

  // ---- integration actions and ticket links ----

  listActions(clientId: number, scope?: ReadScope): Promise<ActionsView> {
    return this.#scoped(scope, () => this.client.actions.list.query({ clientId }));
  }

  findTickets(input: TicketSearchInput, scope?: ReadScope): Promise<TicketSearchView> {
    return this.#scoped(scope, () => this.client.actions.tickets.query(input));
  }

  runReadAction(actionId: string, input: Record<string, unknown>): Promise<ActionRunResult> {
    return this.#scoped(undefined, () => this.client.actions.runRead.mutate({ actionId, input }));
  }

  listIntents(filter: { clientId?: number } = {}): Promise<ActionIntent[]> {
    return this.#scoped(undefined, () => this.client.actions.intents.query(filter));
  }

  composeUpdate(input: ComposeUpdateInput): Promise<ActionIntent> {
    return this.#scoped(undefined, () => this.client.actions.compose.mutate(input));
  }

  postUpdate(id: number): Promise<PostOutcome> {
    return this.#scoped(undefined, () => this.client.actions.post.mutate({ id }));
  }

  applyIntent(id: number): Promise<ActionIntent> {
    return this.#scoped(undefined, () => this.client.actions.applyIntent.mutate({ id }));
  }

  async discardIntent(id: number): Promise<void> {
    await this.#scoped(undefined, () => this.client.actions.discard.mutate({ id }));
  }

  retryIntent(id: number): Promise<ActionIntent> {
    return this.#scoped(undefined, () => this.client.actions.retry.mutate({ id }));
  }

  listIntegrationActions(key: string, clientId?: number, scope?: ReadScope): Promise<ActionsView> {
    return this.#scoped(scope, () => this.client.actions.list.query({ key, ...(clientId ? { clientId } : {}) }));
  }

  listAutomations(scope?: ReadScope): Promise<AutomationsView> {
    return this.#scoped(scope, () => this.client.automations.list.query());
  }

  getAutomation(id: number, scope?: ReadScope): Promise<AutomationView> {
    return this.#scoped(scope, () => this.client.automations.get.query({ id }));
  }

  // Parsed: step inputs, outputs and trigger data are arbitrary JSON, which tRPC's inferred types make optional.
  listAutomationRuns(input: AutomationRunsLocalInput, scope?: ReadScope): Promise<AutomationRunsView> {
    return this.#scoped(scope, () => this.client.automations.runs.query(input));
  }

  getAutomationRun(runId: number, scope?: ReadScope): Promise<AutomationRunView> {
    return this.#scoped(scope, async () => automationRunViewSchema.parse(await this.client.automations.run.query({ runId })));
  }

  listRecipes(): Promise<RecipesView> {
    return this.#scoped(undefined, async () => recipesViewSchema.parse(await this.client.automations.recipes.query()));
  }

  listAllActions(scope?: ReadScope): Promise<ActionsView> {
    return this.#scoped(scope, () => this.client.actions.list.query({}));
  }

  createAutomation(input: CreateAutomationLocalInput): Promise<LocalAutomation> {
    return this.#scoped(undefined, async () => localAutomationSchema.parse(await this.client.automations.create.mutate(input)));
  }

  updateAutomation(input: UpdateAutomationLocalInput): Promise<LocalAutomation> {
    return this.#scoped(undefined, async () => localAutomationSchema.parse(await this.client.automations.update.mutate(input)));
  }

  setAutomationEnabled(input: SetEnabledLocalInput): Promise<LocalAutomation> {
    return this.#scoped(undefined, async () => localAutomationSchema.parse(await this.client.automations.setEnabled.mutate(input)));
  }

  listAutomationDrafts(): Promise<AutomationDraft[]> {
    // Parsed: step inputs are arbitrary JSON, which tRPC's inferred types make optional.
    return this.#scoped(undefined, async () => z.array(automationDraftSchema).parse(await this.client.automations.drafts.query()));
  }

  async discardAutomationDraft(id: number): Promise<void> {
    await this.#scoped(undefined, () => this.client.automations.discardDraft.mutate({ id }));
  }

  async resolveAutomationDraft(id: number, keep: 'mine' | 'theirs'): Promise<void> {
    await this.#scoped(undefined, () => this.client.automations.resolveDraft.mutate({ id, keep }));
  }

  async deleteAutomation(id: number): Promise<void> {
    await this.#scoped(undefined, () => this.client.automations.remove.mutate({ id }));
  }

  addRecipe(recipeId: string): Promise<Automation> {
    return this.#scoped(undefined, async () => automationSchema.parse(await this.client.automations.addRecipe.mutate({ recipeId })));
  }

  runAutomation(id: number, input: Record<string, unknown>): Promise<{ runId: number }> {
    return this.#scoped(undefined, () => this.client.automations.runNow.mutate({ id, input }));
  }

  rerunAutomation(runId: number): Promise<{ runId: number }> {
    return this.#scoped(undefined, () => this.client.automations.rerun.mutate({ runId }));
  }

  listActionRequests(filter: RequestListInput = {}): Promise<ActionRequest[]> {
    return this.#scoped(undefined, () => this.client.actionRequests.list.query(filter));
  }

  composeActionRequest(input: ComposeRequestInput): Promise<ActionRequest> {
    return this.#scoped(undefined, () => this.client.actionRequests.compose.mutate(input));
  }

  runActionRequest(id: number): Promise<ActionRequest> {
    return this.#scoped(undefined, () => this.client.actionRequests.run.mutate({ id }));
  }

  async discardActionRequest(id: number): Promise<void> {
    await this.#scoped(undefined, () => this.client.actionRequests.discard.mutate({ id }));
  }

  retryActionRequest(id: number): Promise<ActionRequest> {
    return this.#scoped(undefined, () => this.client.actionRequests.retry.mutate({ id }));
  }

  listTicketLinks(clientId: number, scope?: ReadScope): Promise<TicketLinksView> {
    return this.#scoped(scope, () => this.client.ticketLinks.list.query({ clientId }));
  }

  refreshTicketLinks(clientId: number): Promise<TicketLinksView> {
    return this.#scoped(undefined, () => this.client.ticketLinks.refresh.mutate({ clientId }));
  }

  createTicketLink(input: CreateLinkLocalInput): Promise<TicketLink> {
    return this.#scoped(undefined, () => this.client.ticketLinks.create.mutate(input));
  }

  async removeTicketLink(clientId: number, id: number): Promise<void> {
    await this.#scoped(undefined, () => this.client.ticketLinks.remove.mutate({ clientId, id }));
  }

  // ---- dev partner ----

  listPartners(): Promise<PartnerRef[]> {
    return local(() => this.client.session.partners.query());
  }

  // ---- alerts and the check list (server calls, online only) ----

  getAlertWebhook(): Promise<WebhookView> {
    return local(() => this.client.alerts.webhook.query());
  }

  saveAlertWebhook(input: AlertWebhookForm): Promise<WebhookSaved> {
    return local(() => this.client.alerts.setWebhook.mutate(input));
  }

  rotateAlertSecret(): Promise<WebhookSaved> {
    return local(() => this.client.alerts.rotateSecret.mutate());
  }

  sendTestAlert(): Promise<WebhookTestOutput> {
    return local(() => this.client.alerts.testWebhook.mutate());
  }

  listAlertDeliveries(): Promise<WebhookDeliveryPage> {
    return local(() => this.client.alerts.deliveries.query({ limit: 25 }));
  }

  listHealthChecks(key: string, result?: CheckResult): Promise<HealthCheckPage> {
    return local(() => this.client.alerts.checks.query(result ? { key, result } : { key }));
  }

  async getFleetMatrix(): Promise<FleetMatrix> {
    const [view, catalog] = await local(() => Promise.all([this.client.health.fleet.query(), this.client.catalog.list.query()]));
    if (!view.fleet || !view.fetchedAt) {
      throw new AppError('UNAVAILABLE', 'The fleet has not been fetched yet. It needs a connection to the server once; it is then kept for offline use.');
    }
    const names = new Map(catalog.map((c) => [c.key, c.name]));
    const { fleet } = view;
    return {
      partners: fleet.rows.map((r) => ({ id: r.partnerId, name: r.partnerName })),
      integrations: fleet.keys.map((key) => ({ key, name: names.get(key) ?? key })),
      cells: fleet.rows.flatMap((r) =>
        fleet.keys.map((key) => {
          const cell = r.cells[key];
          return {
            partnerId: r.partnerId,
            integrationKey: key,
            status: cell?.status ?? 'Not Configured',
            health: cell?.health ?? 'unknown',
            errorMessage: cell?.message ?? null,
            uptimePercent: cell?.uptimePercent ?? null,
            maintenanceUntil: cell?.maintenanceUntil ?? null,
          };
        }),
      ),
      asOf: view.fetchedAt,
      complete: fleet.nextCursor === null,
    };
  }

  // ---- OAuth2 connections (the own partner's) ----

  getConnection(key: string): Promise<ConnectionLocalView> {
    return this.#scoped(undefined, () => this.client.oauth.connection.query({ key }));
  }

  connect(key: string): Promise<SignInView> {
    return this.#scoped(undefined, () => this.client.oauth.connect.mutate({ key }));
  }

  getSignIn(key: string): Promise<SignInView | null> {
    return local(() => this.client.oauth.signIn.query({ key }));
  }

  cancelSignIn(key: string): Promise<SignInView | null> {
    return local(() => this.client.oauth.cancel.mutate({ key }));
  }

  disconnect(key: string): Promise<ConnectionLocalView> {
    return this.#scoped(undefined, () => this.client.oauth.disconnect.mutate({ key }));
  }

  grantConsent(target: ConsentTarget): Promise<ConsentView> {
    return this.#scoped(undefined, () => this.client.oauth.grantConsent.mutate(target));
  }

  getConsent(target: ConsentTarget): Promise<ConsentView | null> {
    return local(() => this.client.oauth.consent.query(target));
  }

  cancelConsent(target: ConsentTarget): Promise<ConsentView | null> {
    return local(() => this.client.oauth.cancelConsent.mutate(target));
  }

  getClientTenants(clientId: number): Promise<ClientTenantsView> {
    return this.#scoped(undefined, () => this.client.microsoft365.clientTenants.query({ clientId }));
  }

  // ---- change notifications ----

  subscribe(listener: (topic: DataTopic) => void): () => void {
    this.#listeners.add(listener);
    // One stream for every listener; it opens with the first and closes with the last.
    this.#closeEvents ??= this.openEvents((event) => {
      for (const topic of event.topics) for (const l of this.#listeners) l(topic);
    });
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#closeEvents?.();
        this.#closeEvents = null;
      }
    };
  }

  // ---- internals ----

  /** A draft the user should see as pending: not applied, not the vehicle of a save in flight. */
  #pending(draft: { state: string; integrationKey: string }): boolean {
    return draft.state !== 'applied' && !this.#sending.has(draft.integrationKey);
  }

  async #send(key: string, kind: DraftKind, values: SettingsInput): Promise<SaveOutcome> {
    // A key that already had a draft stays visible: the save only updates that draft.
    const had = (await this.client.catalog.get.query({ key })).draft !== null;
    if (!had) this.#sending.add(key);
    try {
      // The core decides: a draft to review, or queued and sent (now, or on reconnect).
      return await this.client.drafts.submit.mutate({ integrationKey: key, kind, values });
    } finally {
      this.#sending.delete(key);
      // Reads answered while the save was in flight left its draft out; if it stayed a draft,
      // they are stale now and no core event will say so.
      if (!had) for (const topic of ['drafts', 'sync'] as const) for (const l of this.#listeners) l(topic);
    }
  }

  #remember(status: SessionStatus): void {
    this.#viewing = status.viewingPartnerId;
    this.#own = status.user?.partnerId ?? null;
  }

  #session(status: SessionStatus): Session | null {
    this.#remember(status);
    return status.state === 'signedIn' && status.user ? { user: status.user, expiresAt: status.expiresAt ?? '' } : null;
  }

  /**
   * A cache that never synced (first sign-in, first look at a partner) would show an empty
   * catalog for a moment: wait for its first pull instead (an offline one fails at once).
   */
  async #firstSync(): Promise<void> {
    if ((await this.client.sync.status.query()).lastSyncedAt === null) await this.client.sync.now.mutate();
  }

  /**
   * Runs `read` with the core showing the partner of `scope` (the user's own when omitted),
   * switching first if needed. Calls run one after another, so a switch for one read can never
   * land in the middle of another.
   */
  #scoped<T>(scope: ReadScope | undefined, read: () => Promise<T>): Promise<T> {
    const run = async () => {
      if (this.#own === null) this.#remember(await this.client.session.status.query());
      const want = scope?.partnerId ?? this.#own;
      if (want !== null && want !== this.#viewing) {
        this.#remember(await this.client.session.switchPartner.mutate({ partnerId: want }));
        await this.#firstSync();
      }
      return read();
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return local(() => result);
  }
}
