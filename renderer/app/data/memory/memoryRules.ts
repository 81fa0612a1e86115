import { AppError, type FieldErrors } from '../../../../shared/errors.js';
import type { AuditChange, CatalogEntry } from '../../../../shared/integrations/catalog.js';
import {
  keepsStoredSecret,
  settingsSchema,
  type FieldSpec,
  type SettingsInput,
  type SettingsSchemaMode,
  type SettingsView,
} from '../../../../shared/integrations/fields.js';

/** Settings as the API shows them: secrets become `{isSet, last4}`, never the value. */
export function maskSettings(fields: readonly FieldSpec[], settings: SettingsInput): SettingsView {
  const view: SettingsView = {};
  for (const spec of fields) {
    const value = settings[spec.key];
    if (spec.kind === 'Secret') {
      const secret = typeof value === 'string' ? value : '';
      view[spec.key] = { isSet: secret !== '', last4: secret === '' ? null : secret.slice(-4) };
    } else if (value !== undefined) {
      view[spec.key] = value;
    }
  }
  return view;
}

/** Applies submitted values over stored ones: a blank or masked secret keeps what is stored. */
export function mergeSettings(fields: readonly FieldSpec[], stored: SettingsInput | null, submitted: SettingsInput): SettingsInput {
  const merged: SettingsInput = {};
  for (const spec of fields) {
    const value = submitted[spec.key];
    if (spec.kind === 'Secret' && keepsStoredSecret(value)) {
      const kept = stored?.[spec.key];
      if (kept !== undefined) merged[spec.key] = kept;
    } else if (value !== undefined) {
      merged[spec.key] = typeof value === 'string' ? value.trim() : value;
    }
  }
  return merged;
}

/** Secret fields the submission replaces (typed a new value). */
export function replacedSecrets(fields: readonly FieldSpec[], submitted: SettingsInput): string[] {
  return fields.filter((f) => f.kind === 'Secret' && !keepsStoredSecret(submitted[f.key])).map((f) => f.key);
}

function validationError(fields: FieldErrors): AppError {
  return AppError.fromBody({ code: 'VALIDATION_FAILED', message: 'Some settings need attention.', fields });
}

/** What the server's zod check does: the shared schema, with errors keyed `settings.<field>`. */
export function checkSchema(entry: CatalogEntry, submitted: SettingsInput, mode: SettingsSchemaMode): void {
  const result = settingsSchema(entry.fields, mode).safeParse(submitted);
  if (result.success) return;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = `settings.${issue.path.map(String).join('.') || 'settings'}`;
    (fields[path] ??= []).push(issue.message);
  }
  throw validationError(fields);
}

/**
 * The fake's stand-in for plugin `validate` and "required secret ends up set": rules only the
 * server can check, so they surface as server errors in the form (or as a rejected draft).
 */
export function checkServerRules(entry: CatalogEntry, merged: SettingsInput): void {
  const fields: FieldErrors = {};
  for (const spec of entry.fields) {
    if (spec.kind === 'Secret' && spec.required && !merged[spec.key]) fields[`settings.${spec.key}`] = [`${spec.label} is required`];
  }
  if (entry.key === 'syncro' && (merged.subdomain === 'unknown' || merged.subdomain === 'nonexistent')) {
    fields['settings.subdomain'] = [`No Syncro account answers at ${String(merged.subdomain)}.syncromsp.com`];
  }
  if (Object.keys(fields).length > 0) throw validationError(fields);
}

/** Field-level audit changes; secrets only as set/changed/cleared. */
export function auditChanges(fields: readonly FieldSpec[], before: SettingsInput | null, after: SettingsInput | null): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const spec of fields) {
    const a = before?.[spec.key];
    const b = after?.[spec.key];
    if (a === b || (a === undefined && b === '') || (a === '' && b === undefined)) continue;
    if (spec.kind === 'Secret') {
      changes.push({ field: spec.key, before: a ? 'changed' : null, after: b ? 'changed' : 'cleared', secret: true });
    } else {
      changes.push({ field: spec.key, before: a ?? null, after: b ?? null, secret: false });
    }
  }
  return changes;
}
