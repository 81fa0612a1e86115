import type { AccessTokenCreated, AccessTokenView, CreateAccessTokenInput } from '../../../shared/accessTokens.js';
import type { LoginInput } from '../../../shared/auth.js';
import type { DesktopSettingsView, Theme } from '../../../shared/desktopSettings.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';
import type { RollbackInput, VersionsOutput } from '../../../shared/integrations/versions.js';
import type { CredentialAgeOutput, CredentialPolicy, SetCredentialPolicyInput } from '../../../shared/integrations/credentialAge.js';
import type { CreateMaintenanceInput, EndMaintenanceOutput, MaintenanceList, MaintenanceWindow } from '../../../shared/integrations/maintenance.js';
import type { InboundDeliveriesInput, InboundDeliveryPage, InboundEndpointCreated, InboundEndpointView, InboundReplayInput, InboundReplayOutput } from '../../../shared/integrations/inboundWebhooks.js';
import type { HealthRange, WebhookTestOutput, WebhookView } from '../../../shared/integrations/health.js';
import type { WebhookDeliveryPage, WebhookSaved } from '../../../shared/integrations/alertWebhook.js';
import type { HealthCheckPage } from '../../../shared/integrations/healthChecks.js';
import type {
  AlertDeliveriesInput,
  AlertWebhookForm,
  AuditPage,
  AuditPageInput,
  HealthChecksViewInput,
  CatalogItem,
  Draft,
  FleetView,
  HealthHistoryView,
  IntegrationView,
  LocalEvent,
  LocalSyncStatus,
  PartnerRef,
  ResolveConflictInput,
  SaveDraftInput,
  SaveOutcome,
  SessionStatus,
  TestConnectionResult,
  ApplyMappingsLocalInput,
  ApplyMappingsLocalOutput,
  ClientsView,
  DiscoveryRunView,
  MappingDraft,
  MappingsView,
} from '../../../shared/localApi.js';
import type { Client } from '../../../shared/clients.js';
import type { Automation } from '../../../shared/automations.js';
import type { AutomationDraft, AutomationRunsLocalInput, AutomationRunsView, AutomationRunView, AutomationsView, AutomationView, LocalAutomation, RecipesView, CreateAutomationLocalInput, SetEnabledLocalInput, UpdateAutomationLocalInput } from '../../../shared/localAutomations.js';
import type { InteractionDetail, InteractionPage, ListInteractionsInput } from '../../../shared/interactions.js';
import type { ConnectionLocalView, SignInView } from '../../../shared/localOAuth.js';
import type { ClientTenantsView, ConsentTarget, ConsentView } from '../../../shared/localMicrosoft365.js';
import type { ActionRunResult, TicketLink } from '../../../shared/actions.js';
import type { ActionRequest, ComposeRequestInput, RequestListInput } from '../../../shared/localActionRequests.js';
import type { ActionIntent, ActionsView, ComposeUpdateInput, CreateLinkLocalInput, PostOutcome, TicketLinksView, TicketSearchInput, TicketSearchView } from '../../../shared/localActions.js';

/**
 * What the local API router calls. Kept free of Node imports on purpose: the renderer imports
 * the router's type, so everything the router file reaches is type-checked for the browser too.
 */
export interface LocalServices {
  session: {
    status(): SessionStatus;
    login(input: LoginInput): Promise<SessionStatus>;
    logout(force: boolean): Promise<SessionStatus>;
    switchPartner(partnerId: number): Promise<SessionStatus>;
    /** Partners the dev partner may look at (others get just their own). */
    partners(): Promise<PartnerRef[]>;
  };
  catalog: {
    list(): CatalogItem[];
    get(key: string): IntegrationView;
  };
  audit: {
    cached(input: AuditPageInput): AuditPage;
    /** Older than the synced window, from the server (needs a connection). */
    older(input: AuditPageInput): Promise<AuditPage>;
  };
  drafts: {
    list(): Draft[];
    get(id: number): Draft;
    save(input: SaveDraftInput): Draft;
    /**
     * The form was saved: a draft to review (review mode, or an open draft), else reviewed and
     * queued, sent now when online (answering with the server's result) or on reconnect.
     */
    submit(input: SaveDraftInput): Promise<SaveOutcome>;
    review(id: number): Draft;
    discard(id: number): void;
    applyDraft(id: number): Promise<Draft>;
    applyAll(): Promise<Draft[]>;
    /** Reviews, queues and sends now; resolves after the sync attempt with each draft's state. */
    applyNow(ids?: number[]): Promise<Draft[]>;
    resolve(input: ResolveConflictInput): Promise<Draft | null>;
  };
  integrations: {
    /** "Test connection" on the server (admins, own partner, needs a connection). */
    test(key: string, settings?: SettingsInput, options?: { afterSave?: boolean }): Promise<TestConnectionResult>;
    /** The configuration's versions, newest first (own partner; offline: the copy last read, with `savedAt`). */
    versions(key: string): Promise<VersionsOutput>;
    /** Restores an old version as a new one (partner admins): applied online, a draft offline. */
    rollback(input: RollbackInput): Promise<SaveOutcome>;
    /** How old each stored credential is against its limit (own partner, needs a connection). */
    credentialAge(key: string): Promise<CredentialAgeOutput>;
    /** Sets the partner-wide credential limit (partner admins, needs a connection). */
    setCredentialPolicy(input: SetCredentialPolicyInput): Promise<CredentialPolicy>;
  };
  monitoring: {
    /** Health history from the cache, refreshed from the server when online. */
    history(key: string, range?: HealthRange): Promise<HealthHistoryView>;
    /** The dev partner's fleet matrix from the cache, refreshed from the server when online. */
    fleet(): Promise<FleetView>;
  };
  /** The Alerts screen and the check list: server calls, online only; the secret is never cached. */
  alerts: {
    webhook(): Promise<WebhookView>;
    setWebhook(input: AlertWebhookForm): Promise<WebhookSaved>;
    rotateSecret(): Promise<WebhookSaved>;
    testWebhook(): Promise<WebhookTestOutput>;
    deliveries(input: AlertDeliveriesInput): Promise<WebhookDeliveryPage>;
    checks(input: HealthChecksViewInput): Promise<HealthCheckPage>;
  };
  /** Clients, mappings and discovery (issue 14): cached reads, changes sent to the server. */
  mappings: {
    clients(): Promise<ClientsView>;
    createClient(name: string): Promise<Client>;
    renameClient(input: { id: number; name: string; baseVersion?: number }): Promise<Client>;
    archiveClient(id: number): Promise<Client>;
    view(key: string): Promise<MappingsView>;
    apply(input: ApplyMappingsLocalInput): Promise<ApplyMappingsLocalOutput>;
    startDiscovery(key: string): Promise<DiscoveryRunView>;
    discoveryRun(key: string): Promise<DiscoveryRunView>;
    /** Mapping edits made offline, waiting to be sent, in conflict or refused. */
    drafts(): MappingDraft[];
    discardDraft(id: number): void;
    resolveDraft(id: number, keep: 'mine' | 'theirs'): Promise<void>;
  };
  /**
   * The Activity tab (issue 15): one integration's vendor calls, from the server (online only);
   * the dev partner viewing another partner reads that partner's, read-only.
   */
  interactions: {
    list(input: ListInteractionsInput): Promise<InteractionPage>;
    get(id: number): Promise<InteractionDetail>;
  };
  /**
   * Integration actions (issue 15): reads through the server (cached for offline), and the
   * guided ticket update as an action intent kept with its idempotency key and sent exactly once.
   */
  actions: {
    list(input: { clientId?: number; key?: string }): Promise<ActionsView>;
    tickets(input: TicketSearchInput): Promise<TicketSearchView>;
    /** A read action (online only); side-effectful ones are refused here: they go through an intent. */
    runRead(input: { actionId: string; input: Record<string, unknown> }): Promise<ActionRunResult>;
    /** Open intents (Pending changes), or the latest of one client. */
    intents(filter: { clientId?: number }): ActionIntent[];
    intent(id: number): ActionIntent;
    /** Stores the composed update as a draft with its key (or rewrites a draft not yet queued). */
    compose(input: ComposeUpdateInput): ActionIntent;
    /** Queues and sends now when online (review mode: reviewed, waiting for Apply). */
    post(id: number): Promise<PostOutcome>;
    review(id: number): ActionIntent;
    /** Pending changes' Apply: queue and send now when online. */
    apply(id: number): Promise<ActionIntent>;
    discard(id: number): void;
    /** After a refusal: the failed step again under a new key, the steps already sent kept. */
    retry(id: number): Promise<ActionIntent>;
  };
  /**
   * The Actions tab (issue 17): side-effectful requests of any action, kept with an idempotency
   * key made at compose and sent exactly once (now, or by itself when the server is back).
   * Partner admins only; reads go through `actions.runRead`.
   */
  actionRequests: {
    /** No filter: the open ones (Pending changes); with a key: that integration's latest. */
    list(filter: RequestListInput): ActionRequest[];
    get(id: number): ActionRequest;
    /** Review: stores exactly what will be sent, with its key (or rewrites a draft or refused one). */
    compose(input: ComposeRequestInput): Promise<ActionRequest>;
    /** Run: queue, and send now when online; answers with the request after the attempt. */
    run(id: number): Promise<ActionRequest>;
    discard(id: number): void;
    /** After a refusal: sent again as a new request (new key). */
    retry(id: number): Promise<ActionRequest>;
  };
  /** A client's ticket links: cached reads, changes (partner admins) on the server. */
  ticketLinks: {
    list(clientId: number): Promise<TicketLinksView>;
    refresh(clientId: number): Promise<TicketLinksView>;
    create(input: CreateLinkLocalInput): Promise<TicketLink>;
    remove(input: { clientId: number; id: number }): Promise<void>;
  };
  /**
   * OAuth2 connections (issue 16): the server's view of one (cached for offline), and the
   * sign-in the core runs with the system browser, a loopback listener and PKCE. Connect and
   * disconnect are for partner admins, online only.
   */
  oauth: {
    connection(key: string): Promise<ConnectionLocalView>;
    /** Starts a sign-in (replacing one still waiting): the answer carries the authorize URL to open. */
    connect(key: string): Promise<SignInView>;
    /** The latest sign-in of this integration in this run of the app, or null. */
    signIn(key: string): SignInView | null;
    /** Stops a sign-in still waiting for the browser and closes its listener. */
    cancel(key: string): Promise<SignInView | null>;
    disconnect(key: string): Promise<ConnectionLocalView>;
    /**
     * Issue 26: an administrator's consent in one mapped organization (partner admins, online),
     * run by the core like a sign-in; the answer carries the consent page to open.
     */
    grantConsent(target: ConsentTarget): Promise<ConsentView>;
    /** The latest consent of this organization in this run of the app, or null. */
    consent(target: ConsentTarget): ConsentView | null;
    cancelConsent(target: ConsentTarget): Promise<ConsentView | null>;
  };
  /** Issue 26: a client's Microsoft 365 tenants (consent, licenses, Secure Score), cached for offline reading. */
  microsoft365: {
    clientTenants(clientId: number): Promise<ClientTenantsView>;
  };
  /** Maintenance windows (issue 18 §4): any user of the own partner reads them; admins schedule and end. Online only. */
  maintenance: {
    list(key?: string): Promise<MaintenanceList>;
    create(input: CreateMaintenanceInput): Promise<MaintenanceWindow>;
    end(id: number): Promise<EndMaintenanceOutput>;
  };
  /**
   * Inbound webhooks (issue 18 §5), online only: the integration's URL, its secret made or
   * rotated (answered once, partner admins), the deliveries and a dead one's replay (partner admins).
   */
  inbound: {
    endpoint(key: string): Promise<InboundEndpointView>;
    rotate(key: string): Promise<InboundEndpointCreated>;
    deliveries(input: InboundDeliveriesInput): Promise<InboundDeliveryPage>;
    replay(input: InboundReplayInput): Promise<InboundReplayOutput>;
  };
  /** AI assistant tokens (issue 25, Settings → AI assistants), online only: the user's own; a new token is answered once. */
  accessTokens: {
    list(): Promise<{ items: AccessTokenView[] }>;
    create(input: CreateAccessTokenInput): Promise<AccessTokenCreated>;
    revoke(id: number): Promise<AccessTokenView>;
  };
  /**
   * Automations (issue 23 §7): reads from the server kept for offline reading (marked with when
   * they were read); edits, new automations and the switch kept offline (sent on reconnect,
   * shown `pending`), runs, recipes and deletes online only; partner admins (never the
   * operator). The dev partner viewing another partner reads that partner's, read only.
   */
  automations: {
    list(): Promise<AutomationsView>;
    get(id: number): Promise<AutomationView>;
    runs(input: AutomationRunsLocalInput): Promise<AutomationRunsView>;
    run(runId: number): Promise<AutomationRunView>;
    recipes(): Promise<RecipesView>;
    /** Saves nothing unless every step type-checks (VALIDATION_FAILED with `steps.<i>.input.<field>`). */
    create(input: CreateAutomationLocalInput): Promise<LocalAutomation>;
    /** Offline (or behind a kept edit of the same automation): kept, answered with `pending` set. */
    update(input: UpdateAutomationLocalInput): Promise<LocalAutomation>;
    setEnabled(input: SetEnabledLocalInput): Promise<LocalAutomation>;
    /** Edits kept offline, waiting to be sent, in conflict or refused. */
    drafts(): AutomationDraft[];
    discardDraft(id: number): void;
    /** Mine: re-based on the server's version and sent; theirs: dropped. */
    resolveDraft(id: number, keep: 'mine' | 'theirs'): Promise<void>;
    remove(id: number): Promise<void>;
    addRecipe(recipeId: string): Promise<Automation>;
    runNow(input: { id: number; input: Record<string, unknown> }): Promise<{ runId: number }>;
    /** A failed run again from its failed step (the steps before it kept). */
    rerun(runId: number): Promise<{ runId: number }>;
  };
  sync: {
    status(): LocalSyncStatus;
    now(): Promise<LocalSyncStatus>;
    focus(): void;
    setReviewMode(on: boolean): LocalSyncStatus;
  };
  events: {
    /** What changed, until `signal` aborts; the first event names every topic. */
    stream(signal?: AbortSignal): AsyncGenerator<LocalEvent>;
  };
  settings: {
    get(): Promise<DesktopSettingsView>;
    /** Saves and uses a new server address; refused while signed in or overridden by SERVER_URL. */
    setServerUrl(serverUrl: string): Promise<DesktopSettingsView>;
    /** Saves the look (system, light, dark) on this computer. */
    setTheme(theme: Theme): Promise<DesktopSettingsView>;
  };
  shell: {
    /** https origins the shell may open in the system browser (catalog docs and links). */
    externalOrigins(): string[];
    /** The authorize URLs of sign-ins waiting for the browser: opened exactly, and only while they wait. */
    signInUrls(): string[];
  };
}

/**
 * Per-call context. `checkCaller` is supplied by the host: in Electron it checks the IPC sender
 * frame, over HTTP the launch token was checked before tRPC ran. It throws to refuse.
 */
export interface LocalContext {
  services: LocalServices;
  checkCaller(): void;
}
