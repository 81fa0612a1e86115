import { z } from 'zod';
import { loginInputSchema, sessionUserSchema } from './auth.js';
import { errorCodes, fieldErrorsSchema } from './errors.js';
import { settingsViewSchema } from './integrations/fields.js';
import {
  auditActionSchema,
  auditEntrySchema,
  integrationDetailSchema,
  integrationKeySchema,
  integrationSummarySchema,
} from './integrations/catalog.js';
import { alertCursorSchema, fleetSchema, healthPointSchema, healthRangeSchema, setWebhookInputSchema, uptimeSchema } from './integrations/health.js';
import { maxDeliveryPageSize } from './integrations/alertWebhook.js';
import { checkResultSchema, maxCheckPageSize } from './integrations/healthChecks.js';
import { draftKindSchema } from './sync.js';
import { clientSchema, mappingSchema, newMappingSchema, suggestionSchema, clientNameSchema, externalOrgIdSchema, idParamSchema } from './clients.js';
import { discoveryRunSchema, snapshotOrganizationSchema, snapshotPageSchema } from './integrations/discovery.js';

/**
 * Inputs and outputs of the desktop core's local API (renderer → core), where they are not the
 * server's own schemas. The renderer reads only from here; it never talks to the server.
 */

/** Browser mode: the header every local API call carries the per-launch token in. */
export const launchTokenHeader = 'x-ic-launch-token';

/** Browser mode: the URL fragment key the core prints the launch token under (`#launch=…`). */
export const launchFragmentKey = 'launch';

export const draftStates = ['draft', 'reviewed', 'queued', 'applied', 'conflict', 'rejected'] as const;
export const draftStateSchema = z.enum(draftStates);
export type DraftState = z.infer<typeof draftStateSchema>;

/** Draft states that still hold user work (logout asks first while any exists). */
export const pendingDraftStates: readonly DraftState[] = ['draft', 'reviewed', 'queued', 'conflict', 'rejected'];

/** Non-secret values of a draft; secret fields appear only in `typedSecrets`. */
export const draftValuesSchema = z.record(z.string(), z.union([z.string().max(4096), z.boolean()]));
export type DraftValues = z.infer<typeof draftValuesSchema>;

export const draftErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  fields: fieldErrorsSchema.optional(),
});
export type DraftError = z.infer<typeof draftErrorSchema>;

/** A three-way merge of base, server-now and draft settings. */
export const mergePreviewSchema = z.object({
  /** Fields the draft changed and the server did not (or changed identically): the draft wins. */
  fromDraft: z.array(z.string()),
  /** Fields the server changed and the draft did not: the server's value is kept. */
  fromServer: z.array(z.string()),
  /** Fields both changed differently: the user chooses `mine` or `theirs`. */
  overlapping: z.array(z.string()),
});
export type MergePreview = z.infer<typeof mergePreviewSchema>;

/**
 * The change on the server a conflicting draft collides with, from the synced audit (`actor`
 * null when the audit row is not in the cache; `at` then from the configuration's updatedAt).
 */
export const serverChangeSchema = z.object({
  actor: z.string().nullable(),
  action: auditActionSchema.nullable(),
  at: z.iso.datetime().nullable(),
});
export type ServerChange = z.infer<typeof serverChangeSchema>;

export const draftSchema = z.object({
  id: z.number().int(),
  integrationKey: integrationKeySchema,
  kind: draftKindSchema,
  state: draftStateSchema,
  /** A rollback drafted offline (issue 18 §1): the version it restores; null for an edit. */
  restoreFrom: z.number().int().positive().nullable(),
  /** IntegrationState.version the draft started from (null: not configured then). */
  baseVersion: z.number().int().nullable(),
  /** Masked settings when the draft started. */
  base: settingsViewSchema.nullable(),
  values: draftValuesSchema,
  /** Secret fields with a value typed into this draft (kept encrypted, never returned). */
  typedSecrets: z.array(z.string()),
  /** The server's value when the last push came back as a conflict. */
  server: integrationDetailSchema.nullable(),
  /** Set in `conflict`: how base, server and draft combine. */
  merge: mergePreviewSchema.nullable(),
  /** Set in `conflict`: who last changed the integration on the server, and when. */
  serverChange: serverChangeSchema.nullable(),
  /** Set in `rejected` (or after a failed review): why. */
  error: draftErrorSchema.nullable(),
  mutationId: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Draft = z.infer<typeof draftSchema>;

/**
 * How a save from the form ended: applied on the server (with the integration as it is now), or
 * kept as a draft (offline, review mode, an open draft, or a conflict to resolve).
 */
export const saveOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('applied'), detail: integrationDetailSchema }),
  z.object({ outcome: z.literal('drafted'), draft: draftSchema }),
]);
export type SaveOutcome = z.infer<typeof saveOutcomeSchema>;

export const saveDraftInputSchema = z.object({
  integrationKey: integrationKeySchema,
  kind: draftKindSchema,
  /** For a secret: a new value, or the mask/blank to keep the stored one. */
  values: draftValuesSchema.default({}),
});
export type SaveDraftInput = z.input<typeof saveDraftInputSchema>;

export const draftIdInputSchema = z.object({ id: z.number().int().positive() });

/**
 * The one conflict vocabulary, from the screen to the outbox: `mine` keeps the draft's value,
 * `theirs` takes the server's.
 */
export const conflictChoices = ['mine', 'theirs'] as const;
export const conflictChoiceSchema = z.enum(conflictChoices);
export type ConflictChoice = z.infer<typeof conflictChoiceSchema>;

export const resolveConflictInputSchema = z.object({
  id: z.number().int().positive(),
  /** For each overlapping field: keep my draft value or take the server's. */
  choices: z.record(z.string(), conflictChoiceSchema).default({}),
  /** `theirs` discards the draft (the server's value stays); `mine` queues the merged change. */
  outcome: conflictChoiceSchema.default('mine'),
});
export type ResolveConflictInput = z.input<typeof resolveConflictInputSchema>;

/** A catalog card as the local cache shows it, with the open draft if any. */
export const catalogItemSchema = integrationSummarySchema.extend({
  draft: z.object({ id: z.number().int(), state: draftStateSchema }).nullable(),
});
export type CatalogItem = z.infer<typeof catalogItemSchema>;

export const integrationViewSchema = z.object({
  detail: integrationDetailSchema,
  draft: draftSchema.nullable(),
});
export type IntegrationView = z.infer<typeof integrationViewSchema>;

export const auditPageInputSchema = z.object({
  key: integrationKeySchema,
  /** Entries with a smaller id than this (keyset, newest first). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditPageInput = z.input<typeof auditPageInputSchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next page; null when this source has no more. */
  nextBefore: z.number().int().nullable(),
  /** `cache`: the synced window; `server`: older pages fetched on demand (needs a connection). */
  source: z.enum(['cache', 'server']),
  /**
   * The cached window ended at its limit, so the server may hold older entries (ask `audit.older`
   * with `before` = the last id). Absent or false: this is everything.
   */
  olderOnServer: z.boolean().optional(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

export const connectionStates = ['online', 'offline', 'unknown'] as const;

/** What the sync engine is doing now; `pushing` counts the mutations of the batch in flight. */
export const syncActivitySchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('idle') }),
  z.object({ phase: z.literal('pulling') }),
  z.object({ phase: z.literal('pushing'), done: z.number().int().min(0), total: z.number().int().min(0) }),
]);
export type SyncActivity = z.infer<typeof syncActivitySchema>;

export const syncStatusSchema = z.object({
  connection: z.enum(connectionStates),
  /** The token is missing or expired: sync waits until the user signs in again. */
  authRequired: z.boolean(),
  syncing: z.boolean(),
  lastSyncedAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  nextRetryAt: z.iso.datetime().nullable(),
  pendingMutations: z.number().int().min(0),
  serverVersion: z.number().int().min(0).nullable(),
  activity: syncActivitySchema,
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** `sync.status` as the local API answers it: the engine's status plus the drafts it cannot see. */
export const localSyncStatusSchema = syncStatusSchema.extend({
  /** Drafts still holding work (any state but applied). */
  pendingDrafts: z.number().int().min(0),
  /** Of those, the ones in conflict. */
  conflictDrafts: z.number().int().min(0),
  /** Saves made online also become drafts to review first (the admin's choice, kept per cache). */
  reviewMode: z.boolean(),
});
export type LocalSyncStatus = z.infer<typeof localSyncStatusSchema>;

export const tokenStorageKinds = ['safeStorage', 'file', 'memory'] as const;

export const sessionStatusSchema = z.object({
  /** `expired`: a cached user whose token is gone or expired; cache and drafts stay readable. */
  state: z.enum(['signedOut', 'signedIn', 'expired']),
  user: sessionUserSchema.nullable(),
  /** When the server token runs out; null without one. */
  expiresAt: z.iso.datetime().nullable(),
  /** Null until the server address is chosen (first run; see settings.get). */
  serverUrl: z.string().nullable(),
  /** Whose data is shown: the user's partner, or another one the dev partner looks at. */
  viewingPartnerId: z.number().int().nullable(),
  /** No drafts: a technician, or the dev partner looking at another partner. */
  readOnly: z.boolean(),
  tokenStorage: z.enum(tokenStorageKinds),
  /** Said to the user, e.g. "no OS keyring: you will sign in again after a restart". */
  tokenStorageNote: z.string().nullable(),
});
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const loginLocalInputSchema = loginInputSchema;

export const logoutInputSchema = z.object({
  /** Delete the cache even though drafts are pending (the UI asks first). */
  force: z.boolean().default(false),
});

/** A partner the dev partner may look at. */
export const partnerRefSchema = z.object({ id: z.number().int(), name: z.string() });
export type PartnerRef = z.infer<typeof partnerRefSchema>;

export const switchPartnerInputSchema = z.object({ partnerId: z.number().int().positive() });

/** Origins the shell may open in the system browser (https only). */
export const externalLinkPolicySchema = z.object({ allowedOrigins: z.array(z.string()) });

/** Reviews, queues and sends drafts now, then answers with each one's state after the attempt. */
export const applyNowInputSchema = z.object({
  /** Omitted: every draft still waiting to be applied (draft, reviewed, queued). */
  ids: z.array(z.number().int().positive()).max(200).optional(),
});
export type ApplyNowInput = z.input<typeof applyNowInputSchema>;

export const setReviewModeInputSchema = z.object({ on: z.boolean() });

/** "Test connection": the saved configuration, or unsaved values (a secret's mask or blank keeps the stored one). */
export const testConnectionInputSchema = z.object({
  key: integrationKeySchema,
  settings: draftValuesSchema.optional(),
  /** The check the app runs by itself right after a save (recorded as automatic; see the server's testInputSchema). */
  afterSave: z.boolean().optional(),
});
export type TestConnectionInput = z.input<typeof testConnectionInputSchema>;

export const testConnectionResultSchema = z.object({
  health: z.enum(['ok', 'degraded', 'error']),
  message: z.string().nullable(),
  checkedAt: z.iso.datetime(),
});
export type TestConnectionResult = z.infer<typeof testConnectionResultSchema>;

export const healthHistoryViewInputSchema = z.object({ key: integrationKeySchema, range: healthRangeSchema.optional() });
export type HealthHistoryViewInput = z.infer<typeof healthHistoryViewInputSchema>;

/** One integration's health history as the core last fetched it (shown offline too). */
export const healthHistoryViewSchema = z.object({
  key: integrationKeySchema,
  /** Oldest first. Empty until the server has checked it (or for another partner's integration). */
  points: z.array(healthPointSchema),
  /** The server's uptime over the range (number and bar from the same segments); null until fetched. */
  uptime: uptimeSchema.nullable(),
  /** When the core fetched it; null: never. */
  fetchedAt: z.iso.datetime().nullable(),
});
export type HealthHistoryView = z.infer<typeof healthHistoryViewSchema>;

/** The dev partner's fleet matrix as the core last fetched it (shown offline too). */
export const fleetViewSchema = z.object({
  fleet: fleetSchema.nullable(),
  fetchedAt: z.iso.datetime().nullable(),
});
export type FleetView = z.infer<typeof fleetViewSchema>;

/** What changed in the core, so the UI refetches those reads (and never polls). */
export const dataTopics = ['session', 'catalog', 'drafts', 'sync', 'fleet', 'mappings', 'connection', 'automations'] as const;
export const dataTopicSchema = z.enum(dataTopics);
export type DataTopic = z.infer<typeof dataTopicSchema>;

/** One event of `events.subscribe`; the first of every stream is `hello` with every topic (refetch all). */
export const localEventSchema = z.object({ topics: z.array(dataTopicSchema), hello: z.boolean().optional() });
export type LocalEvent = z.infer<typeof localEventSchema>;

// Alerts screen and check list (issue 22): server calls, online only, never cached.

/** The Alerts form: URL and enabled. The signing secret is generated by the server, never typed. */
export const alertWebhookFormSchema = setWebhookInputSchema.pick({ url: true }).extend({ enabled: z.boolean() });
export type AlertWebhookForm = z.infer<typeof alertWebhookFormSchema>;

export const alertDeliveriesInputSchema = z.object({
  limit: z.number().int().min(1).max(maxDeliveryPageSize).optional(),
  cursor: alertCursorSchema.optional(),
});
export type AlertDeliveriesInput = z.infer<typeof alertDeliveriesInputSchema>;

export const healthChecksViewInputSchema = z.object({
  key: integrationKeySchema,
  result: checkResultSchema.optional(),
  limit: z.number().int().min(1).max(maxCheckPageSize).optional(),
  cursor: alertCursorSchema.optional(),
});
export type HealthChecksViewInput = z.infer<typeof healthChecksViewInputSchema>;
// ---- Clients and mappings (issue 14 §6) ----


/** The partner's clients as the core last fetched them (shown offline too). */
export const clientsViewSchema = z.object({
  clients: z.array(clientSchema),
  /** Every mapping of every integration that has organizations, for the Clients screen. */
  mappings: z.array(mappingSchema),
  fetchedAt: z.iso.datetime().nullable(),
});
export type ClientsView = z.infer<typeof clientsViewSchema>;

export const createClientLocalInputSchema = z.object({ name: clientNameSchema });
export const renameClientLocalInputSchema = z.object({ id: idParamSchema, name: clientNameSchema, baseVersion: z.number().int().min(1).optional() });
export const clientIdLocalInputSchema = z.object({ id: idParamSchema });
export const integrationKeyInputSchema = z.object({ key: integrationKeySchema });

/** A mapping edit made offline, waiting to be sent (or in conflict with the server, or refused). */
export const mappingDraftStates = ['queued', 'applied', 'conflict', 'rejected'] as const;
export const mappingDraftSchema = z.object({
  id: z.number().int(),
  integrationKey: integrationKeySchema,
  externalOrgId: z.string(),
  externalOrgName: z.string(),
  /** The organization's client when the edit was made; null: it was unmapped. */
  baseClientId: z.number().int().nullable(),
  /** What the edit wants; null: unmap. */
  clientId: z.number().int().nullable(),
  state: z.enum(mappingDraftStates),
  /** In conflict: what the server holds now (null: unmapped there). */
  serverClientId: z.number().int().nullable(),
  /** Client names as last cached, for showing the edit (null: none, or not cached). */
  clientName: z.string().nullable(),
  baseClientName: z.string().nullable(),
  serverClientName: z.string().nullable(),
  error: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});
export type MappingDraft = z.infer<typeof mappingDraftSchema>;
export const mappingDraftIdInputSchema = z.object({ id: z.number().int() });
export const resolveMappingDraftInputSchema = z.object({ id: z.number().int(), keep: z.enum(['mine', 'theirs']) });

/**
 * One integration's Mappings tab: the latest snapshot of its organizations (every page), its
 * mappings, the server's suggestions for the unmapped ones and the clients to pick from.
 */
export const mappingsViewSchema = z.object({
  key: integrationKeySchema,
  snapshot: snapshotPageSchema.shape.snapshot,
  organizations: z.array(snapshotOrganizationSchema),
  mappings: z.array(mappingSchema),
  suggestions: z.array(suggestionSchema),
  clients: z.array(clientSchema),
  /** The newest discovery run (its progress while it runs, or why it failed). */
  run: discoveryRunSchema.nullable(),
  /** Null: never fetched (offline since sign-in). */
  fetchedAt: z.iso.datetime().nullable(),
  /** Edits of this integration made offline and not yet applied on the server. */
  drafts: z.array(mappingDraftSchema),
});
export type MappingsView = z.infer<typeof mappingsViewSchema>;

export const applyMappingsLocalInputSchema = z.object({
  key: integrationKeySchema,
  create: z.array(newMappingSchema).max(5_000).default([]),
  delete: z.array(externalOrgIdSchema).max(5_000).default([]),
});
export type ApplyMappingsLocalInput = z.input<typeof applyMappingsLocalInputSchema>;
/** Applied on the server now, or (offline) kept as drafts that the core sends when it is back. */
export const applyMappingsLocalOutputSchema = z.object({ created: z.number().int(), deleted: z.number().int(), queued: z.number().int() });
export type ApplyMappingsLocalOutput = z.infer<typeof applyMappingsLocalOutputSchema>;

export const discoveryRunViewSchema = z.object({ run: discoveryRunSchema.nullable() });
export type DiscoveryRunView = z.infer<typeof discoveryRunViewSchema>;
