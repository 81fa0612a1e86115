import { z } from 'zod';
import { errorCodes, fieldErrorsSchema } from './errors.js';
import { auditEntrySchema, integrationDetailSchema, integrationKeySchema } from './integrations/catalog.js';

/**
 * The sync wire protocol between the desktop core and the server (`sync.pull`, `sync.push`).
 *
 * Pull: the server keeps a per-partner monotonic version (partner_sync_state, bumped under a row
 * lock by every writing transaction). A pull returns the changes after the client's cursor in
 * `(version, id)` order, one keyset page at a time, each page read in one snapshot. The cursor is
 * opaque to the client: the server encodes in it whatever it needs (last `(version, id)`, the
 * catalog/schema fingerprint) and answers `reset: true` when it cannot continue from it.
 *
 * Push: each client numbers its mutations 1, 2, 3… The server applies each exactly once per
 * `(clientId, id)` (sync_clients / sync_mutations), returns the stored result for a replay and
 * refuses a gap. Conflicts and rejections are results, not errors: they advance the queue (a
 * technician's mutations come back `rejected` with FORBIDDEN). A client id is bound to the
 * partner and user that first pushed with it; anyone else using it gets 403.
 */

/** A random id the desktop core makes once per cache database (UUID v4). */
export const clientIdSchema = z.uuid();

/** Opaque to the client; at most this long so a hostile value cannot bloat a request. */
export const syncCursorSchema = z.string().min(1).max(512);

/** How many audit rows per integration a client keeps; older ones are fetched on demand. */
export const defaultAuditWindow = 500;

/** Page size when a pull does not say (clients leave defaults out: most pulls are tiny). */
export const defaultPullLimit = 500;

export const pullRequestSchema = z.object({
  clientId: clientIdSchema,
  /** null on first sync (and after a reset): everything from the start. */
  cursor: syncCursorSchema.nullable(),
  /** Page size in changes. */
  limit: z.number().int().min(1).max(1000).default(defaultPullLimit),
  /**
   * Audit rows are sent only if they are among the newest `auditWindow` of their integration at
   * the snapshot; a first sync of 50,000 audit rows then moves only the window.
   */
  auditWindow: z.number().int().min(0).max(1000).default(defaultAuditWindow),
});
export type PullRequest = z.input<typeof pullRequestSchema>;

/** The dev partner's read-only pull of another partner (a separate dev-only procedure, `sync.pullPartner`). */
export const devPullRequestSchema = pullRequestSchema.extend({ partnerId: z.number().int().positive() });
export type DevPullRequest = z.input<typeof devPullRequestSchema>;

/** Every change carries its place in the keyset order. `id` is unique per entity within a partner. */
const changeBase = {
  /** The partner's sync version at which this row was last written (0: catalog baseline). */
  version: z.number().int().min(0),
  /** Tie-breaker within a version, e.g. `integration:syncro`, `audit:123`. */
  id: z.string().min(1).max(200),
};

/**
 * An integration as the detail view shows it: catalog entry with field specs, this partner's
 * state and masked settings (secrets only as `{isSet, last4}`). A first sync (or a reset) starts
 * with the catalog baseline: one for every catalog entry at version 0, with its state at that
 * page's snapshot, so the client holds every entry before any tombstone names one; configured
 * entries then come again at the version of their last write.
 */
export const integrationChangeSchema = z.object({
  ...changeBase,
  kind: z.literal('integration'),
  detail: integrationDetailSchema,
});

/** Tombstone: this partner's configuration of `key` was deleted (the catalog entry stays). */
export const integrationDeletedChangeSchema = z.object({
  ...changeBase,
  kind: z.literal('integration_deleted'),
  key: integrationKeySchema,
});

/** An audit row (append-only, so it has no tombstone). */
export const auditChangeEntrySchema = z.object({
  ...changeBase,
  kind: z.literal('audit'),
  entry: auditEntrySchema,
});

export const syncChangeSchema = z.discriminatedUnion('kind', [
  integrationChangeSchema,
  integrationDeletedChangeSchema,
  auditChangeEntrySchema,
]);
export type SyncChange = z.infer<typeof syncChangeSchema>;

export const pullResponseSchema = z.object({
  /**
   * true: the cursor was too old, unknown, or the catalog/schema changed. The client must drop
   * its mirrors (never drafts or outbox) and apply `changes` as the first page of a full sync.
   */
  reset: z.boolean().optional(),
  /** In ascending `(version, id)` order. */
  changes: z.array(syncChangeSchema),
  /** Where the next pull continues; store it in the same transaction as the page. */
  nextCursor: syncCursorSchema,
  hasMore: z.boolean(),
  /** The partner's version at this page's snapshot. */
  serverVersion: z.number().int().min(0),
  /** The highest mutation id of this client the server has applied (0 if none). */
  lastMutationId: z.number().int().min(0),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** What a draft can be: create, change or delete a configuration (a rollback is a change). */
export const draftKinds = ['configure', 'reconfigure', 'delete'] as const;
export const draftKindSchema = z.enum(draftKinds);
export type DraftKind = z.infer<typeof draftKindSchema>;

/**
 * What a push can carry: a draft's kind, or `rollback` (issue 18 §1), which restores version
 * `toVersion` on the server. A rollback is sent by version, not by value: old secrets exist only
 * as the server's ciphertexts, so only the server can put them back.
 */
export const mutationKinds = [...draftKinds, 'rollback'] as const;
export const mutationKindSchema = z.enum(mutationKinds);
export type MutationKind = z.infer<typeof mutationKindSchema>;

/** Settings as a client sends them (secrets in clear over TLS; the mask or blank keeps the stored one). */
const settingsInputSchema = z.record(z.string(), z.union([z.string().max(4096), z.boolean()]));

export const mutationSchema = z.object({
  /** Per-client sequential: the first is 1, each next one is the previous + 1. */
  id: z.number().int().positive(),
  kind: mutationKindSchema,
  integrationKey: integrationKeySchema,
  /**
   * The configuration version the draft started from (IntegrationState.version); null when
   * there was no configuration. A different current version makes the result a conflict.
   */
  baseVersion: z.number().int().positive().nullable(),
  /** Required for configure/reconfigure, absent for delete and rollback. */
  settings: settingsInputSchema.optional(),
  /** Required for rollback: the version to restore. */
  toVersion: z.number().int().positive().max(2_147_483_647).optional(),
});
export type Mutation = z.infer<typeof mutationSchema>;

export const maxMutationsPerPush = 100;

export const pushRequestSchema = z.object({
  clientId: clientIdSchema,
  /** Ascending, consecutive ids. The first must be ≤ lastMutationId + 1 (lower ones are replays). */
  mutations: z.array(mutationSchema).min(1).max(maxMutationsPerPush),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const appliedResultSchema = z.object({
  id: z.number().int().positive(),
  result: z.literal('applied'),
  /** The configuration version after the change (null after a delete). */
  version: z.number().int().positive().nullable(),
});

export const conflictResultSchema = z.object({
  id: z.number().int().positive(),
  result: z.literal('conflict'),
  message: z.string(),
  /** The server's current value (masked), to show beside base and draft. */
  current: integrationDetailSchema,
  /**
   * Settings keys the server changed after `baseVersion` (from its audit trail). The client also
   * compares base and current itself, so an empty list means "not known", never "none".
   */
  conflictFields: z.array(z.string()),
});

export const rejectedResultSchema = z.object({
  id: z.number().int().positive(),
  result: z.literal('rejected'),
  /** An error code of shared/errors.ts (VALIDATION_FAILED, FORBIDDEN, NOT_FOUND, …). */
  code: z.enum(errorCodes),
  message: z.string(),
  fields: fieldErrorsSchema.optional(),
});

export const mutationResultSchema = z.discriminatedUnion('result', [
  appliedResultSchema,
  conflictResultSchema,
  rejectedResultSchema,
]);
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.object({
  /**
   * One result per mutation, in order, for a prefix of the request: on a transient failure
   * (database unavailable, vendor timeout in a configure hook) the server stops and the client
   * retries the rest later. Replays carry the stored result.
   */
  results: z.array(mutationResultSchema),
  lastMutationId: z.number().int().min(0),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

/**
 * The error `sync.push` answers (409 CONFLICT) when the first mutation id is above
 * lastMutationId + 1: `details` of the API error body.
 */
export const mutationGapDetailsSchema = z.object({
  reason: z.literal('mutation_gap'),
  lastMutationId: z.number().int().min(0),
});
export type MutationGapDetails = z.infer<typeof mutationGapDetailsSchema>;

/**
 * The error `sync.pull` and `sync.push` answer (403 FORBIDDEN) when the client id is bound to
 * another user or partner (a cache file copied between users): the client starts over under a
 * new client id, renumbering its outbox, instead of retrying forever.
 */
export const clientTakenDetailsSchema = z.object({ reason: z.literal('client_taken') });
export type ClientTakenDetails = z.infer<typeof clientTakenDetailsSchema>;

/**
 * What the change notification (`sync.changes`, a tRPC subscription over SSE) sends: "pull
 * now". The first event of every connection is the partner's current version, so a client that
 * reconnects pulls whatever it missed; `serverVersion` is a hint, the pull is what counts.
 */
export const syncPokeSchema = z.object({ serverVersion: z.number().int().min(0) });
export type SyncPoke = z.infer<typeof syncPokeSchema>;
