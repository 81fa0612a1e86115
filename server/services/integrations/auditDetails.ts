import type { AuditChange } from '../../../shared/integrations/catalog.js';
import type { FieldKind } from '../../../shared/integrations/fields.js';
import type { StoredSettings } from '../../db/integrationConfigs.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';

/**
 * Field kinds whose values may appear in an audit row: an allow-list. Secret — and any kind
 * added later — is recorded only as `set` / `changed` / `cleared`, so a new sensitive kind
 * cannot leak into the audit by default.
 */
const auditedValueKinds: ReadonlySet<FieldKind> = new Set<FieldKind>(['Text', 'Url', 'Select', 'Bool']);

const plainValue = (value: unknown): string | boolean | null =>
  typeof value === 'string' || typeof value === 'boolean' ? value : null;

const isPresent = (value: unknown) => value !== undefined && value !== null && value !== '';

/** A field's value in stored settings, a Bool left unset counting as its default ("not set means on"). */
function effective(settings: StoredSettings | undefined, field: RegisteredIntegration['entry']['fields'][number]): unknown {
  if (settings === undefined) return undefined;
  const value = settings[field.key];
  return value === undefined && field.kind === 'Bool' ? field.default : value;
}

/**
 * Field-level before/after between two stored settings, over the integration's field specs
 * only (a stored key that is not a field is never copied). `replacedSecrets` names the secret
 * fields given a new value, which show as `changed` even when the ciphertexts cannot be compared.
 */
export function settingsChanges(
  integration: RegisteredIntegration,
  before: StoredSettings | undefined,
  after: StoredSettings | undefined,
  replacedSecrets: ReadonlySet<string> = new Set(),
): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const field of integration.entry.fields) {
    const b = effective(before, field);
    const a = effective(after, field);
    if (auditedValueKinds.has(field.kind)) {
      const from = plainValue(b);
      const to = plainValue(a);
      if (from !== to) changes.push({ field: field.key, before: from, after: to, secret: false });
      continue;
    }
    if (!isPresent(b) && isPresent(a)) changes.push({ field: field.key, before: null, after: 'set', secret: true });
    else if (isPresent(b) && !isPresent(a)) changes.push({ field: field.key, before: 'set', after: 'cleared', secret: true });
    else if (isPresent(b) && replacedSecrets.has(field.key)) changes.push({ field: field.key, before: 'set', after: 'changed', secret: true });
  }
  return changes;
}
