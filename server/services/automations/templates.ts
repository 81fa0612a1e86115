import jsonata from 'jsonata';

/**
 * Step templates (docs/automations.md): `{{ expression }}` in JSONata, a maintained expression
 * language, instead of a home-made one. Sandboxed: an expression sees only the run's own data
 * (a JSON copy of `{trigger, steps}`: no functions, no prototypes, nothing of the server), is
 * bounded in length, evaluation time and depth, and its input and result are size-capped.
 */

export const templateLimits = { expressionChars: 2_000, timeMs: 200, depth: 200, sequence: 100_000, inputBytes: 512 * 1024, outputBytes: 64 * 1024 } as const;

/** A template that cannot be used, with the words a user reads. */
export class TemplateError extends Error {}

const whole = /^\s*\{\{([\s\S]*?)\}\}\s*$/;
const parts = /\{\{([\s\S]*?)\}\}/g;

/** The expressions in a value (strings only; other JSON values are literals). */
export function expressionsOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...value.matchAll(parts)].map((m) => (m[1] ?? '').trim());
}

/** Compiles one expression, or throws TemplateError naming what is wrong. */
export function compile(expression: string): jsonata.Expression {
  if (expression.length === 0) throw new TemplateError('A template {{ }} is empty');
  if (expression.length > templateLimits.expressionChars) throw new TemplateError(`A template may be at most ${templateLimits.expressionChars} characters`);
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(expression, guardrails);
  } catch (error) {
    const message = (error as { message?: string }).message ?? 'does not parse';
    throw new TemplateError(`Template does not parse: ${message}`);
  }
  // One regular expression runs as one step that no time limit interrupts, and a backtracking one
  // over a webhook's text can hold the server for seconds (26 characters took 591 ms, doubling with
  // each more). JSONata builds a regex only from a /literal/, so refusing those is enough; text
  // functions keep their plain-string forms ($contains, $split, $replace with a string).
  if (hasRegex(compiled.ast())) throw new TemplateError('Templates cannot use regular expressions (/…/); use $contains, $split or $replace with plain text');
  return compiled;
}

function hasRegex(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasRegex);
  if (typeof node !== 'object' || node === null || node instanceof RegExp) return false;
  if ((node as { type?: unknown }).type === 'regex') return true;
  return Object.values(node).some(hasRegex);
}

/** The step names an expression reads as `steps.<name>` (checked against earlier steps when saved). */
export function stepRefsOf(expression: string): string[] {
  return [...expression.matchAll(/\bsteps\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
}

/**
 * JSONata's own guardrails (2.x options): a time limit and a stack depth checked on every node it
 * evaluates, and a cap on sequence length (ranges, mapped arrays). (Its `__evaluate_entry` hooks
 * of 1.x are gone in 2.x: they are looked up by symbol now, so a hook assigned by name never runs.)
 */
const guardrails = { timeout: templateLimits.timeMs, stack: templateLimits.depth, sequence: templateLimits.sequence };

/**
 * The two built-ins that can blow one short expression up into a huge string in a single call
 * (which no per-node check interrupts): `$pad` with a huge width and `$replace` with a long
 * replacement. Each is JSONata's own, refused beforehand when its result could pass the cap.
 */
const amplifiers: Promise<{ name: string; signature: string; implementation: (...args: unknown[]) => unknown }[]> = (async () => {
  const original = async (name: string) => (await jsonata(`$${name}`).evaluate({})) as { implementation: (...args: unknown[]) => unknown; signature: { definition: string } };
  const pad = await original('pad');
  const replace = await original('replace');
  const tooLong = () => new TemplateError(`Template result is larger than ${templateLimits.outputBytes / 1024} KB`);
  return [
    {
      name: 'pad',
      signature: pad.signature.definition,
      implementation(this: unknown, ...args: unknown[]) {
        if (Math.abs(Number(args[1] ?? 0)) > templateLimits.outputBytes) throw tooLong();
        return pad.implementation.apply(this, args);
      },
    },
    {
      name: 'replace',
      signature: replace.signature.definition,
      implementation(this: unknown, ...args: unknown[]) {
        const [str, , replacement] = args;
        // Each match (at least one character) becomes the replacement: the result is at most this long.
        if (typeof str === 'string' && typeof replacement === 'string' && str.length * (1 + replacement.length) > templateLimits.outputBytes * 4) throw tooLong();
        return replace.implementation.apply(this, args);
      },
    },
  ];
})();

/** A JSON copy of the run's data, refused past the size cap. */
export function sandboxData(data: unknown): unknown {
  const text = JSON.stringify(data ?? null);
  if (text.length > templateLimits.inputBytes) throw new TemplateError('The run data is too large for templates');
  return JSON.parse(text) as unknown;
}

async function evaluate(expression: string, data: unknown): Promise<unknown> {
  const expr = compile(expression);
  for (const f of await amplifiers) expr.registerFunction(f.name, f.implementation, f.signature);
  let result: unknown;
  try {
    result = await expr.evaluate(data);
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    const e = error as { code?: string; message?: string };
    if (e.code === 'D1012') throw new TemplateError(`Template took longer than ${templateLimits.timeMs} ms`);
    if (e.code === 'D1011') throw new TemplateError('Template nests too deeply');
    if (e.code === 'D2014' || e.code === 'D2015') throw new TemplateError(`Template makes a list longer than ${templateLimits.sequence.toLocaleString('en')} items`);
    throw new TemplateError(`Template failed: ${e.message ?? 'evaluation error'}`);
  }
  if (result === undefined) return undefined;
  // JSONata sequences are arrays with extra flags; a JSON round trip makes results plain data.
  const text = JSON.stringify(result);
  if (text === undefined) return undefined;
  if (text.length > templateLimits.outputBytes) throw new TemplateError(`Template result is larger than ${templateLimits.outputBytes / 1024} KB`);
  return JSON.parse(text) as unknown;
}

const asText = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** Renders one value: literals as they are; a string with templates rendered against `data`. */
export async function renderValue(value: unknown, data: unknown): Promise<unknown> {
  if (typeof value !== 'string' || !value.includes('{{')) return value;
  const one = whole.exec(value);
  if (one && expressionsOf(value).length === 1) return evaluate((one[1] ?? '').trim(), data);
  let out = '';
  let last = 0;
  for (const m of value.matchAll(parts)) {
    out += value.slice(last, m.index) + asText(await evaluate((m[1] ?? '').trim(), data));
    last = (m.index ?? 0) + m[0].length;
  }
  return out + value.slice(last);
}

/** Renders a step's input (fields that render to undefined are left out, as an unset field). */
export async function renderInput(input: Record<string, unknown>, data: unknown): Promise<{ value: Record<string, unknown>; errors: Record<string, string> }> {
  const value: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [field, template] of Object.entries(input)) {
    try {
      const rendered = await renderValue(template, data);
      if (rendered !== undefined) value[field] = rendered;
    } catch (error) {
      errors[field] = error instanceof TemplateError ? error.message : 'Template failed';
    }
  }
  return { value, errors };
}

/** Evaluates a condition: true runs the step. Anything but a boolean true skips it. */
export async function conditionHolds(condition: string, data: unknown): Promise<boolean> {
  const text = condition.includes('{{') ? condition : `{{${condition}}}`;
  return (await renderValue(text, data)) === true;
}
