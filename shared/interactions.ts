import { z } from 'zod';
import { idParamSchema } from './clients.js';
import { integrationKeyParamSchema } from './integrations/api.js';

/**
 * The interaction log as the API and the desktop's Activity tab read it (issue 15): one row per
 * call the server made to a vendor. The list carries no bodies; one row's detail does (already
 * redacted through the allow-list when it was written). Inputs never carry a partner id except
 * the dev partner's read-only views.
 */

export const interactionOutcomes = ['ok', 'vendor_error', 'failed'] as const;
export const interactionOutcomeSchema = z.enum(interactionOutcomes);
export type InteractionOutcome = z.infer<typeof interactionOutcomeSchema>;

export const interactionKindSchema = z.enum(['health', 'discovery', 'action', 'token', 'webhook']);
export const interactionDirectionSchema = z.enum(['outbound', 'inbound']);

export const defaultInteractionPageSize = 50;

const pageSize = z
  .union([z.number(), z.string().regex(/^[0-9]{1,4}$/, 'Must be a whole number').transform(Number)])
  .pipe(z.number().int('Must be a whole number').min(1, 'Must be at least 1').max(200, 'Must be at most 200'));

/** Filters of the Activity tab; `cursor` is the previous page's `nextCursor` (newest first). */
export const interactionFilterSchema = z.strictObject({
  outcome: interactionOutcomeSchema.optional(),
  /** `health`, `discovery`, `token` or an action id such as `syncro.tickets.comment`. */
  actionId: z.string().trim().min(1).max(100, 'Must be at most 100 characters').optional(),
  from: z.iso.datetime({ offset: true, error: 'Must be an ISO date and time' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'Must be an ISO date and time' }).optional(),
  cursor: z.string().regex(/^[0-9]{1,15}\.[0-9]{1,15}$/, 'Not a cursor this list gave').optional(),
  limit: pageSize.optional(),
  /** Issue 25: `assistant`: only calls made through an AI assistant (an MCP client with a personal access token). */
  via: z.enum(['assistant'], { error: 'Must be "assistant"' }).optional(),
});
export type InteractionFilter = z.infer<typeof interactionFilterSchema>;

export const listInteractionsInputSchema = interactionFilterSchema.extend({ key: integrationKeyParamSchema });
export type ListInteractionsInput = z.input<typeof listInteractionsInputSchema>;
export const devListInteractionsInputSchema = listInteractionsInputSchema.extend({ partnerId: idParamSchema });

export const interactionIdInputSchema = z.strictObject({ id: idParamSchema });
export const devInteractionIdInputSchema = z.strictObject({ partnerId: idParamSchema, id: idParamSchema });

export const interactionSummarySchema = z.object({
  id: z.number().int(),
  integrationKey: z.string(),
  actionId: z.string(),
  kind: interactionKindSchema,
  direction: interactionDirectionSchema,
  externalRef: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  host: z.string(),
  status: z.number().int().nullable(),
  durationMs: z.number().int(),
  retries: z.number().int(),
  outcome: interactionOutcomeSchema,
  errorKind: z.string().nullable(),
  userId: z.number().int().nullable(),
  /** Who caused it: the user's email, or "System" for scheduled work. */
  user: z.string(),
  at: z.iso.datetime(),
  /** Issue 25: the name of the AI assistant token the call was made through, or null. */
  viaAssistant: z.string().nullable(),
});
export type InteractionSummary = z.infer<typeof interactionSummarySchema>;

export const interactionPageSchema = z.object({
  items: z.array(interactionSummarySchema),
  nextCursor: z.string().nullable(),
});
export type InteractionPage = z.infer<typeof interactionPageSchema>;

export const interactionDetailSchema = interactionSummarySchema.extend({
  /** Redacted JSON (values outside the allow-list read "[redacted]"); null when there was none. */
  requestBody: z.unknown(),
  responseBody: z.unknown(),
  /** The body was over 8 KB: what is kept is the start of its JSON text. */
  requestTruncated: z.boolean(),
  responseTruncated: z.boolean(),
});
export type InteractionDetail = z.infer<typeof interactionDetailSchema>;
