import { z } from 'zod';
import { actionIdSchema, actionRunResultSchema } from './actions.js';
import { fieldErrorsSchema } from './errors.js';
import { integrationKeyParamSchema } from './integrations/api.js';

/**
 * The desktop's generic action requests (issue 17, the Actions tab): one side-effectful action
 * of any plugin, with the input the user reviewed, kept in the cache (migration 6) with an
 * idempotency key made ONCE when the request is composed. Sent right away when online, and by
 * itself once the server is back when composed offline; a resend after a lost answer uses the
 * same key, so the server answers with the stored result instead of calling the vendor again.
 * Reads never become requests: they run online only (`actions.runRead`).
 *
 * draft → queued → sent | failed | needs_attention. `failed`: the server refused the request
 * itself (invalid input, not allowed; `fields` says which field); `needs_attention`: the vendor
 * refused it, or the action cannot run now (not mapped, in Error).
 */
export const requestStates = ['draft', 'queued', 'sent', 'failed', 'needs_attention'] as const;
export const requestStateSchema = z.enum(requestStates);
export type RequestState = z.infer<typeof requestStateSchema>;

export const actionRequestSchema = z.object({
  id: z.number().int(),
  /** The idempotency key every send of this request carries. */
  key: z.string(),
  actionId: actionIdSchema,
  integrationKey: z.string(),
  /** The action's label as listed when the request was composed. */
  label: z.string(),
  /** Exactly what is (or was) sent as the action's input. */
  input: z.record(z.string(), z.unknown()),
  state: requestStateSchema,
  /** The server's answer once it ran (a vendor refusal is a result with status `failed`). */
  result: actionRunResultSchema.nullable(),
  /** Why it failed or needs attention, in words. */
  error: z.string().nullable(),
  /** The server's field messages for a refused input, keyed by input field path (no `input.` prefix). */
  fields: fieldErrorsSchema.nullable(),
  attempts: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
});
export type ActionRequest = z.infer<typeof actionRequestSchema>;

/** Review: a new request, or (with `id`) a draft or refused one rewritten. */
export const composeRequestInputSchema = z.object({
  id: z.number().int().positive().optional(),
  actionId: actionIdSchema,
  input: z.record(z.string(), z.unknown()).default({}),
});
export type ComposeRequestInput = z.input<typeof composeRequestInputSchema>;

export const requestIdInputSchema = z.object({ id: z.number().int().positive() });

/** No filter: the open requests (Pending changes); with `integrationKey`: that integration's latest. */
export const requestListInputSchema = z.object({ integrationKey: integrationKeyParamSchema.optional() });
export type RequestListInput = z.infer<typeof requestListInputSchema>;

/** Request states that still hold work (Pending changes lists them; sign-out asks first). */
export const openRequestStates: readonly RequestState[] = ['draft', 'queued', 'failed', 'needs_attention'];
