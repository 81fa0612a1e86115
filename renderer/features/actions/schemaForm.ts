/**
 * The Actions tab's form, generated from an action's input JSON Schema (draft 2020-12, as the
 * server lists it from the plugin's zod schema). Pure: which fields to draw, their starting
 * values, and the typed input the form's values make. Anything it cannot draw (objects, arrays
 * of objects, unions) is a JSON text area for that field, so every action stays runnable.
 */

export type FieldKind = 'text' | 'textarea' | 'select' | 'number' | 'checkbox' | 'date' | 'datetime' | 'list' | 'client' | 'json';

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  /** `select`: the enum's values; `list`: the items' enum, if any. */
  options?: string[];
  /** `number` and `list` of numbers. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** `text`: the HTML input type (email, url). */
  inputType?: 'text' | 'email' | 'url';
  /** `list`: what each item is. */
  itemType?: 'string' | 'number' | 'integer';
  /** The schema's default, for the starting value. */
  defaultValue?: unknown;
}

export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "ticketId" → "Ticket id", "do_not_email" → "Do not email". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A schema that is "X or null" is drawn as X (an empty optional field sends nothing). */
function nonNull(schema: Schema): Schema {
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(union)) {
    const branches = union.filter((b) => isObject(b) && b.type !== 'null') as Schema[];
    if (branches.length === 1 && branches[0]) return { ...branches[0], ...(schema.default !== undefined ? { default: schema.default } : {}), ...(schema.description ? { description: schema.description } : {}) };
  }
  if (Array.isArray(schema.type)) {
    const types = (schema.type as unknown[]).filter((t) => t !== 'null');
    if (types.length === 1) return { ...schema, type: types[0] };
  }
  return schema;
}

const numberOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function bounds(schema: Schema, integer: boolean): { min?: number; max?: number } {
  let min = numberOf(schema.minimum);
  let max = numberOf(schema.maximum);
  const exMin = numberOf(schema.exclusiveMinimum);
  const exMax = numberOf(schema.exclusiveMaximum);
  if (exMin !== undefined) min = integer ? exMin + 1 : exMin;
  if (exMax !== undefined) max = integer ? exMax - 1 : exMax;
  // zod writes Number.MAX_SAFE_INTEGER as the bound of every int: not worth telling anyone.
  if (max !== undefined && Math.abs(max) >= Number.MAX_SAFE_INTEGER) max = undefined;
  if (min !== undefined && Math.abs(min) >= Number.MAX_SAFE_INTEGER) min = undefined;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

const stringEnum = (schema: Schema): string[] | undefined =>
  Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string') ? (schema.enum as string[]) : undefined;

/** The client a client-scoped action addresses: the partner's client id (Syncro's `clientId`). */
export function isClientField(name: string, schema: Schema): boolean {
  return /^client_?id$/i.test(name) && (schema.type === 'integer' || schema.type === 'number' || schema.type === 'string');
}

function fieldOf(name: string, raw: Schema, required: boolean, clientScoped: boolean): FormField {
  const schema = nonNull(raw);
  const base = {
    name,
    label: typeof schema.title === 'string' ? schema.title : humanize(name),
    required,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    ...(schema.default !== undefined ? { defaultValue: schema.default } : {}),
  };
  if (clientScoped && isClientField(name, schema)) return { ...base, kind: 'client' };
  const options = stringEnum(schema);
  if (options) return { ...base, kind: 'select', options };
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'date') return { ...base, kind: 'date' };
      if (schema.format === 'date-time') return { ...base, kind: 'datetime' };
      const inputType = schema.format === 'email' ? 'email' : schema.format === 'uri' || schema.format === 'url' ? 'url' : 'text';
      // Long text (a comment, notes) gets room to write.
      const long = numberOf(schema.maxLength) !== undefined && (schema.maxLength as number) > 500;
      return { ...base, kind: long && inputType === 'text' ? 'textarea' : 'text', inputType };
    }
    case 'integer':
    case 'number': {
      const integer = schema.type === 'integer';
      return { ...base, kind: 'number', integer, ...bounds(schema, integer) };
    }
    case 'boolean':
      return { ...base, kind: 'checkbox' };
    case 'array': {
      const items = isObject(schema.items) ? nonNull(schema.items) : null;
      const itemType = items?.type;
      if (items && (itemType === 'string' || itemType === 'number' || itemType === 'integer')) {
        const itemOptions = stringEnum(items);
        return { ...base, kind: 'list', itemType, ...(itemOptions ? { options: itemOptions } : {}) };
      }
      return { ...base, kind: 'json' };
    }
    default:
      return { ...base, kind: 'json' };
  }
}

/** The fields of an object schema, in its property order; a non-object input is one JSON field. */
export function fieldsOf(inputSchema: Record<string, unknown>, options: { clientScoped?: boolean } = {}): FormField[] {
  const properties = isObject(inputSchema.properties) ? inputSchema.properties : null;
  if (inputSchema.type !== 'object' || !properties) return [];
  const required = new Set(Array.isArray(inputSchema.required) ? (inputSchema.required as string[]) : []);
  return Object.entries(properties).map(([name, schema]) => fieldOf(name, isObject(schema) ? schema : {}, required.has(name), options.clientScoped ?? false));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An ISO time as a `datetime-local` value, in this computer's time zone. */
export function toLocalDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A field's value in the form for a value of the input (a default, or a request being edited). */
function formValueOf(field: FormField, value: unknown): FormValue {
  if (field.kind === 'checkbox') return value === true;
  if (value === undefined || value === null) return '';
  switch (field.kind) {
    case 'list':
      return Array.isArray(value) ? value.map(String).join('\n') : '';
    case 'json':
      return JSON.stringify(value, null, 2);
    case 'datetime':
      return typeof value === 'string' ? toLocalDateTime(value) : '';
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number);
  }
}

/** The starting values: each field's default, or the given input's value (editing a request). */
export function initialValues(fields: FormField[], input: Record<string, unknown> = {}): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, formValueOf(f, f.name in input ? input[f.name] : f.defaultValue)]));
}

function toNumber(text: string, field: Pick<FormField, 'integer' | 'min' | 'max'>): number | string {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) return 'Enter a number';
  if (field.integer && !Number.isInteger(n)) return 'Enter a whole number';
  if (field.min !== undefined && n < field.min) return `At least ${field.min}`;
  if (field.max !== undefined && n > field.max) return `At most ${field.max}`;
  return n;
}

/** "a, b" or one per line → the items, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface BuiltInput {
  input: Record<string, unknown>;
  /** Messages by field name for what the form could not turn into input (the server checks the rest). */
  errors: Record<string, string>;
}

/**
 * The action's input from the form's values. An empty optional field is left out (the server
 * applies its default); an empty required one is an error here. Only what the form itself can
 * tell is checked: the action's schema on the server has the last word, field by field.
 */
export function buildInput(fields: FormField[], values: FormValues): BuiltInput {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === 'checkbox') {
      input[field.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') {
      if (field.required) errors[field.name] = field.kind === 'client' ? 'Choose a client' : 'Required';
      continue;
    }
    switch (field.kind) {
      case 'number':
      case 'client': {
        const n = toNumber(text, field.kind === 'client' ? { integer: true } : field);
        if (typeof n === 'string') errors[field.name] = n;
        else input[field.name] = n;
        break;
      }
      case 'datetime': {
        const d = new Date(text);
        if (Number.isNaN(d.getTime())) errors[field.name] = 'Enter a date and time';
        else input[field.name] = d.toISOString();
        break;
      }
      case 'list': {
        const items = splitList(text);
        if (field.itemType === 'string') {
          const bad = field.options ? items.find((i) => !field.options?.includes(i)) : undefined;
          if (bad !== undefined) errors[field.name] = `“${bad}” is not one of ${field.options?.join(', ')}`;
          else input[field.name] = items;
        } else {
          const numbers = items.map((i) => toNumber(i, { integer: field.itemType === 'integer' }));
          const bad = numbers.find((n) => typeof n === 'string');
          if (typeof bad === 'string') errors[field.name] = `Each item: ${bad.toLowerCase()}`;
          else input[field.name] = numbers;
        }
        break;
      }
      case 'json':
        try {
          input[field.name] = JSON.parse(text) as unknown;
        } catch {
          errors[field.name] = 'Not valid JSON';
        }
        break;
      default:
        input[field.name] = text;
    }
  }
  return { input, errors };
}

/** The server's field messages (`input.<path>` or `<path>`) by top-level field name; the rest under ''. */
export function fieldErrorsByName(fields: FormField[], server: Record<string, string[]> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!server) return out;
  const names = new Set(fields.map((f) => f.name));
  for (const [path, messages] of Object.entries(server)) {
    const top = path.replace(/^input\./, '').split('.')[0] ?? '';
    const key = names.has(top) ? top : '';
    const message = messages.join(' ');
    out[key] = out[key] ? `${out[key]} ${message}` : message;
  }
  return out;
}
