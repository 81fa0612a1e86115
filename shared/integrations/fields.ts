import { z } from 'zod';

/**
 * Field specs: the one description of an integration's settings. The server validates with the
 * schema `settingsSchema` builds from them; the renderer builds its form and the same schema
 * from the specs it receives, so client and server can never disagree on what is valid.
 */
export const fieldKinds = ['Text', 'Secret', 'Select', 'Url', 'Bool'] as const;
export type FieldKind = (typeof fieldKinds)[number];

const fieldBase = {
  /** Settings key, snake_case (e.g. `api_token`). */
  key: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/),
  label: z.string().min(1).max(80),
  required: z.boolean(),
  help: z.string().max(400),
  placeholder: z.string().max(120).optional(),
};

/** A regular expression the value must match, with the message shown when it does not. */
export const fieldPatternSchema = z.object({ regex: z.string().min(1), message: z.string().min(1) });

export const fieldSpecSchema = z.discriminatedUnion('kind', [
  z.object({ ...fieldBase, kind: z.literal('Text'), pattern: fieldPatternSchema.optional(), maxLength: z.number().int().positive().max(4096).optional() }),
  z.object({ ...fieldBase, kind: z.literal('Secret'), pattern: fieldPatternSchema.optional(), maxLength: z.number().int().positive().max(4096).optional() }),
  z.object({
    ...fieldBase,
    kind: z.literal('Select'),
    options: z.array(z.object({ value: z.string().min(1), label: z.string().min(1) })).min(1),
  }),
  z.object({ ...fieldBase, kind: z.literal('Url'), pattern: fieldPatternSchema.optional() }),
  z.object({
    ...fieldBase,
    kind: z.literal('Bool'),
    /** What the plugin does when nothing is stored; the form starts from it (unset is not "off"). */
    default: z.boolean().optional(),
  }),
]);
export type FieldSpec = z.infer<typeof fieldSpecSchema>;

/** What a client sends back for a saved secret it did not change; it means "keep the stored value". */
export const SECRET_MASK = '••••••••';

/** How a stored secret is shown: whether it is set and its last four characters, never the value. */
export const secretViewSchema = z.object({ isSet: z.boolean(), last4: z.string().max(4).nullable() });
export type SecretView = z.infer<typeof secretViewSchema>;

/** Stored settings as the API returns them: plain values, secrets as `SecretView`. */
export const settingsViewSchema = z.record(z.string(), z.union([z.string(), z.boolean(), secretViewSchema]));
export type SettingsView = z.infer<typeof settingsViewSchema>;

/** Settings as a client sends them: strings and booleans only. */
export type SettingsInput = Record<string, string | boolean>;

/** Upper bound on any single text value, whatever the spec says. */
export const maxValueLength = 4096;

/**
 * - `create`: every required field must have a value.
 * - `update`: a Secret may be blank or the mask (keep the stored value); the service checks that
 *   a required secret ends up set.
 */
export type SettingsSchemaMode = 'create' | 'update';

/** "X is required" for a missing value, "X must be …" for a value of the wrong type. */
const typeError = (label: string, expected: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `${label} is required` : `${label} must be ${expected}`),
});

function textSchema(spec: Extract<FieldSpec, { kind: 'Text' | 'Secret' | 'Url' }>, mode: SettingsSchemaMode) {
  const max = 'maxLength' in spec && spec.maxLength ? spec.maxLength : maxValueLength;
  const keepsSecret = spec.kind === 'Secret' && mode === 'update';
  // On an edit the mask (like blank, or no key at all) means "keep the stored secret": it skips
  // every check, so one schema reports each problem with the field's own message.
  const kept = (v: string) => keepsSecret && (v === SECRET_MASK || v === '');
  let value = z
    .string(typeError(spec.label, 'text'))
    .trim()
    .refine((v) => kept(v) || v.length <= max, `${spec.label} must be at most ${max} characters`);
  if (spec.kind === 'Url') {
    value = value.refine((v) => v === '' || isHttpUrl(v), `${spec.label} must be an http(s) URL`);
  }
  if (spec.pattern) {
    const re = new RegExp(spec.pattern.regex);
    const message = spec.pattern.message;
    value = value.refine((v) => v === '' || kept(v) || re.test(v), message);
  }
  if (spec.required && !keepsSecret) value = value.refine((v) => v !== '', `${spec.label} is required`);
  if (spec.kind === 'Secret' && mode === 'create') {
    // With nothing stored there is nothing to keep: the mask would be saved as the secret.
    value = value.refine((v) => v !== SECRET_MASK, `Enter the ${spec.label}`);
  }
  return spec.required && !keepsSecret ? value : value.optional();
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function fieldSchema(spec: FieldSpec, mode: SettingsSchemaMode): z.ZodType {
  switch (spec.kind) {
    case 'Bool': {
      const flag = z.boolean(typeError(spec.label, 'true or false'));
      return spec.required ? flag : flag.optional();
    }
    case 'Select': {
      const values = spec.options.map((o) => o.value) as [string, ...string[]];
      const choices = `Choose one of: ${spec.options.map((o) => o.label).join(', ')}`;
      const error = (issue: { input?: unknown }) => (issue.input === undefined ? `${spec.label} is required` : choices);
      // Optional: blank means "none chosen".
      return spec.required ? z.enum(values, { error }) : z.enum([...values, ''], { error }).optional();
    }
    default:
      return textSchema(spec, mode);
  }
}

/**
 * The zod schema for an integration's settings. Strict: a key that is not a field is an error,
 * so a typo (or an attempt to smuggle a value) never passes silently.
 */
export function settingsSchema(fields: readonly FieldSpec[], mode: SettingsSchemaMode) {
  const shape: Record<string, z.ZodType> = {};
  for (const spec of fields) shape[spec.key] = fieldSchema(spec, mode);
  return z.strictObject(shape);
}

/** Whether a submitted secret value means "keep what is stored". */
export function keepsStoredSecret(value: unknown): boolean {
  return value === undefined || value === '' || value === SECRET_MASK;
}
