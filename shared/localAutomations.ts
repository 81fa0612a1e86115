import { z } from 'zod';
import type { createAutomationInputSchema, updateAutomationInputSchema } from './automations.js';
import { automationRunDetailSchema, automationRunSchema, automationSchema, recipeSchema, runStatusSchema } from './automations.js';

/**
 * The desktop's local API for automations (issue 23 §7): the server's shapes (shared/automations.ts)
 * with when they were read. Reads are kept in the core's cache; when the server cannot be reached
 * the copy last read is answered with `fromCache: true`, so the screen can say how old it is.
 */

const readMark = { fetchedAt: z.string().nullable(), fromCache: z.boolean() };

export const automationsViewSchema = z.object({ items: z.array(automationSchema), ...readMark });
export type AutomationsView = z.infer<typeof automationsViewSchema>;

export const automationViewSchema = z.object({ automation: automationSchema, ...readMark });
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

/** What a caller sends (defaults not yet applied: `concurrency`, `onFailure`, `enabled`). */
export type CreateAutomationLocalInput = z.input<typeof createAutomationInputSchema>;
export type UpdateAutomationLocalInput = z.input<typeof updateAutomationInputSchema>;
