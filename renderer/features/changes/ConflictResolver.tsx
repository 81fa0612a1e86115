import { useState } from 'react';
import type { FieldSpec } from '../../../shared/integrations/fields.js';
import { useResolveConflict } from '../../app/data/hooks/useDrafts.js';
import type { Draft, DraftConflict, FieldChoice } from '../../app/data/types.js';
import { Button } from '../../components/Button.js';
import { useToast } from '../../components/Toast.js';
import { conflictRows } from './draftDiff.js';

export interface ConflictResolverProps {
  draft: Draft;
  conflict: DraftConflict;
  fields: readonly FieldSpec[];
  canMutate: boolean;
}

/**
 * Base, server-now and draft side by side with a choice per field. Fields only one side
 * changed start chosen; fields both changed must be chosen before resolving.
 */
export function ConflictResolver({ draft, conflict, fields, canMutate }: ConflictResolverProps) {
  const rows = conflictRows(fields, conflict, draft);
  const [choices, setChoices] = useState<Record<string, FieldChoice>>(() => Object.fromEntries(rows.flatMap((r) => (r.suggested ? [[r.key, r.suggested]] : []))));
  const toast = useToast();
  const resolve = useResolveConflict({
    onSuccess: (resolved) =>
      toast({
        tone: 'success',
        title: `${draft.integrationName}: conflict resolved`,
        body: !resolved
          ? 'You kept the server’s values, so the draft was dropped.'
          : resolved.state === 'draft'
            ? 'The draft now builds on the server’s latest version. Apply it when ready.'
            : 'The merged change builds on the server’s latest version and is being sent.',
      }),
    onError: (e) => toast({ tone: 'error', title: 'Couldn’t resolve the conflict', body: e.message }),
  });
  const missing = rows.filter((r) => !choices[r.key]);

  const submit = () => resolve.mutate({ id: draft.id, choices });

  return (
    <div className="conflict stack">
      <p>
        Someone changed {draft.integrationName} on the server after this draft was started. Choose which value to keep for each field.
      </p>
      <table className="diff-table conflict-table">
        <caption className="visually-hidden">Conflicting fields of {draft.integrationName}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Base</th>
            <th scope="col">Server now</th>
            <th scope="col">Your draft</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={row.overlapping ? 'conflict-overlap' : undefined}>
              <th scope="row">
                {row.label}
                {row.overlapping && <span className="conflict-flag">Changed on both sides</span>}
              </th>
              <td className="diff-before">{row.base}</td>
              {(['server', 'draft'] as const).map((side) => (
                <td key={side}>
                  <label className={`choice${choices[row.key] === side ? ' choice-selected' : ''}`}>
                    <input
                      type="radio"
                      name={`${draft.id}-${row.key}`}
                      value={side}
                      checked={choices[row.key] === side}
                      disabled={!canMutate}
                      onChange={() => setChoices((c) => ({ ...c, [row.key]: side }))}
                    />
                    <span>{side === 'server' ? row.server : row.draft}</span>
                    <span className="visually-hidden">{side === 'server' ? `: keep the server’s ${row.label}` : `: use your draft’s ${row.label}`}</span>
                  </label>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {canMutate && (
        <div className="row">
          <Button variant="primary" onClick={submit} busy={resolve.isPending} disabled={missing.length > 0}>
            Use these values
          </Button>
          <span className="muted" aria-live="polite">
            {missing.length > 0 ? `Choose a value for ${missing.map((r) => r.label).join(', ')}.` : 'Then apply the draft.'}
          </span>
        </div>
      )}
    </div>
  );
}
