import type { ActionDescriptor } from '../../../shared/actions.js';
import type { Step, Trigger } from '../../../shared/automations.js';
import { fieldsOf, splitList, type FormField } from '../actions/schemaForm.js';

/**
 * The automation editor's model, pure: a definition as form state and back, the template paths
 * a field can complete, and the server's field errors placed on the step and field they name.
 * Step inputs reuse the Actions tab's schema reading (schemaForm.ts: which fields an action has,
 * of which kind); every input is text here, because any of them may be a `{{ template }}`.
 */

export type OnFailureMode = 'stop' | 'continue' | 'retry';

export interface StepForm {
  /** React's key: survives renames and reordering. */
  key: string;
  name: string;
  actionId: string;
  /** One text per input field (a boolean field: 'true'/'false'/a template). */
  values: Record<string, string>;
  condition: string;
  onFailure: OnFailureMode;
  times: string;
  backoffSeconds: string;
}

let nextKey = 0;
const newKey = () => `step-${++nextKey}`;

/** Integration-level reasons an action cannot run: the step is shown as disconnected. */
export const disconnectedCodes = new Set(['not_configured', 'error', 'disconnected']);

export function isDisconnected(action: ActionDescriptor | undefined): boolean {
  return Boolean(action && !action.available && action.unavailable && disconnectedCodes.has(action.unavailable.code));
}

/** The input's fields as the action's schema lists them; none when the action is unknown. */
export function stepFields(action: ActionDescriptor | undefined): FormField[] {
  return action ? fieldsOf(action.inputSchema) : [];
}

/** A value of a step's input as the text the field shows. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const isTemplate = (text: string) => text.includes('{{');

/**
 * A field's text as the value the step sends. A template stays text (the server renders it and
 * checks its type); a literal takes the field's type, so `1` is a number where one is expected.
 * Anything that does not convert is sent as written, and the server's check names it.
 */
export function valueOf(field: FormField | undefined, text: string): unknown {
  if (isTemplate(text) || !field) return text;
  const trimmed = text.trim();
  switch (field.kind) {
    case 'number':
    case 'client': {
      const n = Number(trimmed);
      return trimmed !== '' && Number.isFinite(n) ? n : text;
    }
    case 'checkbox':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : text;
    case 'list': {
      if (trimmed.startsWith('[')) return parseJson(trimmed) ?? text;
      const items = splitList(text);
      return field.itemType === 'string' ? items : items.map((i) => (Number.isFinite(Number(i)) ? Number(i) : i));
    }
    case 'json':
      return parseJson(trimmed) ?? text;
    default:
      return text;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function stepFormOf(step: Step): StepForm {
  const retry = step.onFailure.mode === 'retry' ? step.onFailure : null;
  return {
    key: newKey(),
    name: step.name,
    actionId: step.actionId,
    values: Object.fromEntries(Object.entries(step.input).map(([k, v]) => [k, textOf(v)])),
    condition: step.condition ?? '',
    onFailure: step.onFailure.mode,
    times: String(retry?.times ?? 2),
    backoffSeconds: String(retry?.backoffSeconds ?? 30),
  };
}

/** A new step: a free name (`step2`, `step3`…), no action yet. */
export function blankStep(existing: StepForm[]): StepForm {
  const names = new Set(existing.map((s) => s.name));
  let n = existing.length + 1;
  while (names.has(`step${n}`)) n += 1;
  return { key: newKey(), name: `step${n}`, actionId: '', values: {}, condition: '', onFailure: 'stop', times: '2', backoffSeconds: '30' };
}

/** The step as the server takes it; empty fields are left out (the action's defaults apply). */
export function stepOf(form: StepForm, action: ActionDescriptor | undefined): Step {
  const fields = new Map(stepFields(action).map((f) => [f.name, f]));
  const input: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(form.values)) {
    if (text.trim() === '') continue;
    input[name] = valueOf(fields.get(name), text);
  }
  const onFailure: Step['onFailure'] =
    form.onFailure === 'retry' ? { mode: 'retry', times: Number(form.times) || 1, backoffSeconds: Number(form.backoffSeconds) || 30 } : { mode: form.onFailure };
  return { name: form.name.trim(), actionId: form.actionId, input, ...(form.condition.trim() ? { condition: form.condition.trim() } : {}), onFailure };
}

/** What each trigger gives a template, as `trigger.<path>` (the server's samples, in words). */
export function triggerPaths(trigger: Trigger): string[] {
  switch (trigger.kind) {
    case 'health':
      return ['integrationKey', 'change', 'health', 'status', 'message', 'at'].map((p) => `trigger.${p}`);
    case 'inbound':
      return ['integrationKey', 'deliveryId', 'receivedAt', 'payload'].map((p) => `trigger.${p}`);
    case 'schedule':
      return ['scheduledFor', 'timeZone'].map((p) => `trigger.${p}`);
    case 'manual':
      return ['trigger.userId', ...trigger.inputs.map((i) => `trigger.input.${i.name}`)];
  }
}

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The paths of a JSON Schema's value, a few levels deep (an array's first item as `[0]`). */
export function schemaPaths(schema: unknown, prefix: string, depth = 3): string[] {
  if (!isObject(schema) || depth < 0) return [];
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(union)) return [...new Set(union.flatMap((b) => schemaPaths(b, prefix, depth)))];
  if (schema.type === 'array' && isObject(schema.items)) {
    const item = `${prefix}[0]`;
    return [item, ...schemaPaths(schema.items, item, depth - 1).filter((p) => p !== item)];
  }
  if (!isObject(schema.properties)) return [];
  return Object.entries(schema.properties).flatMap(([name, sub]) => {
    const path = `${prefix}.${name}`;
    return [path, ...schemaPaths(sub, path, depth - 1).filter((p) => p !== path)];
  });
}

/** Everything a template in step `index` may read: the trigger, and each earlier step's output and status. */
export function templatePaths(trigger: Trigger, steps: StepForm[], index: number, actions: Map<string, ActionDescriptor>): string[] {
  const earlier = steps.slice(0, index).flatMap((s) => {
    const action = actions.get(s.actionId);
    return [`steps.${s.name}.status`, ...(action ? schemaPaths(action.outputSchema, `steps.${s.name}.output`) : [])];
  });
  return [...triggerPaths(trigger), ...earlier];
}

/**
 * An unclosed `{{` at the end of the text: what has been typed after it, or null. Suggestions
 * complete it; once closed (`}}`), there is nothing to complete.
 */
export function openTemplate(text: string): string | null {
  const open = text.lastIndexOf('{{');
  if (open < 0 || text.indexOf('}}', open) >= 0) return null;
  return text.slice(open + 2).trimStart();
}

/** The text with its open template completed by `path`. */
export function completeTemplate(text: string, path: string): string {
  const open = text.lastIndexOf('{{');
  return `${text.slice(0, open)}{{${path}}}`;
}

/** Suggestions for what is being typed in an open template (at most `limit`). */
export function suggestionsFor(partial: string, paths: string[], limit = 8): string[] {
  const q = partial.toLowerCase();
  return paths.filter((p) => p.toLowerCase().includes(q)).slice(0, limit);
}

export interface StepErrors {
  name?: string;
  actionId?: string;
  condition?: string;
  onFailure?: string;
  input: Record<string, string>;
}

export interface PlacedErrors {
  name?: string;
  trigger: Record<string, string>;
  steps: StepErrors[];
  /** Messages that name nothing on screen (shown above the form). */
  other: string[];
}

/** The server's (or the core's) field messages, placed on the step and field each one names. */
export function placeErrors(fields: Record<string, string[]> | undefined, stepCount: number): PlacedErrors {
  const placed: PlacedErrors = { trigger: {}, steps: Array.from({ length: stepCount }, () => ({ input: {} })), other: [] };
  const join = (a: string | undefined, b: string) => (a ? `${a} ${b}` : b);
  for (const [path, messages] of Object.entries(fields ?? {})) {
    const message = messages.join(' ');
    const step = /^steps\.(\d+)\.(name|actionId|condition|onFailure|input)(?:\.([^.]+))?/.exec(path);
    const target = step ? placed.steps[Number(step[1])] : undefined;
    if (step && target) {
      const part = step[2] as 'name' | 'actionId' | 'condition' | 'onFailure' | 'input';
      if (part === 'input') {
        const field = step[3] ?? '';
        target.input[field] = join(target.input[field], message);
      } else target[part] = join(target[part], message);
    } else if (path === 'name') placed.name = join(placed.name, message);
    else if (path.startsWith('trigger.')) {
      const field = path.slice('trigger.'.length).split('.')[0] ?? '';
      placed.trigger[field] = join(placed.trigger[field], message);
    } else placed.other.push(message);
  }
  return placed;
}

/** Short words for a trigger, for the list. */
export function triggerSummary(trigger: Trigger, names: Map<string, string>): string {
  const name = (key: string | null) => (key ? (names.get(key) ?? key) : 'any integration');
  switch (trigger.kind) {
    case 'health': {
      const on = trigger.on.map((o) => (o === 'recovered' ? 'recovers' : `turns ${o === 'error' ? 'Error' : 'Degraded'}`));
      return `When ${name(trigger.integrationKey)} ${on.join(' or ')}`;
    }
    case 'inbound':
      return `On a ${name(trigger.integrationKey)} webhook`;
    case 'schedule':
      return `On schedule ${trigger.cron} (${trigger.timeZone})`;
    case 'manual':
      return 'By hand (Run now)';
  }
}
