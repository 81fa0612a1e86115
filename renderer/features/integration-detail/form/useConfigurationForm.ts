import { useMemo, useState } from 'react';
import type { FieldErrors } from '../../../../shared/errors.js';
import type { FieldSpec, SettingsInput, SettingsView } from '../../../../shared/integrations/fields.js';
import { initialValues, mapServerErrors, toSettingsInput, validate, type FormValues } from './formModel.js';

/** Typing the form holds: the fields whose values differ from what it opened with, and secrets being replaced. */
export interface FormEdits {
  values: FormValues;
  replacing: Record<string, boolean>;
}

export interface ConfigurationFormState {
  mode: 'create' | 'update';
  values: FormValues;
  replacing: Record<string, boolean>;
  dirty: boolean;
  /** What the user changed; empty when not dirty. */
  edits: FormEdits;
  /** The message to show under a field now, or undefined. */
  errorFor(key: string): string | undefined;
  /** Server messages that name no field of this form. */
  otherErrors: string[];
  setValue(key: string, value: string | boolean): void;
  setReplacing(key: string, on: boolean): void;
  reset(): void;
  /** Validates everything; returns the settings to send, or the keys of invalid fields in form order. */
  submit(): { ok: true; input: SettingsInput } | { ok: false; invalid: string[] };
}

/**
 * Form state for ConfigurationForm: values, secret replace/keep, and errors shown as you type
 * (for fields you touched) and all at once after a submit. A server error on a field stays
 * until that field is edited.
 */
export function useConfigurationForm(
  fields: readonly FieldSpec[],
  settings: SettingsView | null,
  serverErrors: FieldErrors | null | undefined,
  /** Typing carried over from the form this one replaces (a newer version arrived meanwhile). */
  carry?: FormEdits,
): ConfigurationFormState {
  const mode = settings ? 'update' : 'create';
  const [initial] = useState(() => initialValues(fields, settings));
  const [values, setValues] = useState<FormValues>(() => ({ ...initial, ...carry?.values }));
  const [replacing, setReplacingState] = useState<Record<string, boolean>>(() => ({ ...carry?.replacing }));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [edited, setEdited] = useState<Record<string, boolean>>({});
  const [seenServerErrors, setSeenServerErrors] = useState(serverErrors);
  if (seenServerErrors !== serverErrors) {
    // New server errors: show them all again, even on fields edited before the last submit.
    setSeenServerErrors(serverErrors);
    setEdited({});
  }

  const input = useMemo(() => toSettingsInput(fields, values, settings, replacing), [fields, values, settings, replacing]);
  const clientErrors = useMemo(() => validate(fields, input, mode, settings), [fields, input, mode, settings]);
  const server = useMemo(() => mapServerErrors(fields, serverErrors), [fields, serverErrors]);

  const edits = useMemo<FormEdits>(
    () => ({
      values: Object.fromEntries(fields.filter((f) => values[f.key] !== initial[f.key]).map((f) => [f.key, values[f.key] ?? ''])),
      replacing: Object.fromEntries(Object.entries(replacing).filter(([, on]) => on)),
    }),
    [fields, values, initial, replacing],
  );
  const dirty = Object.keys(edits.values).length > 0 || Object.keys(edits.replacing).length > 0;

  return {
    mode,
    values,
    replacing,
    dirty,
    edits,
    otherErrors: server.other,
    errorFor: (key) => ((touched[key] || submitted) && clientErrors[key]) || (edited[key] ? undefined : server.byField[key]),
    setValue: (key, value) => {
      setValues((v) => ({ ...v, [key]: value }));
      setTouched((t) => ({ ...t, [key]: true }));
      setEdited((e) => ({ ...e, [key]: true }));
    },
    setReplacing: (key, on) => {
      setReplacingState((r) => ({ ...r, [key]: on }));
      if (!on) setValues((v) => ({ ...v, [key]: '' }));
    },
    reset: () => {
      setValues(initial);
      setReplacingState({});
      setTouched({});
      setSubmitted(false);
    },
    submit: () => {
      setSubmitted(true);
      const invalid = fields.map((f) => f.key).filter((k) => clientErrors[k]);
      return invalid.length > 0 ? { ok: false, invalid } : { ok: true, input };
    },
  };
}
