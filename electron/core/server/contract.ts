import type { AccessTokenCreated, AccessTokenView, CreateAccessTokenInput } from '../../../shared/accessTokens.js';
import type { InteractionDetail, InteractionPage, ListInteractionsInput } from '../../../shared/interactions.js';
import type { SessionUser } from '../../../shared/auth.js';
import type { TestOutput } from '../../../shared/integrations/api.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';
import type { Fleet, HealthHistory, HealthRange, WebhookTestOutput, WebhookView } from '../../../shared/integrations/health.js';
import type { WebhookDeliveryPage, WebhookSaved } from '../../../shared/integrations/alertWebhook.js';
import type { HealthCheckPage, HealthChecksInput } from '../../../shared/integrations/healthChecks.js';
import type { AuditPage, AuditPageInput, PartnerRef } from '../../../shared/localApi.js';
import type { Client, Mapping, NewMapping, Suggestion } from '../../../shared/clients.js';
import type { DiscoveryRun, SnapshotOrganization, SnapshotPage } from '../../../shared/integrations/discovery.js';
import type { ConnectionView, ConsentCompleteInput, ConsentResult, ConsentStartInput, ConsentStartOutput, OAuthCompleteInput, OAuthStartInput, OAuthStartOutput } from '../../../shared/integrations/oauth.js';
import type { RollbackInput, VersionsOutput } from '../../../shared/integrations/versions.js';
import type { CredentialAgeOutput, CredentialPolicy, SetCredentialPolicyInput } from '../../../shared/integrations/credentialAge.js';
import type { CreateMaintenanceInput, EndMaintenanceOutput, MaintenanceList, MaintenanceWindow } from '../../../shared/integrations/maintenance.js';
import type { InboundDeliveriesInput, InboundDeliveryPage, InboundEndpointCreated, InboundEndpointView, InboundReplayInput, InboundReplayOutput } from '../../../shared/integrations/inboundWebhooks.js';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { Automation, AutomationRun, AutomationRunDetail, CreateAutomationInput, Recipe, UpdateAutomationInput } from '../../../shared/automations.js';
import type { ActionDescriptor, ActionRunResult, RefreshTicketLinksOutput, RunActionInput, TicketLink, TicketLinkType } from '../../../shared/actions.js';

/**
 * What the core's server calls and the modules that use them agree on. It lives apart from both
 * sides, so the local API (api/), monitoring (services/) and the calls themselves (session/,
 * services/serverCalls.ts) each import it and none imports another for a type.
 */

/** What a server call needs from the session: the token (core only) and whose data is shown. */
export interface ServerAccess {
  token: string | null;
  user: SessionUser;
  viewingPartnerId: number;
}

/**
 * Server calls the local API needs beyond sync: the partner list for the dev partner and audit
 * pages older than the synced window (session/serverExtras.ts implements them).
 */
export interface ServerExtras {
  listPartners?(): Promise<PartnerRef[]>;
  auditOlder?(input: Required<AuditPageInput>): Promise<AuditPage>;
}

/**
 * The server procedures monitoring uses: the partner's health history, the dev partner's fleet
 * matrix and "Test connection" (services/serverCalls.ts implements them).
 */
export interface MonitoringServer {
  healthHistory(key: string, options?: { timeoutMs?: number; range?: HealthRange }): Promise<HealthHistory>;
  /** One page of the fleet matrix (partners by id, after `cursor`). */
  fleet(options?: { timeoutMs?: number; limit?: number; cursor?: string }): Promise<Fleet>;
  test(key: string, settings?: SettingsInput, options?: { afterSave?: boolean }): Promise<TestOutput>;
}

/**
 * The server procedures of the Alerts screen and the check list (issue 22), online only:
 * services/serverCalls.ts implements them, services/alerts.ts uses them.
 */
export interface AlertsServer {
  webhook(): Promise<WebhookView>;
  setWebhook(input: { url: string; enabled: boolean }): Promise<WebhookSaved>;
  rotateWebhookSecret(): Promise<WebhookSaved>;
  testWebhook(): Promise<WebhookTestOutput>;
  webhookDeliveries(input: { limit?: number; cursor?: string }): Promise<WebhookDeliveryPage>;
  checks(input: HealthChecksInput): Promise<HealthCheckPage>;
}

/**
 * The server procedures of clients, mappings and discovery the desktop uses
 * (services/mappingCalls.ts implements them). The dev partner reads another partner's through the server's read-only dev routes.
 */
export interface MappingServer {
  /** `partnerId`: the dev partner reading another partner's (read-only dev routes). */
  clients(partnerId?: number): Promise<Client[]>;
  createClient(name: string): Promise<Client>;
  renameClient(input: { id: number; name: string; baseVersion?: number }): Promise<Client>;
  archiveClient(id: number): Promise<Client>;
  mappings(key: string, partnerId?: number): Promise<Mapping[]>;
  applyMappings(input: { key: string; create: NewMapping[]; delete: string[] }): Promise<{ created: number; deleted: number }>;
  /** Suggestions for the unmapped organizations of the server's latest snapshot. */
  suggest(key: string): Promise<Suggestion[]>;
  startDiscovery(key: string): Promise<DiscoveryRun>;
  /** The newest run; `partnerId`: the dev partner reading another partner's. */
  discoveryRun(key: string, partnerId?: number): Promise<DiscoveryRun | null>;
  /** Every page of the latest snapshot. */
  snapshot(key: string, partnerId?: number): Promise<{ snapshot: SnapshotPage['snapshot']; organizations: SnapshotOrganization[] }>;
}

/**
 * The interaction log's reads (issue 15), online only (services/interactionCalls.ts implements
 * them). `partnerId`: the dev partner reading another partner's through the read-only dev routes.
 */
export interface InteractionsServer {
  interactions(input: ListInteractionsInput, partnerId?: number): Promise<InteractionPage>;
  interaction(id: number, partnerId?: number): Promise<InteractionDetail>;
}

/**
 * The server procedures of integration actions and ticket links (issue 15):
 * services/actionCalls.ts implements them, services/actions.ts uses them. Failures are AppErrors
 * (serverFailure): UNAVAILABLE when the server cannot be reached.
 */
export interface ActionServer {
  list(input: { key?: string; clientId?: number }): Promise<ActionDescriptor[]>;
  run(input: RunActionInput): Promise<ActionRunResult>;
  /** `partnerId`: the dev partner reading another partner's (read-only dev route). */
  links(clientId: number, partnerId?: number): Promise<TicketLink[]>;
  /** Re-reads number, subject and status of the client's links from the vendor. */
  refreshLinks(clientId: number): Promise<RefreshTicketLinksOutput>;
  createLink(input: { clientId: number; integrationKey: string; ticketId: string; linkType: TicketLinkType }): Promise<TicketLink>;
  removeLink(id: number): Promise<void>;
}

/**
 * The server procedures of OAuth2 connections (issue 16): services/oauthCalls.ts implements them,
 * services/oauthConnect.ts uses them. The server builds the authorize URL and exchanges the code
 * with the client secret; the desktop only carries the loopback redirect and the PKCE verifier.
 */
export interface OAuthServer {
  connection(key: string): Promise<ConnectionView>;
  start(input: OAuthStartInput): Promise<OAuthStartOutput>;
  complete(input: OAuthCompleteInput): Promise<ConnectionView>;
  disconnect(key: string): Promise<ConnectionView>;
  /** Issue 26: an administrator's consent in one mapped organization, re-checked by the server on return. */
  consentStart(input: ConsentStartInput): Promise<ConsentStartOutput>;
  consentComplete(input: ConsentCompleteInput): Promise<ConsentResult>;
}

/**
 * Configuration versions (issue 18), online only: services/versionCalls.ts implements them,
 * services/versions.ts uses them. The server keeps every version; the desktop caches none.
 */
export interface VersionsServer {
  versions(key: string): Promise<VersionsOutput>;
  /** Restores `toVersion` as a new version; a stale `baseVersion` is a 409, as for an edit. */
  rollback(input: RollbackInput): Promise<IntegrationDetail>;
  /** How old each stored credential is against its limit (issue 18 §2). */
  credentialAge(key: string): Promise<CredentialAgeOutput>;
  /** Sets the partner-wide credential limit (partner admins). */
  setCredentialPolicy(input: SetCredentialPolicyInput): Promise<CredentialPolicy>;
}

/**
 * Maintenance windows (issue 18 §4), online only: services/maintenanceCalls.ts implements them,
 * services/maintenance.ts uses them. The windows are the server's; the desktop caches none.
 */
export interface MaintenanceServer {
  list(key?: string): Promise<MaintenanceList>;
  create(input: CreateMaintenanceInput): Promise<MaintenanceWindow>;
  end(id: number): Promise<EndMaintenanceOutput>;
}

/**
 * Inbound webhooks (issue 18 §5), online only: services/inboundCalls.ts implements them,
 * services/inbound.ts uses them. A secret is answered by `rotate` once and never cached.
 */
export interface InboundServer {
  endpoint(key: string): Promise<InboundEndpointView>;
  rotate(key: string): Promise<InboundEndpointCreated>;
  deliveries(input: InboundDeliveriesInput): Promise<InboundDeliveryPage>;
  replay(input: InboundReplayInput): Promise<InboundReplayOutput>;
}

/** AI assistant tokens (issue 25), online only: services/accessTokenCalls.ts implements them. A token is answered by `create` once and never cached. */
export interface AccessTokensServer {
  list(): Promise<{ items: AccessTokenView[] }>;
  create(input: CreateAccessTokenInput): Promise<AccessTokenCreated>;
  revoke(id: number): Promise<AccessTokenView>;
}

/**
 * Automations (issue 23): services/automationCalls.ts implements them, services/automations.ts
 * uses them. `partnerId`: the dev partner reading another partner's through the read-only dev routes.
 */
export interface AutomationsServer {
  list(partnerId?: number): Promise<Automation[]>;
  get(id: number): Promise<Automation>;
  runs(input: { automationId?: number; status?: AutomationRun['status'] }, partnerId?: number): Promise<{ items: AutomationRun[]; nextBefore: number | null }>;
  run(runId: number, partnerId?: number): Promise<AutomationRunDetail>;
  recipes(): Promise<Recipe[]>;
  create(input: CreateAutomationInput): Promise<Automation>;
  update(input: UpdateAutomationInput): Promise<Automation>;
  setEnabled(input: { id: number; enabled: boolean; baseVersion: number }): Promise<Automation>;
  remove(id: number): Promise<void>;
  addRecipe(recipeId: string): Promise<Automation>;
  runNow(input: { id: number; input: Record<string, unknown> }): Promise<{ runId: number }>;
  rerun(runId: number): Promise<{ runId: number }>;
}
