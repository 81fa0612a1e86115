import parser from 'cron-parser';
import type { AutomationDefinition } from '../../../shared/automations.js';
import { AppError, type FieldErrors } from '../../../shared/errors.js';
import type { Registry } from '../../integrations/registry.js';
import { anyValue, sampleOf, touchesAny, triggerSample, triggerVariants } from './samples.js';
import { compile, conditionHolds, expressionsOf, renderValue, stepRefsOf, TemplateError } from './templates.js';

/**
 * The save-time check (issue 23 §2): every step's templates parse, read only the trigger and
 * earlier steps, and — evaluated against samples of the types those produce — give an input
 * its action's zod schema accepts. Templated fields are held to their TYPE (a sample cannot
 * meet a regex or a range); literal fields to the whole schema. Errors are keyed
 * `steps.<index>.input.<field>` (also `.actionId`, `.condition`, `trigger.cron`), and each message
 * names the step, so the editor shows it on that step. Nothing is saved when any is found.
 */

const typeCodes = new Set(['invalid_type', 'unrecognized_keys', 'invalid_union', 'invalid_value']);

/** The next due time of a cron in a time zone, or a 400 naming the field. */
export function nextCronTime(cron: string, timeZone: string, after: Date = new Date()): Date {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The time zone is not known', { fields: { 'trigger.timeZone': [`Unknown time zone ${timeZone.slice(0, 64)}`] } });
  }
  if (cron.trim().split(/\s+/).length !== 5) throw new AppError('VALIDATION_FAILED', 'The schedule does not parse', { fields: { 'trigger.cron': ['Cron has five fields: minute hour day month weekday'] } });
  try {
    return parser.parseExpression(cron, { tz: timeZone, currentDate: after }).next().toDate();
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', 'The schedule does not parse', { fields: { 'trigger.cron': [`Cron does not parse: ${error instanceof Error ? error.message : 'invalid'}`] } });
  }
}

const push = (fields: FieldErrors, key: string, message: string) => (fields[key] ??= []).push(message);

/**
 * A trigger that a step of the same automation can fire again is refused: an inbound webhook
 * of an integration that one of its side-effectful steps writes to with no condition (the vendor
 * reports the write back as a webhook, which runs the automation again, without end). A condition
 * on the step (e.g. only for alerts, never for the comments it posts) is what breaks the loop.
 */
function recursion(definition: AutomationDefinition, registry: Registry, fields: FieldErrors) {
  const { trigger } = definition;
  if (trigger.kind !== 'inbound') return;
  definition.steps.forEach((step, i) => {
    const action = registry.get(trigger.integrationKey)?.actions.get(step.actionId);
    if (action?.definition.sideEffectful && !step.condition) {
      push(fields, `steps.${i}.actionId`, `Step ${step.name}: it changes ${trigger.integrationKey}, whose webhooks trigger this automation, so it would trigger itself; add a condition that skips the events it causes, or use another trigger`);
    }
  });
}

export async function typeCheck(definition: AutomationDefinition, registry: Registry): Promise<void> {
  const fields: FieldErrors = {};
  if (definition.trigger.kind === 'schedule') {
    try {
      nextCronTime(definition.trigger.cron, definition.trigger.timeZone);
    } catch (error) {
      if (error instanceof AppError && error.fields) Object.assign(fields, error.fields);
    }
  }
  if (definition.trigger.kind === 'health' || definition.trigger.kind === 'inbound') {
    const key = definition.trigger.integrationKey;
    if (key !== null && !registry.get(key)) push(fields, 'trigger.integrationKey', `There is no integration ${key.slice(0, 100)}`);
  }
  recursion(definition, registry, fields);
  await checkSteps(definition, registry, triggerSample(definition.trigger), fields);
  // The trigger's other shapes (a health recovery's null message): what only they break says when.
  for (const variant of triggerVariants(definition.trigger)) {
    const more: FieldErrors = {};
    await checkSteps(definition, registry, variant.data, more);
    for (const [key, messages] of Object.entries(more)) {
      for (const message of messages) if (!fields[key]?.includes(message)) push(fields, key, `${message} (${variant.when})`);
    }
  }
  if (Object.keys(fields).length > 0) {
    const first = Object.values(fields)[0]?.[0] ?? 'The automation has errors';
    throw new AppError('VALIDATION_FAILED', first, { fields });
  }
}

/** Each step against its action's input schema, with the trigger's data as given and earlier steps' outputs as samples. */
async function checkSteps(definition: AutomationDefinition, registry: Registry, trigger: unknown, fields: FieldErrors): Promise<void> {
  const seen = new Set<string>();
  const data: { trigger: unknown; steps: Record<string, { output: unknown; status: string }> } = { trigger, steps: {} };
  for (const [i, step] of definition.steps.entries()) {
    const where = `steps.${i}`;
    const label = `Step ${step.name}`;
    if (seen.has(step.name)) push(fields, `${where}.name`, `${label}: another step has this name`);
    const action = registry.get(step.actionId.split('.')[0] as string)?.actions.get(step.actionId);
    if (!action) {
      push(fields, `${where}.actionId`, `${label}: there is no action ${step.actionId}`);
      seen.add(step.name);
      continue;
    }
    const templated = new Set<string>();
    const rendered: Record<string, unknown> = {};
    const exprs = [...Object.entries(step.input).flatMap(([f, v]) => expressionsOf(v).map((e) => [`input.${f}`, e] as const)), ...(step.condition ? [['condition', step.condition.replace(/^\s*\{\{|\}\}\s*$/g, '')] as const] : [])];
    let broken = false;
    for (const [field, expr] of exprs) {
      try {
        compile(expr);
      } catch (error) {
        broken = true;
        push(fields, `${where}.${field}`, `${label}, ${field}: ${error instanceof TemplateError ? error.message : 'does not parse'}`);
        continue;
      }
      for (const ref of stepRefsOf(expr)) {
        if (!seen.has(ref)) {
          broken = true;
          push(fields, `${where}.${field}`, `${label}, ${field}: refers to step ${ref}, which is not an earlier step`);
        }
      }
    }
    if (!broken) {
      for (const [field, value] of Object.entries(step.input)) {
        if (expressionsOf(value).length === 0) {
          rendered[field] = value;
          continue;
        }
        templated.add(field);
        try {
          const v = await renderValue(value, data);
          // A value read from an "any" (an inbound payload) is checked when the run renders it.
          if (v !== undefined && !touchesAny(v)) rendered[field] = v;
          else if (v === undefined && !touchesAnyExpr(value, data)) push(fields, `${where}.input.${field}`, `${label}, input.${field}: the template reads nothing (no such field in the trigger or an earlier step's output)`);
        } catch (error) {
          push(fields, `${where}.input.${field}`, `${label}, input.${field}: ${error instanceof TemplateError ? error.message : 'Template failed'}`);
        }
      }
      if (step.condition) await conditionHolds(step.condition, data).catch((error: unknown) => push(fields, `${where}.condition`, `${label}, condition: ${error instanceof Error ? error.message : 'failed'}`));
      const parsed = action.definition.input.safeParse(rendered);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const top = String(issue.path[0] ?? '');
          if (issue.code === 'unrecognized_keys') {
            for (const key of issue.keys) push(fields, `${where}.input.${key}`, `${label}, input.${key}: ${step.actionId} has no such input`);
            continue;
          }
          const keyPath = `${where}.input.${issue.path.map(String).join('.')}`;
          const isMissing = issue.code === 'invalid_type' && issue.path.length === 1 && !(top in rendered);
          // A field whose template read "any" data was left out: not "missing".
          if (isMissing && !(top in step.input)) push(fields, keyPath, `${label}, input.${top}: required by ${step.actionId}`);
          else if (isMissing) continue;
          else if (!templated.has(top) || typeCodes.has(issue.code)) push(fields, keyPath, `${label}, input.${issue.path.map(String).join('.')}: ${templated.has(top) ? `the template gives the wrong type (${issue.message})` : issue.message}`);
        }
      }
    }
    seen.add(step.name);
    // As a run sees an earlier step: its output and its status (conditions test `status = "succeeded"`).
    data.steps[step.name] = { output: sampleOf(action.outputJsonSchema), status: 'succeeded' };
  }
}

/** Whether a template's undefined result is due to reading into an "any" value (not checkable now). */
function touchesAnyExpr(value: unknown, data: { trigger: unknown }): boolean {
  const t = data.trigger as Record<string, unknown>;
  const reads = JSON.stringify(expressionsOf(value));
  return Object.entries(t).some(([k, v]) => v === anyValue && reads.includes(`trigger.${k}`));
}
