import { z } from 'zod';
import { actionDescriptorSchema, actionIdSchema, ticketLinkSchema, ticketLinkTypeSchema } from './actions.js';
import { backupSummarySchema } from './actions/msp360.js';
import { syncroTicketSummarySchema } from './actions/syncro.js';
import { integrationKeyParamSchema } from './integrations/api.js';

/**
 * The desktop's local API for integration actions (issue 15 §5): the guided ticket update as an
 * *action intent* kept in the cache with its idempotency key (made once, when the update is
 * composed), and the client's ticket links. The server's own shapes come from shared/actions.ts.
 */

const clientId = z.number('Client id must be a number').int().positive();

/**
 * draft → reviewed → queued → sent | failed | needs_attention. `failed`: the server refused the
 * update itself (invalid, not allowed); `needs_attention`: the vendor refused or the action is
 * unavailable now (not mapped, in Error): fix it and retry, or discard.
 */
export const intentStates = ['draft', 'reviewed', 'queued', 'sent', 'failed', 'needs_attention'] as const;
export const intentStateSchema = z.enum(intentStates);
export type IntentState = z.infer<typeof intentStateSchema>;

/** Intent states that still hold work (Pending changes lists them; sign-out asks first). */
export const openIntentStates: readonly IntentState[] = ['draft', 'reviewed', 'queued', 'failed', 'needs_attention'];

export const intentStepKinds = ['comment', 'attach_report', 'add_time'] as const;
export const intentStepKindSchema = z.enum(intentStepKinds);
export type IntentStepKind = z.infer<typeof intentStepKindSchema>;

/** The ticket an update goes to, as it was listed when picked. */
export const intentTicketSchema = syncroTicketSummarySchema.pick({ id: true, number: true, subject: true, status: true, url: true });
export type IntentTicket = z.infer<typeof intentTicketSchema>;

export const intentStepSchema = z.object({
  kind: intentStepKindSchema,
  actionId: actionIdSchema,
  /** The key this step is sent with, every time (`<intent>:comment`, a new suffix only after a retry the user asked for). */
  idempotencyKey: z.string(),
  state: z.enum(['pending', 'sent', 'failed']),
  /** The vendor's id of what the step made: the comment's or the time entry's. */
  vendorId: z.string().nullable(),
  /** What the vendor answered, in words ("Comment 123", "Attached report.csv, report.html"). */
  outcome: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
});
export type IntentStep = z.infer<typeof intentStepSchema>;

export const actionIntentSchema = z.object({
  id: z.number().int(),
  /** Made once when the update was composed; each step's key starts with it. */
  key: z.string(),
  clientId: z.number().int(),
  clientName: z.string(),
  integrationKey: z.string(),
  ticket: intentTicketSchema,
  state: intentStateSchema,
  /** Everything that will be sent, for Review and Pending changes. */
  comment: z.object({ subject: z.string(), body: z.string(), hidden: z.boolean() }),
  report: z.object({ from: z.string(), to: z.string(), companies: z.array(z.string()) }).nullable(),
  time: z.object({ minutes: z.number().int(), notes: z.string() }).nullable(),
  steps: z.array(intentStepSchema),
  /** Why it failed or needs attention, saying what was already done. */
  error: z.string().nullable(),
  /** The ticket link the comment stored. */
  ticketLink: ticketLinkSchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
});
export type ActionIntent = z.infer<typeof actionIntentSchema>;

/** The guided flow's compose step: a new draft, or (with `id`) a draft or reviewed intent rewritten. */
export const composeUpdateInputSchema = z.object({
  id: z.number().int().positive().optional(),
  clientId,
  ticket: intentTicketSchema,
  comment: z.object({
    subject: z.string().trim().max(200, 'Subject must be at most 200 characters').default('Update'),
    body: z.string().trim().min(1, 'Write the comment').max(20_000, 'Comment must be at most 20,000 characters'),
    hidden: z.boolean().default(false),
  }),
  /** Attach this backup summary as CSV + HTML (the output of msp360.reports.backup_summary). */
  report: backupSummarySchema.optional(),
  time: z
    .object({
      minutes: z.coerce.number('Minutes must be a number').int('Minutes must be a whole number').min(1, 'At least 1 minute').max(1440, 'At most 24 hours (1,440 minutes)'),
      notes: z.string().trim().max(5_000, 'Notes must be at most 5,000 characters').default(''),
    })
    .optional(),
});
export type ComposeUpdateInput = z.input<typeof composeUpdateInputSchema>;

export const intentIdInputSchema = z.object({ id: z.number().int().positive() });

/** How "Post" ended: sent now, or kept (queued offline, waiting for Apply in review mode, refused). */
export const postOutcomeSchema = z.object({ intent: actionIntentSchema, review: z.boolean() });
export type PostOutcome = z.infer<typeof postOutcomeSchema>;

/** Actions and their availability for a client, as last read (offline: the cached copy). */
export const actionsViewInputSchema = z.object({ clientId: clientId.optional(), key: integrationKeyParamSchema.optional() });
export const actionsViewSchema = z.object({ items: z.array(actionDescriptorSchema), fetchedAt: z.iso.datetime().nullable() });
export type ActionsView = z.infer<typeof actionsViewSchema>;

/** The client's Syncro tickets: server read when online, the last answer for this search offline. */
export const ticketSearchInputSchema = z.object({
  clientId,
  query: z.string().trim().max(200).optional(),
  status: z.string().trim().max(50).optional(),
});
export type TicketSearchInput = z.infer<typeof ticketSearchInputSchema>;
export const ticketSearchViewSchema = z.object({
  tickets: z.array(syncroTicketSummarySchema),
  truncated: z.boolean(),
  fetchedAt: z.iso.datetime().nullable(),
  /** Read from the cache because the server could not be reached. */
  fromCache: z.boolean(),
});
export type TicketSearchView = z.infer<typeof ticketSearchViewSchema>;

/** A read action run through the core (online only; side-effectful ones go through an intent). */
export const runReadInputSchema = z.object({ actionId: actionIdSchema, input: z.record(z.string(), z.unknown()).default({}) });

export const ticketLinksViewSchema = z.object({
  items: z.array(ticketLinkSchema),
  fetchedAt: z.iso.datetime().nullable(),
  /** After a refresh: the links the vendor did not give back (kept as they were), with its reason. */
  failed: z.array(z.object({ ticketId: z.string(), message: z.string() })).optional(),
});
export type TicketLinksView = z.infer<typeof ticketLinksViewSchema>;
export const clientLinksInputSchema = z.object({ clientId });
export const createLinkLocalInputSchema = z.object({
  clientId,
  integrationKey: integrationKeyParamSchema,
  ticketId: z.string().trim().min(1, 'Ticket id is required').max(200, 'Ticket id must be at most 200 characters'),
  linkType: ticketLinkTypeSchema.default('related'),
});
export type CreateLinkLocalInput = z.input<typeof createLinkLocalInputSchema>;
export const removeLinkLocalInputSchema = z.object({ clientId, id: z.number().int().positive() });
