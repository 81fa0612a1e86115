import { z } from 'zod';
import { loginInputSchema } from '../../../shared/auth.js';
import {
  addRecipeInputSchema,
  automationIdInputSchema,
  automationSchema,
  createAutomationInputSchema,
  runIdInputSchema,
  runNowInputSchema,
} from '../../../shared/automations.js';
import {
  automationDraftIdInputSchema,
  automationDraftSchema,
  automationLocalIdInputSchema,
  automationRunsLocalInputSchema,
  automationRunsViewSchema,
  automationRunViewSchema,
  automationsViewSchema,
  automationViewSchema,
  localAutomationSchema,
  recipesViewSchema,
  resolveAutomationDraftInputSchema,
  setEnabledLocalInputSchema,
  updateAutomationLocalInputSchema,
} from '../../../shared/localAutomations.js';
import { desktopSettingsViewSchema, setServerUrlInputSchema, setThemeInputSchema } from '../../../shared/desktopSettings.js';
import { integrationKeySchema } from '../../../shared/integrations/catalog.js';
import { rollbackInputSchema, versionsOutputSchema } from '../../../shared/integrations/versions.js';
import { credentialAgeOutputSchema, credentialPolicySchema, setCredentialPolicyInputSchema } from '../../../shared/integrations/credentialAge.js';
import {
  createMaintenanceInputSchema,
  endMaintenanceOutputSchema,
  maintenanceIdInputSchema,
  maintenanceListInputSchema,
  maintenanceListSchema,
  maintenanceWindowSchema,
} from '../../../shared/integrations/maintenance.js';
import { accessTokenCreatedSchema, accessTokenIdInputSchema, accessTokenListSchema, accessTokenViewSchema, createAccessTokenInputSchema } from '../../../shared/accessTokens.js';
import {
  inboundDeliveriesInputSchema,
  inboundDeliveryPageSchema,
  inboundEndpointCreatedSchema,
  inboundEndpointViewSchema,
  inboundKeyInputSchema,
  inboundReplayInputSchema,
  inboundReplayOutputSchema,
} from '../../../shared/integrations/inboundWebhooks.js';
import { webhookTestOutputSchema, webhookViewSchema } from '../../../shared/integrations/health.js';
import { webhookDeliveryPageSchema, webhookSavedSchema } from '../../../shared/integrations/alertWebhook.js';
import { healthCheckPageSchema } from '../../../shared/integrations/healthChecks.js';
import {
  alertDeliveriesInputSchema,
  alertWebhookFormSchema,
  healthChecksViewInputSchema,
  applyNowInputSchema,
  auditPageInputSchema,
  auditPageSchema,
  catalogItemSchema,
  draftIdInputSchema,
  draftSchema,
  externalLinkPolicySchema,
  fleetViewSchema,
  healthHistoryViewInputSchema,
  healthHistoryViewSchema,
  integrationViewSchema,
  localSyncStatusSchema,
  logoutInputSchema,
  partnerRefSchema,
  resolveConflictInputSchema,
  saveDraftInputSchema,
  saveOutcomeSchema,
  sessionStatusSchema,
  setReviewModeInputSchema,
  switchPartnerInputSchema,
  testConnectionInputSchema,
  testConnectionResultSchema,
  type LocalEvent,
  applyMappingsLocalInputSchema,
  applyMappingsLocalOutputSchema,
  clientIdLocalInputSchema,
  clientsViewSchema,
  createClientLocalInputSchema,
  discoveryRunViewSchema,
  integrationKeyInputSchema,
  mappingsViewSchema,
  renameClientLocalInputSchema,
  mappingDraftSchema,
  mappingDraftIdInputSchema,
  resolveMappingDraftInputSchema,
} from '../../../shared/localApi.js';
import { clientSchema } from '../../../shared/clients.js';
import { interactionDetailSchema, interactionIdInputSchema, interactionPageSchema, listInteractionsInputSchema } from '../../../shared/interactions.js';
import { actionRunResultSchema, ticketLinkSchema } from '../../../shared/actions.js';
import {
  actionIntentSchema,
  actionsViewInputSchema,
  actionsViewSchema,
  clientLinksInputSchema,
  composeUpdateInputSchema,
  createLinkLocalInputSchema,
  intentIdInputSchema,
  postOutcomeSchema,
  removeLinkLocalInputSchema,
  runReadInputSchema,
  ticketLinksViewSchema,
  ticketSearchInputSchema,
  ticketSearchViewSchema,
} from '../../../shared/localActions.js';
import { actionRequestSchema, composeRequestInputSchema, requestIdInputSchema, requestListInputSchema } from '../../../shared/localActionRequests.js';
import { connectionLocalViewSchema, oauthLocalKeyInputSchema, signInViewSchema } from '../../../shared/localOAuth.js';
import { clientTenantsInputSchema, clientTenantsViewSchema, consentTargetSchema, consentViewSchema } from '../../../shared/localMicrosoft365.js';
import { localProcedure as p, router } from './trpc.js';

// Outputs are declared so the renderer's types come from the shared schemas, and so nothing
// beyond them (a token, a secret) can slip out through a procedure.
const sessionRouter = router({
  status: p.output(sessionStatusSchema).query(({ ctx }) => ctx.services.session.status()),
  login: p.input(loginInputSchema).output(sessionStatusSchema).mutation(({ ctx, input }) => ctx.services.session.login(input)),
  logout: p.input(logoutInputSchema).output(sessionStatusSchema).mutation(({ ctx, input }) => ctx.services.session.logout(input.force)),
  partners: p.output(z.array(partnerRefSchema)).query(({ ctx }) => ctx.services.session.partners()),
  switchPartner: p.input(switchPartnerInputSchema).output(sessionStatusSchema).mutation(({ ctx, input }) => ctx.services.session.switchPartner(input.partnerId)),
});

const catalogRouter = router({
  list: p.output(z.array(catalogItemSchema)).query(({ ctx }) => ctx.services.catalog.list()),
  get: p.input(z.object({ key: integrationKeySchema })).output(integrationViewSchema).query(({ ctx, input }) => ctx.services.catalog.get(input.key)),
});

const auditRouter = router({
  /** The synced window, newest first, offline. */
  list: p.input(auditPageInputSchema).output(auditPageSchema).query(({ ctx, input }) => ctx.services.audit.cached(input)),
  /** Older pages from the server on demand (needs a connection). */
  older: p.input(auditPageInputSchema).output(auditPageSchema).query(({ ctx, input }) => ctx.services.audit.older(input)),
});

const draftsRouter = router({
  list: p.output(z.array(draftSchema)).query(({ ctx }) => ctx.services.drafts.list()),
  get: p.input(draftIdInputSchema).output(draftSchema).query(({ ctx, input }) => ctx.services.drafts.get(input.id)),
  save: p.input(saveDraftInputSchema).output(draftSchema).mutation(({ ctx, input }) => ctx.services.drafts.save(input)),
  /** The configuration form's save: drafted for review, or queued and sent (now, or on reconnect). */
  submit: p.input(saveDraftInputSchema).output(saveOutcomeSchema).mutation(({ ctx, input }) => ctx.services.drafts.submit(input)),
  review: p.input(draftIdInputSchema).output(draftSchema).mutation(({ ctx, input }) => ctx.services.drafts.review(input.id)),
  discard: p.input(draftIdInputSchema).mutation(({ ctx, input }) => ctx.services.drafts.discard(input.id)),
  // 'apply' is reserved by tRPC (Function.prototype.apply), hence applyDraft.
  applyDraft: p.input(draftIdInputSchema).output(draftSchema).mutation(({ ctx, input }) => ctx.services.drafts.applyDraft(input.id)),
  applyAll: p.output(z.array(draftSchema)).mutation(({ ctx }) => ctx.services.drafts.applyAll()),
  /** Review + queue + send now; answers after the attempt with each draft's state. */
  applyNow: p.input(applyNowInputSchema).output(z.array(draftSchema)).mutation(({ ctx, input }) => ctx.services.drafts.applyNow(input.ids)),
  resolve: p.input(resolveConflictInputSchema).output(draftSchema.nullable()).mutation(({ ctx, input }) => ctx.services.drafts.resolve(input)),
});

/** Calls that need the server: "Test connection" (admins of the own partner), version history, rollback and credential ages. */
const integrationsRouter = router({
  test: p.input(testConnectionInputSchema).output(testConnectionResultSchema).mutation(({ ctx, input }) => ctx.services.integrations.test(input.key, input.settings, { afterSave: input.afterSave === true })),
  versions: p.input(integrationKeyInputSchema).output(versionsOutputSchema).query(({ ctx, input }) => ctx.services.integrations.versions(input.key)),
  rollback: p.input(rollbackInputSchema).output(saveOutcomeSchema).mutation(({ ctx, input }) => ctx.services.integrations.rollback(input)),
  credentialAge: p.input(integrationKeyInputSchema).output(credentialAgeOutputSchema).query(({ ctx, input }) => ctx.services.integrations.credentialAge(input.key)),
  setCredentialPolicy: p.input(setCredentialPolicyInputSchema).output(credentialPolicySchema).mutation(({ ctx, input }) => ctx.services.integrations.setCredentialPolicy(input)),
});

/** Health history and the dev partner's fleet matrix: cached, refreshed from the server when online. */
const healthRouter = router({
  history: p.input(healthHistoryViewInputSchema).output(healthHistoryViewSchema).query(({ ctx, input }) => ctx.services.monitoring.history(input.key, input.range)),
  fleet: p.output(fleetViewSchema).query(({ ctx }) => ctx.services.monitoring.fleet()),
});

/**
 * The Alerts screen (partner admins) and the check list behind the sparkline: server calls,
 * online only. `setWebhook` and `rotateSecret` answer the generated secret once; it is not kept.
 */
const alertsRouter = router({
  webhook: p.output(webhookViewSchema).query(({ ctx }) => ctx.services.alerts.webhook()),
  setWebhook: p.input(alertWebhookFormSchema).output(webhookSavedSchema).mutation(({ ctx, input }) => ctx.services.alerts.setWebhook(input)),
  rotateSecret: p.output(webhookSavedSchema).mutation(({ ctx }) => ctx.services.alerts.rotateSecret()),
  testWebhook: p.output(webhookTestOutputSchema).mutation(({ ctx }) => ctx.services.alerts.testWebhook()),
  deliveries: p.input(alertDeliveriesInputSchema).output(webhookDeliveryPageSchema).query(({ ctx, input }) => ctx.services.alerts.deliveries(input)),
  checks: p.input(healthChecksViewInputSchema).output(healthCheckPageSchema).query(({ ctx, input }) => ctx.services.alerts.checks(input)),
});

/** Clients (partner admins change them) and each integration's mappings and discovery. */
const clientsRouter = router({
  list: p.output(clientsViewSchema).query(({ ctx }) => ctx.services.mappings.clients()),
  create: p.input(createClientLocalInputSchema).output(clientSchema).mutation(({ ctx, input }) => ctx.services.mappings.createClient(input.name)),
  rename: p.input(renameClientLocalInputSchema).output(clientSchema).mutation(({ ctx, input }) => ctx.services.mappings.renameClient(input)),
  archive: p.input(clientIdLocalInputSchema).output(clientSchema).mutation(({ ctx, input }) => ctx.services.mappings.archiveClient(input.id)),
});

const mappingsRouter = router({
  view: p.input(integrationKeyInputSchema).output(mappingsViewSchema).query(({ ctx, input }) => ctx.services.mappings.view(input.key)),
  applyBatch: p.input(applyMappingsLocalInputSchema).output(applyMappingsLocalOutputSchema).mutation(({ ctx, input }) => ctx.services.mappings.apply(input)),
  startDiscovery: p.input(integrationKeyInputSchema).output(discoveryRunViewSchema).mutation(({ ctx, input }) => ctx.services.mappings.startDiscovery(input.key)),
  discoveryRun: p.input(integrationKeyInputSchema).output(discoveryRunViewSchema).query(({ ctx, input }) => ctx.services.mappings.discoveryRun(input.key)),
  /** Edits made offline (Pending changes): discard one, or resolve a conflict keeping mine or theirs. */
  drafts: p.output(z.array(mappingDraftSchema)).query(({ ctx }) => ctx.services.mappings.drafts()),
  discardDraft: p.input(mappingDraftIdInputSchema).mutation(({ ctx, input }) => ctx.services.mappings.discardDraft(input.id)),
  resolveDraft: p.input(resolveMappingDraftInputSchema).mutation(({ ctx, input }) => ctx.services.mappings.resolveDraft(input.id, input.keep)),
});

/** The Activity tab: one integration's vendor calls and one call's redacted bodies (online only). */
const interactionsRouter = router({
  list: p.input(listInteractionsInputSchema).output(interactionPageSchema).query(({ ctx, input }) => ctx.services.interactions.list(input)),
  get: p.input(interactionIdInputSchema).output(interactionDetailSchema).query(({ ctx, input }) => ctx.services.interactions.get(input.id)),
});

/** The Actions tab's side-effectful requests, kept with their key until sent (issue 17). */
const actionRequestsRouter = router({
  list: p.input(requestListInputSchema).output(z.array(actionRequestSchema)).query(({ ctx, input }) => ctx.services.actionRequests.list(input)),
  get: p.input(requestIdInputSchema).output(actionRequestSchema).query(({ ctx, input }) => ctx.services.actionRequests.get(input.id)),
  compose: p.input(composeRequestInputSchema).output(actionRequestSchema).mutation(({ ctx, input }) => ctx.services.actionRequests.compose(input)),
  run: p.input(requestIdInputSchema).output(actionRequestSchema).mutation(({ ctx, input }) => ctx.services.actionRequests.run(input.id)),
  discard: p.input(requestIdInputSchema).mutation(({ ctx, input }) => ctx.services.actionRequests.discard(input.id)),
  retry: p.input(requestIdInputSchema).output(actionRequestSchema).mutation(({ ctx, input }) => ctx.services.actionRequests.retry(input.id)),
});

/** Integration actions: reads, and the guided ticket update kept as an intent until posted. */
const actionsRouter = router({
  list: p.input(actionsViewInputSchema).output(actionsViewSchema).query(({ ctx, input }) => ctx.services.actions.list(input)),
  tickets: p.input(ticketSearchInputSchema).output(ticketSearchViewSchema).query(({ ctx, input }) => ctx.services.actions.tickets(input)),
  runRead: p.input(runReadInputSchema).output(actionRunResultSchema).mutation(({ ctx, input }) => ctx.services.actions.runRead(input)),
  intents: p.input(z.object({ clientId: z.number().int().positive().optional() })).output(z.array(actionIntentSchema)).query(({ ctx, input }) => ctx.services.actions.intents(input)),
  intent: p.input(intentIdInputSchema).output(actionIntentSchema).query(({ ctx, input }) => ctx.services.actions.intent(input.id)),
  compose: p.input(composeUpdateInputSchema).output(actionIntentSchema).mutation(({ ctx, input }) => ctx.services.actions.compose(input)),
  post: p.input(intentIdInputSchema).output(postOutcomeSchema).mutation(({ ctx, input }) => ctx.services.actions.post(input.id)),
  review: p.input(intentIdInputSchema).output(actionIntentSchema).mutation(({ ctx, input }) => ctx.services.actions.review(input.id)),
  applyIntent: p.input(intentIdInputSchema).output(actionIntentSchema).mutation(({ ctx, input }) => ctx.services.actions.apply(input.id)),
  discard: p.input(intentIdInputSchema).mutation(({ ctx, input }) => ctx.services.actions.discard(input.id)),
  retry: p.input(intentIdInputSchema).output(actionIntentSchema).mutation(({ ctx, input }) => ctx.services.actions.retry(input.id)),
});

const ticketLinksRouter = router({
  list: p.input(clientLinksInputSchema).output(ticketLinksViewSchema).query(({ ctx, input }) => ctx.services.ticketLinks.list(input.clientId)),
  refresh: p.input(clientLinksInputSchema).output(ticketLinksViewSchema).mutation(({ ctx, input }) => ctx.services.ticketLinks.refresh(input.clientId)),
  create: p.input(createLinkLocalInputSchema).output(ticketLinkSchema).mutation(({ ctx, input }) => ctx.services.ticketLinks.create(input)),
  remove: p.input(removeLinkLocalInputSchema).mutation(({ ctx, input }) => ctx.services.ticketLinks.remove(input)),
});

const syncRouter = router({
  status: p.output(localSyncStatusSchema).query(({ ctx }) => ctx.services.sync.status()),
  now: p.output(localSyncStatusSchema).mutation(({ ctx }) => ctx.services.sync.now()),
  /** The window got focus (or the browser came back online): pull now. */
  focus: p.mutation(({ ctx }) => ctx.services.sync.focus()),
  /** Saves made online become drafts to review first (kept per cache). */
  setReviewMode: p.input(setReviewModeInputSchema).output(localSyncStatusSchema).mutation(({ ctx, input }) => ctx.services.sync.setReviewMode(input.on)),
});

/** OAuth2 connections: the server's view (cached for offline) and the desktop's sign-in. */
const oauthRouter = router({
  connection: p.input(oauthLocalKeyInputSchema).output(connectionLocalViewSchema).query(({ ctx, input }) => ctx.services.oauth.connection(input.key)),
  /** Opens the loopback listener and asks the server for the authorize URL; answers at once, the wait goes on in the core. */
  connect: p.input(oauthLocalKeyInputSchema).output(signInViewSchema).mutation(({ ctx, input }) => ctx.services.oauth.connect(input.key)),
  signIn: p.input(oauthLocalKeyInputSchema).output(signInViewSchema.nullable()).query(({ ctx, input }) => ctx.services.oauth.signIn(input.key)),
  cancel: p.input(oauthLocalKeyInputSchema).output(signInViewSchema.nullable()).mutation(({ ctx, input }) => ctx.services.oauth.cancel(input.key)),
  disconnect: p.input(oauthLocalKeyInputSchema).output(connectionLocalViewSchema).mutation(({ ctx, input }) => ctx.services.oauth.disconnect(input.key)),
  /** Opens the loopback listener and asks the server for the organization's consent page; the wait goes on in the core. */
  grantConsent: p.input(consentTargetSchema).output(consentViewSchema).mutation(({ ctx, input }) => ctx.services.oauth.grantConsent(input)),
  consent: p.input(consentTargetSchema).output(consentViewSchema.nullable()).query(({ ctx, input }) => ctx.services.oauth.consent(input)),
  cancelConsent: p.input(consentTargetSchema).output(consentViewSchema.nullable()).mutation(({ ctx, input }) => ctx.services.oauth.cancelConsent(input)),
});

/** A client's Microsoft 365 tenants, read through the plugin's actions (cached for offline). */
const microsoft365Router = router({
  clientTenants: p.input(clientTenantsInputSchema).output(clientTenantsViewSchema).query(({ ctx, input }) => ctx.services.microsoft365.clientTenants(input.clientId)),
});

/** Inbound webhooks (issue 18 §5): server calls for the own partner, online only; the secret is never cached. */
const inboundRouter = router({
  endpoint: p.input(inboundKeyInputSchema).output(inboundEndpointViewSchema).query(({ ctx, input }) => ctx.services.inbound.endpoint(input.key)),
  rotate: p.input(inboundKeyInputSchema).output(inboundEndpointCreatedSchema).mutation(({ ctx, input }) => ctx.services.inbound.rotate(input.key)),
  deliveries: p.input(inboundDeliveriesInputSchema).output(inboundDeliveryPageSchema).query(({ ctx, input }) => ctx.services.inbound.deliveries(input)),
  replay: p.input(inboundReplayInputSchema).output(inboundReplayOutputSchema).mutation(({ ctx, input }) => ctx.services.inbound.replay(input)),
});

/** AI assistant tokens (issue 25): the user's own, server calls, online only; a new token is never cached. */
const accessTokensRouter = router({
  list: p.output(accessTokenListSchema).query(({ ctx }) => ctx.services.accessTokens.list()),
  create: p.input(createAccessTokenInputSchema).output(accessTokenCreatedSchema).mutation(({ ctx, input }) => ctx.services.accessTokens.create(input)),
  revoke: p.input(accessTokenIdInputSchema).output(accessTokenViewSchema).mutation(({ ctx, input }) => ctx.services.accessTokens.revoke(input.id)),
});

/** Automations (issue 23): cached reads (with when they were read); edits kept offline and sent on reconnect; runs on the server, online only. */
const runStarted = z.object({ runId: z.number() });
const automationsRouter = router({
  list: p.output(automationsViewSchema).query(({ ctx }) => ctx.services.automations.list()),
  get: p.input(automationLocalIdInputSchema).output(automationViewSchema).query(({ ctx, input }) => ctx.services.automations.get(input.id)),
  runs: p.input(automationRunsLocalInputSchema).output(automationRunsViewSchema).query(({ ctx, input }) => ctx.services.automations.runs(input)),
  run: p.input(runIdInputSchema).output(automationRunViewSchema).query(({ ctx, input }) => ctx.services.automations.run(input.runId)),
  recipes: p.output(recipesViewSchema).query(({ ctx }) => ctx.services.automations.recipes()),
  create: p.input(createAutomationInputSchema).output(localAutomationSchema).mutation(({ ctx, input }) => ctx.services.automations.create(input)),
  update: p.input(updateAutomationLocalInputSchema).output(localAutomationSchema).mutation(({ ctx, input }) => ctx.services.automations.update(input)),
  setEnabled: p.input(setEnabledLocalInputSchema).output(localAutomationSchema).mutation(({ ctx, input }) => ctx.services.automations.setEnabled(input)),
  drafts: p.output(z.array(automationDraftSchema)).query(({ ctx }) => ctx.services.automations.drafts()),
  discardDraft: p.input(automationDraftIdInputSchema).mutation(({ ctx, input }) => ctx.services.automations.discardDraft(input.id)),
  resolveDraft: p.input(resolveAutomationDraftInputSchema).mutation(({ ctx, input }) => ctx.services.automations.resolveDraft(input.id, input.keep)),
  remove: p.input(automationIdInputSchema).mutation(({ ctx, input }) => ctx.services.automations.remove(input.id)),
  addRecipe: p.input(addRecipeInputSchema).output(automationSchema).mutation(({ ctx, input }) => ctx.services.automations.addRecipe(input.recipeId)),
  runNow: p.input(runNowInputSchema).output(runStarted).mutation(({ ctx, input }) => ctx.services.automations.runNow(input)),
  rerun: p.input(runIdInputSchema).output(runStarted).mutation(({ ctx, input }) => ctx.services.automations.rerun(input.runId)),
});

/**
 * What changed, pushed to the UI (over IPC in Electron, SSE in browser mode) so it refetches
 * instead of polling. The first event of every subscription names every topic.
 */
const eventsRouter = router({
  subscribe: p.subscription(async function* ({ ctx, signal }): AsyncGenerator<LocalEvent> {
    yield* ctx.services.events.stream(signal);
  }),
});

/** The server address (chosen at first run, changed in settings while signed out) and the theme. */
const settingsRouter = router({
  get: p.output(desktopSettingsViewSchema).query(({ ctx }) => ctx.services.settings.get()),
  setServerUrl: p.input(setServerUrlInputSchema).output(desktopSettingsViewSchema).mutation(({ ctx, input }) => ctx.services.settings.setServerUrl(input.serverUrl)),
  setTheme: p.input(setThemeInputSchema).output(desktopSettingsViewSchema).mutation(({ ctx, input }) => ctx.services.settings.setTheme(input.theme)),
});

const shellRouter = router({
  externalLinkPolicy: p.output(externalLinkPolicySchema).query(({ ctx }) => ({ allowedOrigins: ctx.services.shell.externalOrigins() })),
});

/** Maintenance windows (issue 18 §4): the server's, online only. */
const maintenanceRouter = router({
  list: p.input(maintenanceListInputSchema).output(maintenanceListSchema).query(({ ctx, input }) => ctx.services.maintenance.list(input?.key)),
  create: p.input(createMaintenanceInputSchema).output(maintenanceWindowSchema).mutation(({ ctx, input }) => ctx.services.maintenance.create(input)),
  end: p.input(maintenanceIdInputSchema).output(endMaintenanceOutputSchema).mutation(({ ctx, input }) => ctx.services.maintenance.end(input.id)),
});

/** The desktop core's local API: everything the renderer can ask for. */
export const localRouter = router({
  session: sessionRouter,
  catalog: catalogRouter,
  audit: auditRouter,
  drafts: draftsRouter,
  integrations: integrationsRouter,
  health: healthRouter,
  alerts: alertsRouter,
  clients: clientsRouter,
  mappings: mappingsRouter,
  interactions: interactionsRouter,
  actions: actionsRouter,
  actionRequests: actionRequestsRouter,
  ticketLinks: ticketLinksRouter,
  oauth: oauthRouter,
  microsoft365: microsoft365Router,
  maintenance: maintenanceRouter,
  inbound: inboundRouter,
  accessTokens: accessTokensRouter,
  automations: automationsRouter,
  sync: syncRouter,
  events: eventsRouter,
  settings: settingsRouter,
  shell: shellRouter,
});

export type LocalRouter = typeof localRouter;
