import type { FieldSpec, SettingsView } from '../../../shared/integrations/fields.js';
import type { ConflictChoice, Draft } from '../../../shared/localApi.js';
import { displayValue } from '../integration-detail/settingsDisplay.js';
import { draftSettings } from './draftView.js';

export interface DiffRow {
  key: string;
  label: string;
  server: string;
  draft: string;
  secret: boolean;
}

/** Secrets in diffs never show values: a replaced one reads "changed". */
const CHANGED = 'changed';

function draftValue(spec: FieldSpec, draft: Draft): string {
  if (spec.kind === 'Secret' && draft.typedSecrets.includes(spec.key)) return CHANGED;
  return displayValue(spec, draftSettings(draft));
}

/** The fields a draft changes against the server's current settings. */
export function diffDraft(fields: readonly FieldSpec[], server: SettingsView | null, draft: Draft): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const spec of fields) {
    const before = displayValue(spec, server);
    if (draft.kind === 'delete') {
      if (server) rows.push({ key: spec.key, label: spec.label, server: before, draft: 'Removed', secret: spec.kind === 'Secret' });
      continue;
    }
    const after = draftValue(spec, draft);
    const secret = spec.kind === 'Secret';
    if (secret ? after === CHANGED : after !== before) rows.push({ key: spec.key, label: spec.label, server: before, draft: after, secret });
  }
  return rows;
}

export interface ConflictRow {
  key: string;
  label: string;
  base: string;
  server: string;
  draft: string;
  /** Both sides changed the field differently: the admin must choose. */
  overlapping: boolean;
  /** The side the core's merge takes when only one side changed the field. */
  suggested: ConflictChoice | null;
}

/**
 * Base, server-now and draft for each field the core's three-way merge (`draft.merge`) names:
 * a field only one side changed merges on its own (suggested), one both changed needs a choice.
 */
export function conflictRows(fields: readonly FieldSpec[], draft: Draft): ConflictRow[] {
  const merge = draft.merge;
  if (!merge) return [];
  const suggested = new Map<string, ConflictChoice | null>([
    ...merge.fromDraft.map((k) => [k, 'mine'] as const),
    ...merge.fromServer.map((k) => [k, 'theirs'] as const),
    ...merge.overlapping.map((k) => [k, null] as const),
  ]);
  return fields.flatMap((spec) => {
    if (!suggested.has(spec.key)) return [];
    const choice = suggested.get(spec.key) ?? null;
    return [
      {
        key: spec.key,
        label: spec.label,
        base: displayValue(spec, draft.base),
        server: displayValue(spec, draft.server?.settings ?? null),
        draft: draftValue(spec, draft),
        overlapping: choice === null,
        suggested: choice,
      },
    ];
  });
}

export function actionText(draft: Draft): string {
  if (draft.restoreFrom !== null) return `Roll back to version ${draft.restoreFrom}`;
  switch (draft.kind) {
    case 'configure':
      return 'Set up';
    case 'reconfigure':
      return 'Change settings';
    case 'delete':
      return 'Delete configuration';
  }
}
