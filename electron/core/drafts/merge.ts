import type { FieldSpec, SecretView, SettingsView } from '../../../shared/integrations/fields.js';
import type { DraftValues, MergePreview } from '../../../shared/localApi.js';

export interface MergeInput {
  fields: readonly FieldSpec[];
  base: SettingsView | null;
  server: SettingsView | null;
  draftValues: DraftValues;
  /** Secret fields the draft typed a new value into. */
  typedSecrets: ReadonlySet<string>;
  /** Fields the server reported as changed since the base (may be empty: unknown). */
  serverReported?: readonly string[];
}

/**
 * Three-way merge of base, server-now and draft, field by field. A field only one side changed
 * takes that side; a field both changed to the same value is not a conflict; a field both
 * changed differently is `overlapping` and needs the user's choice. Secrets are compared by
 * `{isSet, last4}` on the server side and by "typed" on the draft side, never by value.
 */
export function threeWayMerge(input: MergeInput): MergePreview {
  const reported = new Set(input.serverReported ?? []);
  const preview: MergePreview = { fromDraft: [], fromServer: [], overlapping: [] };
  for (const spec of input.fields) {
    const key = spec.key;
    const baseValue = input.base?.[key];
    const serverValue = input.server?.[key];
    const serverChanged = reported.has(key) || !sameView(spec, baseValue, serverValue);
    const draftChanged =
      spec.kind === 'Secret' ? input.typedSecrets.has(key) : key in input.draftValues && !sameView(spec, baseValue, input.draftValues[key]);
    if (draftChanged && serverChanged) {
      const same = spec.kind !== 'Secret' && sameView(spec, serverValue, input.draftValues[key]);
      (same ? preview.fromDraft : preview.overlapping).push(key);
    } else if (draftChanged) {
      preview.fromDraft.push(key);
    } else if (serverChanged) {
      preview.fromServer.push(key);
    }
  }
  return preview;
}

type ViewValue = string | boolean | SecretView | undefined;

function sameView(spec: FieldSpec, a: ViewValue, b: ViewValue): boolean {
  if (spec.kind === 'Secret') {
    const sa = asSecret(a);
    const sb = asSecret(b);
    return sa.isSet === sb.isSet && sa.last4 === sb.last4;
  }
  return normalise(spec, a) === normalise(spec, b);
}

function asSecret(value: ViewValue): SecretView {
  return typeof value === 'object' ? value : { isSet: false, last4: null };
}

/** A missing value equals the empty one: the form sends '' (or false) for what the server omits. */
function normalise(spec: FieldSpec, value: ViewValue): string {
  if (typeof value === 'object') return '\u0000secret';
  if (spec.kind === 'Bool') return String(value === true);
  return value === undefined ? '' : String(value);
}
