import { z } from 'zod';
import { fieldErrorsSchema } from './errors.js';
import type { createAutomationInputSchema } from './automations.js';
import { automationDefinitionSchema, setEnabledInputSchema, updateAutomationInputSchema, automationRunDetailSchema, automationRunSchema, automationSchema, recipeSchema, runStatusSchema } from './automations.js';

/**
 * The desktop's local API for automations (issue 23 §7): the server's shapes (shared/automations.ts)
 * with when they were read. Reads are kept in the core's cache; when the server cannot be reached
 * the copy last read is answered with `fromCache: true`, so the screen can say how old it is.
 */

const readMark = { fetchedAt: z.string().nullable(), fromCache: z.boolean() };

/** A kept (offline) edit's life: waiting, sent, the server changed meanwhile, or refused. */
export const automationDraftStates = ['queued', 'applied', 'conflict', 'rejected'] as const;
export type AutomationDraftState = (typeof automationDraftStates)[number];

/** What a kept edit wants the automation to be: its definition and switch. */
export const automationTargetSchema = automationDefinitionSchema.extend({ enabled: z.boolean() });
export type AutomationTarget = z.infer<typeof automationTargetSchema>;

/** The mark on an automation that has a kept edit: the screens show the edit, "Pending". */
export const automationPendingSchema = z.object({
  draftId: z.number(),
  state: z.enum(automationDraftStates),
  /** The server's refusal (state rejected), with its field errors to place in the editor. */
  error: z.string().nullable(),
  fields: fieldErrorsSchema.nullable(),
});
export type AutomationPending = z.infer<typeof automationPendingSchema>;

/**
 * An automation as the desktop shows it: the server's, or with a kept edit laid over it
 * (`pending`). An automation created offline has no server id yet: its id is the negative of
 * its draft's and its version 0, until it is sent.
 */
export const localAutomationSchema = automationSchema.extend({ pending: automationPendingSchema.nullable().default(null) });
export type LocalAutomation = z.infer<typeof localAutomationSchema>;

/** An automation edit kept offline (issue 23 §7), as Pending changes lists it. */
export const automationDraftSchema = z.object({
  id: z.number(),
  /** Null: created offline, not yet on the server. */
  automationId: z.number().nullable(),
  name: z.string(),
  /** What changed, in a line ("Renamed to …; 2 steps changed"). */
  summary: z.string(),
  state: z.enum(automationDraftStates),
  baseVersion: z.number().nullable(),
  target: automationTargetSchema,
  /** In conflict: what the server holds now. */
  server: automationSchema.nullable(),
  error: z.string().nullable(),
  fields: fieldErrorsSchema.nullable(),
  updatedAt: z.string(),
});
export type AutomationDraft = z.infer<typeof automationDraftSchema>;
export const automationDraftIdInputSchema = z.strictObject({ id: z.number().int() });
export const resolveAutomationDraftInputSchema = z.strictObject({ id: z.number().int(), keep: z.enum(['mine', 'theirs']) });

export const automationsViewSchema = z.object({ items: z.array(localAutomationSchema), ...readMark });
export type AutomationsView = z.infer<typeof automationsViewSchema>;

export const automationViewSchema = z.object({ automation: localAutomationSchema, ...readMark });
export type AutomationView = z.infer<typeof automationViewSchema>;

export const automationRunsViewSchema = z.object({ items: z.array(automationRunSchema), nextBefore: z.number().nullable(), ...readMark });
export type AutomationRunsView = z.infer<typeof automationRunsViewSchema>;

export const automationRunViewSchema = z.object({ run: automationRunDetailSchema, ...readMark });
export type AutomationRunView = z.infer<typeof automationRunViewSchema>;

export const recipesViewSchema = z.object({ items: z.array(recipeSchema), ...readMark });
export type RecipesView = z.infer<typeof recipesViewSchema>;

/** The run history's filters (the first page only: a list to look at, not an export). */
export const automationRunsLocalInputSchema = z.strictObject({
  automationId: z.number().int().positive().optional(),
  status: runStatusSchema.optional(),
});
export type AutomationRunsLocalInput = z.infer<typeof automationRunsLocalInputSchema>;

/**
 * An automation's id in the desktop: the server's, or negative for one created offline and not
 * yet sent (its draft's id); such an automation has version 0.
 */
const localId = z.number('Id must be a number').int('Id must be a whole number').refine((n) => n !== 0, 'Id must not be 0');
const localVersion = z.coerce.number().int().nonnegative();
export const automationLocalIdInputSchema = z.strictObject({ id: localId });
export const updateAutomationLocalInputSchema = updateAutomationInputSchema.extend({ id: localId, baseVersion: localVersion });
export const setEnabledLocalInputSchema = setEnabledInputSchema.extend({ id: localId, baseVersion: localVersion });

/** What a caller sends (defaults not yet applied: `concurrency`, `onFailure`, `enabled`). */
export type CreateAutomationLocalInput = z.input<typeof createAutomationInputSchema>;
export type UpdateAutomationLocalInput = z.input<typeof updateAutomationLocalInputSchema>;
export type SetEnabledLocalInput = z.input<typeof setEnabledLocalInputSchema>;
