import { AppError } from '../../../shared/errors.js';
import type { CatalogItem, LocalSyncStatus } from '../../../shared/localApi.js';
import { auditPageInputSchema } from '../../../shared/localApi.js';
import { defaultAuditWindow } from '../../../shared/sync.js';
import { auditFromCache, getIntegration, listIntegrations } from '../cache/pulledCatalog.js';
import { getPreference, setPreference } from '../cache/preferences.js';
import type { CacheDb } from '../db/types.js';
import { countPendingDrafts, getOpenDraftRow, listDraftRows, toDraft } from '../drafts/draftRows.js';
import { discardDraft, requireRow, reviewDraft, saveDraft } from '../drafts/drafts.js';
import { queueAllReviewed, queueDraft, resolveConflict } from '../drafts/outbox.js';
import type { SecretBox } from '../secrets/secretBox.js';
import type { ServerExtras } from '../server/contract.js';
import { applyNow } from '../services/applyNow.js';
import { submitChange } from '../services/submitChange.js';
import { CoreEvents } from '../services/events.js';
import type { MonitoringService } from '../services/monitoring.js';
import type { AlertsService } from '../services/alerts.js';
import type { InteractionsService } from '../services/interactions.js';
import type { MappingsService } from '../services/mappings.js';
import type { ActionsService } from '../services/actions.js';
import type { OAuthService } from '../services/oauthConnect.js';
import type { AdminConsentService } from '../services/adminConsent.js';
import type { ClientTenantsService } from '../services/clientTenants.js';
import type { VersionsService } from '../services/versions.js';
import type { MaintenanceService } from '../services/maintenance.js';
import type { InboundService } from '../services/inbound.js';
import type { AccessTokensService } from '../services/accessTokens.js';
import type { AutomationsService } from '../services/automations.js';
import type { DesktopSession } from '../session/session.js';
import { createSettingsService, type SettingsService } from '../settings/desktopSettings.js';
import type { LocalServices } from './contract.js';

/** What the local API needs beyond the session: server monitoring calls and the UI's event stream. */
export interface LocalServiceParts {
  monitoring?: MonitoringService;
  alerts?: AlertsService;
  mappings?: MappingsService;
  interactions?: InteractionsService;
  actions?: ActionsService;
  oauth?: OAuthService;
  consent?: AdminConsentService;
  clientTenants?: ClientTenantsService;
  versions?: VersionsService;
  maintenance?: MaintenanceService;
  inbound?: InboundService;
  accessTokens?: AccessTokensService;
  automations?: AutomationsService;
  events?: CoreEvents;
}

const unavailable = (what: string) => () => Promise.reject(new AppError('UNAVAILABLE', `${what} is not available in this app`));

function requireActions(parts: LocalServiceParts): ActionsService {
  if (!parts.actions) throw new AppError('UNAVAILABLE', 'Ticket updates are not available in this app');
  return parts.actions;
}

/** Drafts in this cache still holding work, and how many of them conflict. */
function draftCounts(db: CacheDb): { pendingDrafts: number; conflictDrafts: number } {
  const conflicts =
    (db.prepare("SELECT count(*) AS n FROM drafts WHERE state = 'conflict'").get() as { n: number }).n +
    (db.prepare("SELECT count(*) AS n FROM mapping_drafts WHERE state = 'conflict'").get() as { n: number }).n +
    (db.prepare("SELECT count(*) AS n FROM automation_drafts WHERE state = 'conflict'").get() as { n: number }).n;
  return { pendingDrafts: countPendingDrafts(db), conflictDrafts: conflicts };
}

/** The local API over the session's open cache. Writes go through the draft lifecycle only. */
export function createLocalServices(
  session: DesktopSession,
  box: SecretBox,
  extras: ServerExtras = {},
  settings: SettingsService = createSettingsService({ session }),
  parts: LocalServiceParts = {},
): LocalServices {
  const events = parts.events ?? new CoreEvents();
  const cache = () => session.requireCache();
  const writable = () => session.requireWritable();
  /** Applying a change starts a sync without making the UI wait for the network. */
  const kick = () => void writable().engine.requestSync();
  /** A local write changed drafts (and the catalog cards that show them, and the pending count). */
  const wrote = <T>(value: T): T => {
    events.emit('drafts', 'catalog', 'sync');
    return value;
  };
  const syncStatus = (): LocalSyncStatus => {
    const { db, engine } = cache();
    return { ...engine.status(), ...draftCounts(db), reviewMode: getPreference(db, 'reviewMode') === 'on' };
  };
  return {
    session: {
      status: () => session.status(),
      login: (input) => session.login(input),
      logout: (force) => session.logout(force),
      switchPartner: (partnerId) => session.switchPartner(partnerId),
      partners: async () => {
        if (!extras.listPartners) throw new AppError('UNAVAILABLE', 'This server does not offer other partners yet');
        return extras.listPartners();
      },
    },
    catalog: {
      list: () => {
        const { db } = cache();
        const open = new Map(listDraftRows(db).filter((r) => r.state !== 'applied').map((r) => [r.integration_key, { id: r.id, state: r.state }]));
        return listIntegrations(db).map(({ fields: _fields, settings: _settings, ...summary }): CatalogItem => ({ ...summary, draft: open.get(summary.key) ?? null }));
      },
      get: (key) => {
        const { db } = cache();
        const detail = getIntegration(db, key);
        if (!detail) throw new AppError('NOT_FOUND', 'Unknown integration');
        const row = getOpenDraftRow(db, key);
        return { detail, draft: row ? toDraft(db, row) : null };
      },
    },
    audit: {
      cached: (raw) => {
        const input = auditPageInputSchema.parse(raw);
        const { db } = cache();
        const rows = auditFromCache(db, input.key, input.before, input.limit + 1);
        const entries = rows.slice(0, input.limit);
        const more = rows.length > input.limit;
        // Pull keeps only the newest window of each integration: a full window may have older rows on the server.
        const cached = (db.prepare('SELECT count(*) AS n FROM mirror_audit WHERE integration_key = ?').get(input.key) as { n: number }).n;
        return { entries, nextBefore: more ? (entries.at(-1)?.id ?? null) : null, source: 'cache', olderOnServer: !more && cached >= defaultAuditWindow };
      },
      older: async (raw) => {
        const input = auditPageInputSchema.parse(raw);
        if (!extras.auditOlder) throw new AppError('UNAVAILABLE', 'Older entries cannot be fetched from this server yet');
        return extras.auditOlder({ key: input.key, before: input.before ?? Number.MAX_SAFE_INTEGER, limit: input.limit });
      },
    },
    drafts: {
      list: () => {
        const { db } = cache();
        return listDraftRows(db).map((r) => toDraft(db, r));
      },
      get: (id) => {
        const { db } = cache();
        return toDraft(db, requireRow(db, id));
      },
      save: (input) => wrote(saveDraft(writable().db, box, input)),
      submit: async (input) => {
        const open = writable();
        try {
          return await submitChange(open, box, input);
        } finally {
          // Whatever the outcome (a refusal drops the draft), drafts and counts changed.
          events.emit('drafts', 'catalog', 'sync');
        }
      },
      review: (id) => wrote(reviewDraft(writable().db, box, id)),
      discard: (id) => wrote(discardDraft(writable().db, id)),
      applyDraft: async (id) => {
        const draft = wrote(queueDraft(writable().db, id));
        kick();
        return draft;
      },
      applyAll: async () => {
        const drafts = wrote(queueAllReviewed(writable().db));
        if (drafts.length > 0) kick();
        return drafts;
      },
      applyNow: async (ids) => {
        const open = writable();
        events.emit('drafts', 'sync');
        return wrote(await applyNow(open, box, ids));
      },
      resolve: async (input) => {
        const draft = wrote(resolveConflict(writable().db, input));
        if (draft?.state === 'queued') kick();
        return draft;
      },
    },
    integrations: {
      test: (key, values, options) => (parts.monitoring ? parts.monitoring.test(key, values, options) : unavailable('Testing a connection')()),
      versions: (key) => (parts.versions ? parts.versions.versions(key) : unavailable('Version history')()),
      rollback: (input) => (parts.versions ? parts.versions.rollback(input) : unavailable('Rolling back')()),
      credentialAge: (key) => (parts.versions ? parts.versions.credentialAge(key) : unavailable('Credential age')()),
      setCredentialPolicy: (input) => (parts.versions ? parts.versions.setCredentialPolicy(input) : unavailable('Changing the credential limit')()),
    },
    monitoring: {
      history: (key, range) => (parts.monitoring ? parts.monitoring.history(key, range) : unavailable('Health history')()),
      fleet: () => (parts.monitoring ? parts.monitoring.fleet() : unavailable('The fleet view')()),
    },
    alerts: {
      webhook: () => (parts.alerts ? parts.alerts.webhook() : unavailable('The alert webhook')()),
      setWebhook: (input) => (parts.alerts ? parts.alerts.setWebhook(input) : unavailable('The alert webhook')()),
      rotateSecret: () => (parts.alerts ? parts.alerts.rotateSecret() : unavailable('The alert webhook')()),
      testWebhook: () => (parts.alerts ? parts.alerts.testWebhook() : unavailable('The alert webhook')()),
      deliveries: (input) => (parts.alerts ? parts.alerts.deliveries(input) : unavailable('Webhook deliveries')()),
      checks: (input) => (parts.alerts ? parts.alerts.checks(input) : unavailable('The check list')()),
    },
    interactions: {
      list: (input) => (parts.interactions ? parts.interactions.list(input) : unavailable('The activity log')()),
      get: (id) => (parts.interactions ? parts.interactions.get(id) : unavailable('The activity log')()),
    },
    mappings: {
      clients: () => (parts.mappings ? parts.mappings.clients() : unavailable('Clients')()),
      createClient: (name) => (parts.mappings ? parts.mappings.createClient(name) : unavailable('Clients')()),
      renameClient: (input) => (parts.mappings ? parts.mappings.renameClient(input) : unavailable('Clients')()),
      archiveClient: (id) => (parts.mappings ? parts.mappings.archiveClient(id) : unavailable('Clients')()),
      view: (key) => (parts.mappings ? parts.mappings.view(key) : unavailable('Mappings')()),
      apply: (input) => (parts.mappings ? parts.mappings.apply(input) : unavailable('Mappings')()),
      startDiscovery: (key) => (parts.mappings ? parts.mappings.startDiscovery(key) : unavailable('Discovery')()),
      discoveryRun: (key) => (parts.mappings ? parts.mappings.discoveryRun(key) : unavailable('Discovery')()),
      drafts: () => parts.mappings?.drafts() ?? [],
      discardDraft: (id) => {
        if (!parts.mappings) throw new AppError('UNAVAILABLE', 'Mappings are not available in this app');
        parts.mappings.discardDraft(id);
      },
      resolveDraft: (id, keep) => (parts.mappings ? parts.mappings.resolveDraft(id, keep) : unavailable('Mappings')()),
    },
    actions: {
      list: (input) => (parts.actions ? parts.actions.list(input) : unavailable('Actions')()),
      tickets: (input) => (parts.actions ? parts.actions.tickets(input) : unavailable('Tickets')()),
      runRead: (input) => (parts.actions ? parts.actions.runRead(input) : unavailable('Actions')()),
      intents: (filter) => parts.actions?.intents(filter) ?? [],
      intent: (id) => requireActions(parts).intent(id),
      compose: (input) => requireActions(parts).compose(input),
      post: (id) => (parts.actions ? parts.actions.post(id) : unavailable('Ticket updates')()),
      review: (id) => requireActions(parts).review(id),
      apply: (id) => (parts.actions ? parts.actions.apply(id) : unavailable('Ticket updates')()),
      discard: (id) => requireActions(parts).discard(id),
      retry: (id) => (parts.actions ? parts.actions.retry(id) : unavailable('Ticket updates')()),
    },
    actionRequests: {
      list: (filter) => parts.actions?.requests.list(filter) ?? [],
      get: (id) => requireActions(parts).requests.get(id),
      compose: (input) => (parts.actions ? parts.actions.requests.compose(input) : unavailable('Actions')()),
      run: (id) => (parts.actions ? parts.actions.requests.run(id) : unavailable('Actions')()),
      discard: (id) => requireActions(parts).requests.discard(id),
      retry: (id) => (parts.actions ? parts.actions.requests.retry(id) : unavailable('Actions')()),
    },
    ticketLinks: {
      list: (clientId) => (parts.actions ? parts.actions.links.list(clientId) : unavailable('Ticket links')()),
      refresh: (clientId) => (parts.actions ? parts.actions.links.refresh(clientId) : unavailable('Ticket links')()),
      create: (input) => (parts.actions ? parts.actions.links.create(input) : unavailable('Ticket links')()),
      remove: (input) => (parts.actions ? parts.actions.links.remove(input) : unavailable('Ticket links')()),
    },
    maintenance: {
      list: (key) => (parts.maintenance ? parts.maintenance.list(key) : unavailable('Maintenance windows')()),
      create: (input) => (parts.maintenance ? parts.maintenance.create(input) : unavailable('Scheduling maintenance')()),
      end: (id) => (parts.maintenance ? parts.maintenance.end(id) : unavailable('Ending maintenance')()),
    },
    oauth: {
      connection: (key) => (parts.oauth ? parts.oauth.connection(key) : unavailable('OAuth connections')()),
      connect: (key) => (parts.oauth ? parts.oauth.connect(key) : unavailable('Connecting')()),
      signIn: (key) => parts.oauth?.signIn(key) ?? null,
      cancel: async (key) => (parts.oauth ? parts.oauth.cancel(key) : null),
      disconnect: (key) => (parts.oauth ? parts.oauth.disconnect(key) : unavailable('Disconnecting')()),
      grantConsent: (target) => (parts.consent ? parts.consent.grant(target) : unavailable('Granting consent')()),
      consent: (target) => parts.consent?.consent(target) ?? null,
      cancelConsent: async (target) => (parts.consent ? parts.consent.cancel(target) : null),
    },
    microsoft365: {
      clientTenants: (clientId) => (parts.clientTenants ? parts.clientTenants.clientTenants(clientId) : unavailable('Microsoft 365 tenants')()),
    },
    inbound: {
      endpoint: (key) => (parts.inbound ? parts.inbound.endpoint(key) : unavailable('Inbound webhooks')()),
      rotate: (key) => (parts.inbound ? parts.inbound.rotate(key) : unavailable('Inbound webhooks')()),
      deliveries: (input) => (parts.inbound ? parts.inbound.deliveries(input) : unavailable('Inbound webhooks')()),
      replay: (input) => (parts.inbound ? parts.inbound.replay(input) : unavailable('Inbound webhooks')()),
    },
    accessTokens: {
      list: () => (parts.accessTokens ? parts.accessTokens.list() : unavailable('AI assistant tokens')()),
      create: (input) => (parts.accessTokens ? parts.accessTokens.create(input) : unavailable('AI assistant tokens')()),
      revoke: (id) => (parts.accessTokens ? parts.accessTokens.revoke(id) : unavailable('AI assistant tokens')()),
    },
    automations: {
      list: () => (parts.automations ? parts.automations.list() : unavailable('Automations')()),
      get: (id) => (parts.automations ? parts.automations.get(id) : unavailable('Automations')()),
      runs: (input) => (parts.automations ? parts.automations.runs(input) : unavailable('Automations')()),
      run: (runId) => (parts.automations ? parts.automations.run(runId) : unavailable('Automations')()),
      recipes: () => (parts.automations ? parts.automations.recipes() : unavailable('Automations')()),
      create: (input) => (parts.automations ? parts.automations.create(input) : unavailable('Automations')()),
      update: (input) => (parts.automations ? parts.automations.update(input) : unavailable('Automations')()),
      setEnabled: (input) => (parts.automations ? parts.automations.setEnabled(input) : unavailable('Automations')()),
      remove: (id) => (parts.automations ? parts.automations.remove(id) : unavailable('Automations')()),
      addRecipe: (recipeId) => (parts.automations ? parts.automations.addRecipe(recipeId) : unavailable('Automations')()),
      runNow: (input) => (parts.automations ? parts.automations.runNow(input) : unavailable('Automations')()),
      rerun: (runId) => (parts.automations ? parts.automations.rerun(runId) : unavailable('Automations')()),
      drafts: () => parts.automations?.drafts() ?? [],
      discardDraft: (id) => {
        if (!parts.automations) throw new AppError('UNAVAILABLE', 'Automations are not available in this app');
        parts.automations.discardDraft(id);
      },
      resolveDraft: (id, keep) => (parts.automations ? parts.automations.resolveDraft(id, keep) : unavailable('Automations')()),
    },
    sync: {
      status: syncStatus,
      now: async () => {
        await cache().engine.requestSync();
        return syncStatus();
      },
      focus: () => cache().engine.notifyFocus(),
      setReviewMode: (on) => {
        setPreference(writable().db, 'reviewMode', on ? 'on' : 'off');
        events.emit('sync');
        return syncStatus();
      },
    },
    events: {
      stream: (signal) => events.stream(signal),
    },
    settings,
    shell: {
      externalOrigins: () => {
        const origins = new Set<string>();
        const { db } = cache();
        for (const d of listIntegrations(db)) {
          for (const url of [d.docsUrl, ...d.links.map((l) => l.url)]) {
            if (url?.startsWith('https://')) origins.add(new URL(url).origin);
          }
        }
        return [...origins].sort();
      },
      // Sign-ins' and consents' pages, each exactly and only while it waits (a consent page's origin,
      // Microsoft's login host, is never allowed as such: not for other integrations, nor other URLs).
      signInUrls: () => [...(parts.oauth?.signInUrls() ?? []), ...(parts.consent?.consentUrls() ?? [])],
    },
  };
}
