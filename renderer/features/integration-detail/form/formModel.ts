import type { FieldErrors } from '../../../../shared/errors.js';
import {
  SECRET_MASK,
  settingsSchema,
  type FieldSpec,
  type SecretView,
  type SettingsInput,
  type SettingsSchemaMode,
  type SettingsView,
} from '../../../../shared/integrations/fields.js';

/** What the inputs hold: text for Text/Secret/Url/Select, booleans for Bool. */
export type FormValues = Record<string, string | boolean>;

/** Per field, the first message to show (client or server). */
export type FormErrors = Record<string, string>;

export function isSecretView(value: unknown): value is SecretView {
  return typeof value === 'object' && value !== null && 'isSet' in value;
}

/** The stored secret for a field, when one is saved. */
export function savedSecret(settings: SettingsView | null, key: string): SecretView | null {
  const value = settings?.[key];
  return isSecretView(value) && value.isSet ? value : null;
}

/** Starting values: stored values, secrets blank (the stored one is kept unless replaced). */
export function initialValues(fields: readonly FieldSpec[], settings: SettingsView | null): FormValues {
  const values: FormValues = {};
  for (const spec of fields) {
    const stored = settings?.[spec.key];
    if (spec.kind === 'Bool') values[spec.key] = typeof stored === 'boolean' ? stored : spec.default === true;
    else values[spec.key] = typeof stored === 'string' ? stored : '';
  }
  return values;
}

/**
 * What the form sends: a saved secret that is not being replaced, or whose replacement is left
 * blank, goes back as SECRET_MASK ("keep"), never as an empty string that could clear it.
 */
export function toSettingsInput(fields: readonly FieldSpec[], values: FormValues, settings: SettingsView | null, replacing: Record<string, boolean>): SettingsInput {
  const input: SettingsInput = {};
  for (const spec of fields) {
    const value = values[spec.key];
    if (spec.kind === 'Bool') {
      input[spec.key] = value === true;
    } else if (spec.kind === 'Secret' && savedSecret(settings, spec.key) && (!replacing[spec.key] || value === '')) {
      input[spec.key] = SECRET_MASK;
    } else {
      input[spec.key] = typeof value === 'string' ? value : '';
    }
  }
  return input;
}

/**
 * Validates with THE shared schema (the one the server uses), plus the one rule the schema
 * leaves to the service in update mode: a required secret must end up set.
 */
export function validate(fields: readonly FieldSpec[], input: SettingsInput, mode: SettingsSchemaMode, settings: SettingsView | null): FormErrors {
  const errors: FormErrors = {};
  const result = settingsSchema(fields, mode).safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (key && !errors[key]) errors[key] = issue.message;
    }
  }
  for (const spec of fields) {
    if (spec.kind === 'Secret' && spec.required && mode === 'update' && input[spec.key] === '' && !savedSecret(settings, spec.key)) {
      errors[spec.key] ??= `${spec.label} is required`;
    }
  }
  return errors;
}

/** Server messages keyed "settings.<field>" (or "<field>") mapped onto fields; the rest go to the form. */
export function mapServerErrors(fields: readonly FieldSpec[], serverFields: FieldErrors | null | undefined): { byField: FormErrors; other: string[] } {
  const byField: FormErrors = {};
  const other: string[] = [];
  const keys = new Set(fields.map((f) => f.key));
  for (const [path, messages] of Object.entries(serverFields ?? {})) {
    const key = path.replace(/^settings\./, '');
    const message = messages[0];
    if (!message) continue;
    if (keys.has(key)) byField[key] ??= message;
    else other.push(message);
  }
  return { byField, other };
}
