import { z } from 'zod';
import { actionIdSchema } from './actions.js';
import { integrationKeyParamSchema } from './integrations/api.js';

/**
 * Automations (issue 23): a trigger and an ordered list of steps, each step one action whose
 * inputs are templates over the trigger's data and earlier steps' outputs. The one contract the
 * server, the desktop core and the editor share (docs/automations.md).
 */

/** Per-partner limits, each with the message a user reads when it is reached. */
export const automationLimits = { automations: 50, steps: 10, runsPerHour: 500, retries: 5, manualInputs: 10 } as const;

const id = z.coerce.number('Id must be a number').int('Id must be a whole number').positive('Id must be positive').max(2 ** 53 - 1, 'Id is too large');

/** A step's name: how later steps refer to it (`steps.<name>.output`). */
export const stepNameSchema = z
  .string('Step name must be text')
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'Step name starts with a letter and holds letters, digits and _ (at most 40)');

/** What the health trigger fires on: a transition to Error, to Degraded, or back to OK. */
export const healthChanges = ['error', 'degraded', 'recovered'] as const;

/** The manual trigger's input form: each field a template can read as `trigger.input.<name>`. */
export const manualInputSchema = z.strictObject({
  name: stepNameSchema,
  type: z.enum(['string', 'number', 'boolean'], 'Type is string, number or boolean'),
  required: z.boolean().default(true),
});

/**
 * What a health trigger gives its run as `trigger` (templates read `trigger.<field>`). `message`
 * is what the check said, and null when there is nothing to say: on recovery, most of the time.
 */
export const healthTriggerDataSchema = z.object({
  kind: z.literal('health'),
  integrationKey: z.string(),
  change: z.enum(healthChanges),
  health: z.enum(['ok', 'degraded', 'error']),
  status: z.string(),
  message: z.string().nullable(),
  at: z.string(),
});
export type HealthTriggerData = z.infer<typeof healthTriggerDataSchema>;

export const triggerSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('health'),
    /** Null: any integration of the partner. */
    integrationKey: integrationKeyParamSchema.nullable().default(null),
    on: z.array(z.enum(healthChanges, 'On is error, degraded or recovered')).min(1, 'Pick at least one change').max(3),
  }),
  z.strictObject({ kind: z.literal('inbound'), integrationKey: integrationKeyParamSchema }),
  z.strictObject({
    kind: z.literal('schedule'),
    cron: z.string('Cron must be text').trim().min(9, 'Cron has five fields, e.g. 0 7 * * 1-5').max(120, 'Cron must be at most 120 characters'),
    /** IANA time zone the cron is read in (the partner's). */
    timeZone: z.string('Time zone must be text').max(64).default('UTC'),
  }),
  z.strictObject({ kind: z.literal('manual'), inputs: z.array(manualInputSchema).max(automationLimits.manualInputs, `At most ${automationLimits.manualInputs} inputs`).default([]) }),
], 'Trigger kind is health, inbound, schedule or manual');
export type Trigger = z.infer<typeof triggerSchema>;

/**
 * A step's input: each field a JSON value, where a string may hold `{{ expression }}` templates
 * (JSONata). A string that is exactly one template takes the expression's value and type;
 * otherwise each template is rendered into the text.
 */
export const stepSchema = z.strictObject({
  name: stepNameSchema,
  actionId: actionIdSchema,
  input: z.record(z.string(), z.unknown()).default({}),
  /** A template; the step runs only when it yields true (otherwise `skipped`). */
  condition: z.string('Condition must be text').max(2_000, 'Condition must be at most 2,000 characters').optional(),
  onFailure: z
    .discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('stop') }),
      z.strictObject({ mode: z.literal('continue') }),
      z.strictObject({ mode: z.literal('retry'), times: z.coerce.number('Times must be a number').int().min(1, 'Retry at least once').max(automationLimits.retries, `Retry at most ${automationLimits.retries} times`), backoffSeconds: z.coerce.number('Backoff must be a number').int().min(1).max(3600, 'Backoff is at most 3,600 s').default(30) }),
    ], 'On failure is stop, continue or retry')
    .default({ mode: 'stop' }),
});
export type Step = z.infer<typeof stepSchema>;

export const automationDefinitionSchema = z.strictObject({
  name: z.string('Name must be text').trim().min(1, 'Name is required').max(120, 'Name must be at most 120 characters'),
  trigger: triggerSchema,
  steps: z.array(stepSchema).min(1, 'Add at least one step').max(automationLimits.steps, `An automation has at most ${automationLimits.steps} steps`),
  concurrency: z.coerce.number('Concurrency must be a number').int().min(1, 'Concurrency is at least 1').max(10, 'Concurrency is at most 10').default(1),
});
export type AutomationDefinition = z.infer<typeof automationDefinitionSchema>;

export const createAutomationInputSchema = automationDefinitionSchema.extend({ enabled: z.boolean().default(false) });
export type CreateAutomationInput = z.infer<typeof createAutomationInputSchema>;
export const updateAutomationInputSchema = automationDefinitionSchema.extend({ id, baseVersion: z.coerce.number().int().positive() });
export type UpdateAutomationInput = z.infer<typeof updateAutomationInputSchema>;
export const automationIdInputSchema = z.strictObject({ id });
export const setEnabledInputSchema = z.strictObject({ id, enabled: z.boolean('Enabled is true or false'), baseVersion: z.coerce.number().int().positive() });
export const runNowInputSchema = z.strictObject({ id, input: z.record(z.string(), z.unknown()).default({}) });

export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'] as const;
export const runStatusSchema = z.enum(runStatuses);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const automationSchema = automationDefinitionSchema.extend({
  id: z.number(),
  enabled: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  nextRunAt: z.string().nullable(),
  lastRun: z.object({ id: z.number(), status: runStatusSchema, at: z.string() }).nullable(),
  /** Of the last 50 finished runs; null when none finished. */
  successRate: z.number().nullable(),
});
export type Automation = z.infer<typeof automationSchema>;
export const automationListSchema = z.object({ items: z.array(automationSchema) });

export const automationVersionSchema = z.object({ version: z.number(), change: z.string(), actor: z.string(), at: z.string(), definition: z.unknown() });
export const automationVersionsSchema = z.object({ items: z.array(automationVersionSchema) });

export const stepErrorSchema = z.object({ code: z.string(), message: z.string() });
export const runStepSchema = z.object({
  index: z.number(),
  name: z.string(),
  actionId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
  attempts: z.number(),
  input: z.unknown(),
  output: z.unknown(),
  error: stepErrorSchema.nullable(),
  actionRunId: z.number().nullable(),
  durationMs: z.number().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export const automationRunSchema = z.object({
  id: z.number(),
  automationId: z.number(),
  automationName: z.string(),
  automationVersion: z.number(),
  triggerKind: z.string(),
  status: runStatusSchema,
  nextStep: z.number(),
  error: stepErrorSchema.nullable(),
  rerunOf: z.number().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type AutomationRun = z.infer<typeof automationRunSchema>;
export const automationRunDetailSchema = automationRunSchema.extend({ triggerData: z.unknown(), steps: z.array(runStepSchema) });
export type AutomationRunDetail = z.infer<typeof automationRunDetailSchema>;

export const runListInputSchema = z
  .strictObject({
    automationId: id.optional(),
    status: runStatusSchema.optional(),
    /** Keyset: runs with a smaller id than this. */
    before: id.optional(),
    limit: z.coerce.number().int().min(1, 'Limit is at least 1').max(100, 'Limit is at most 100').default(25),
  })
  .default({ limit: 25 });
export const runListSchema = z.object({ items: z.array(automationRunSchema), nextBefore: z.number().nullable() });
export const runIdInputSchema = z.strictObject({ runId: id });

/** The dev partner's read-only views of one partner's automations and runs. */
export const devAutomationsInputSchema = z.strictObject({ partnerId: id });
export const devRunsInputSchema = z.strictObject({ partnerId: id, automationId: id.optional(), status: runStatusSchema.optional(), before: id.optional(), limit: z.coerce.number().int().min(1, 'Limit is at least 1').max(100, 'Limit is at most 100').default(25) });
export const devRunInputSchema = z.strictObject({ partnerId: id, runId: id });

export const recipeSchema = z.object({ id: z.string(), name: z.string(), description: z.string(), integrations: z.array(z.string()), definition: automationDefinitionSchema });
export type Recipe = z.infer<typeof recipeSchema>;
export const recipeListSchema = z.object({ items: z.array(recipeSchema) });
export const addRecipeInputSchema = z.strictObject({ recipeId: z.string().max(60) });
