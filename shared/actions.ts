import { z } from 'zod';
import { integrationKeyParamSchema } from './integrations/api.js';

/**
 * Integration actions (issue 15): typed vendor operations a partner runs through the server.
 * Each plugin declares its own in its folder; the input and output schemas of every shipped
 * action live in `shared/actions/<plugin>.ts`. This module is the framework's contract: how an
 * action is described, listed, run and answered, over tRPC, REST and the desktop's local API.
 */

/** `provider.noun.verb`, e.g. `syncro.tickets.comment`. */
export const actionIdSchema = z
  .string('Action id must be text')
  .regex(/^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'Action id is provider.noun.verb, e.g. syncro.tickets.find')
  .max(120, 'Action id must be at most 120 characters');

/**
 * Why an action cannot run now. Availability fails closed: a check that throws is `check_failed`.
 * `missing_mapping`: the client given has no organization mapped at this integration.
 */
export const unavailableCodes = [
  'not_configured',
  'error',
  'disconnected',
  'missing_mapping',
  'not_permitted',
  'needs_public_url',
  'check_failed',
] as const;
export const unavailableCodeSchema = z.enum(unavailableCodes);
export type UnavailableCode = z.infer<typeof unavailableCodeSchema>;
export const unavailableSchema = z.object({ code: unavailableCodeSchema, message: z.string() });
export type Unavailable = z.infer<typeof unavailableSchema>;

/** One action as listed to a user: what it does, whether it may run now, and its schemas as JSON Schema. */
export const actionDescriptorSchema = z.object({
  id: actionIdSchema,
  integrationKey: z.string(),
  label: z.string(),
  description: z.string(),
  sideEffectful: z.boolean(),
  /** The action addresses a client (input `clientId`) through that client's mappings. */
  clientScoped: z.boolean(),
  available: z.boolean(),
  /** Set exactly when `available` is false. */
  unavailable: unavailableSchema.optional(),
  /** JSON Schema (draft 2020-12) of the input and output, from the zod schemas. */
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()),
});
export type ActionDescriptor = z.infer<typeof actionDescriptorSchema>;

export const listActionsInputSchema = z
  .strictObject({
    /** Only this integration's actions. */
    key: integrationKeyParamSchema.optional(),
    /** Availability as seen for this client (a client-scoped action without a mapping is `missing_mapping`). */
    clientId: z.coerce.number('Client id must be a number').int().positive().optional(),
  })
  .default({});
export const actionListSchema = z.object({ items: z.array(actionDescriptorSchema) });

/** Made by the caller once per user intent (the desktop: when the user presses "Post"). */
export const idempotencyKeySchema = z
  .string('Idempotency key must be text')
  .min(8, 'Idempotency key must be at least 8 characters')
  .max(200, 'Idempotency key must be at most 200 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'Idempotency key may hold letters, digits and . _ : - only');

/** The kinds of link between a client and an external ticket (the specification's `ticket_links`). */
export const ticketLinkTypes = ['related', 'resolves', 'documents', 'caused_by'] as const;
export const ticketLinkTypeSchema = z.enum(ticketLinkTypes);
export type TicketLinkType = z.infer<typeof ticketLinkTypeSchema>;

export const runActionInputSchema = z.strictObject({
  actionId: actionIdSchema,
  /** Checked against the action's own input schema; field messages come back keyed `input.<path>`. */
  input: z.record(z.string(), z.unknown()).default({}),
  /** Required for side-effectful actions; ignored for reads. */
  idempotencyKey: idempotencyKeySchema.optional(),
  /**
   * For an action that touches a ticket of a client (its input has `clientId` and the run
   * reports the ticket): store a ticket link of this type. Default: none.
   */
  linkTicket: ticketLinkTypeSchema.optional(),
});
export type RunActionInput = z.infer<typeof runActionInputSchema>;

/** A ticket at a vendor as a client's ticket link shows it. */
export const externalTicketSchema = z.object({
  integrationKey: z.string(),
  ticketId: z.string(),
  number: z.string().nullable(),
  subject: z.string().nullable(),
  status: z.string().nullable(),
  url: z.string().nullable(),
});
export type ExternalTicket = z.infer<typeof externalTicketSchema>;

export const ticketLinkSchema = externalTicketSchema.extend({
  id: z.number().int(),
  clientId: z.number().int(),
  linkType: ticketLinkTypeSchema,
  createdBy: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  /** When number, subject and status were last read from the vendor. */
  refreshedAt: z.iso.datetime(),
});
export type TicketLink = z.infer<typeof ticketLinkSchema>;

/** The answer to a run, and the stored answer a retry with the same key gets back. */
export const actionRunResultSchema = z.object({
  /** The stored run (side-effectful actions) or null (reads keep no record beyond the interaction log). */
  runId: z.number().int().nullable(),
  actionId: actionIdSchema,
  status: z.enum(['succeeded', 'failed']),
  /** The action's output (its output schema) when it succeeded. */
  output: z.unknown().optional(),
  /** When it failed at the vendor: a code and the vendor's message, credentials kept out. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** True when this answer is the stored result of an earlier call with the same key. */
  replayed: z.boolean(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** The ticket link stored by this run (`linkTicket`), if any. */
  ticketLink: ticketLinkSchema.optional(),
});
export type ActionRunResult = z.infer<typeof actionRunResultSchema>;

export const clientTicketLinksInputSchema = z.strictObject({ clientId: z.coerce.number('Client id must be a number').int().positive() });
export const ticketLinkListSchema = z.object({ items: z.array(ticketLinkSchema) });
export const createTicketLinkInputSchema = z.strictObject({
  clientId: z.coerce.number('Client id must be a number').int().positive(),
  integrationKey: integrationKeyParamSchema,
  ticketId: z.string().trim().min(1, 'Ticket id is required').max(200),
  linkType: ticketLinkTypeSchema.default('related'),
});
export const ticketLinkIdInputSchema = z.strictObject({ id: z.coerce.number('Link id must be a number').int().positive() });

/** The dev partner's read-only view of one client's ticket links at any partner. */
export const devClientTicketLinksInputSchema = z.strictObject({
  partnerId: z.coerce.number('Partner id must be a number').int().positive(),
  clientId: z.coerce.number('Client id must be a number').int().positive(),
});
/** A refresh re-reads every link; one that could not be read stays as it was and is named here. */
export const refreshTicketLinksOutputSchema = z.object({
  items: z.array(ticketLinkSchema),
  failed: z.array(z.object({ id: z.number().int(), integrationKey: z.string(), ticketId: z.string(), message: z.string() })),
});
export type RefreshTicketLinksOutput = z.infer<typeof refreshTicketLinksOutputSchema>;
