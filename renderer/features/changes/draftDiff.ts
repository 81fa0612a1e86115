import type { FieldSpec, SettingsView } from '../../../shared/integrations/fields.js';
import type { Draft, DraftConflict, FieldChoice } from '../../app/data/types.js';
import { displayValue } from '../integration-detail/settingsDisplay.js';

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
  if (spec.kind === 'Secret' && draft.replacedSecrets.includes(spec.key)) return CHANGED;
  return displayValue(spec, draft.settings);
}

/** The fields a draft changes against the server's current settings. */
export function diffDraft(fields: readonly FieldSpec[], server: SettingsView | null, draft: Draft): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const spec of fields) {
    const before = displayValue(spec, server);
    if (draft.action === 'delete') {
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
  /** The choice made for them when only one side changed it. */
  suggested: FieldChoice | null;
}

/**
 * Base, server-now and draft for each field either side changed. A field only one side changed
 * merges on its own (suggested), a field both changed differently needs a choice.
 */
export function conflictRows(fields: readonly FieldSpec[], conflict: DraftConflict, draft: Draft): ConflictRow[] {
  const rows: ConflictRow[] = [];
  for (const spec of fields) {
    const base = displayValue(spec, conflict.base);
    const server = displayValue(spec, conflict.server);
    const mine = draftValue(spec, draft);
    const serverChanged = server !== base;
    const draftChanged = mine === CHANGED || mine !== base;
    if (!serverChanged && !draftChanged) continue;
    if (!(spec.kind === 'Secret' && mine === CHANGED) && server === mine) continue;
    const overlapping = serverChanged && draftChanged;
    rows.push({ key: spec.key, label: spec.label, base, server, draft: mine, overlapping, suggested: overlapping ? null : serverChanged ? 'server' : 'draft' });
  }
  return rows;
}

export function actionText(draft: Draft): string {
  switch (draft.action) {
    case 'configure':
      return 'Set up';
    case 'reconfigure':
      return 'Change settings';
    case 'delete':
      return 'Delete configuration';
  }
}
