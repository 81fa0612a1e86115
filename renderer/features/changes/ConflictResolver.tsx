import { useState } from 'react';
import type { FieldSpec } from '../../../shared/integrations/fields.js';
import type { ConflictChoice, Draft } from '../../../shared/localApi.js';
import { useDiscardDraft, useResolveConflict } from '../../app/data/hooks/useDrafts.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { useToast } from '../../components/Toast.js';
import { conflictRows } from './draftDiff.js';

export interface ConflictResolverProps {
  draft: Draft;
  /** The integration's display name. */
  name: string;
  fields: readonly FieldSpec[];
  canMutate: boolean;
}

/**
 * Base, server-now and draft side by side. Fields only one side changed are merged by the core
 * (shown chosen, fixed); fields both changed need a choice before resolving.
 */
export function ConflictResolver({ draft, name, fields, canMutate }: ConflictResolverProps) {
  const rows = conflictRows(fields, draft);
  const [choices, setChoices] = useState<Record<string, ConflictChoice>>(() => Object.fromEntries(rows.flatMap((r) => (r.suggested ? [[r.key, r.suggested]] : []))));
  const toast = useToast();
  const resolve = useResolveConflict({
    onSuccess: (resolved) =>
      toast({
        tone: 'success',
        title: `${name}: conflict resolved`,
        body: !resolved
          ? 'You kept the server’s values, so the draft was dropped.'
          : resolved.state !== 'queued'
            ? 'The draft now builds on the server’s latest version. Apply it when ready.'
            : 'The merged change builds on the server’s latest version and is being sent.',
      }),
    onError: (e) => toast({ tone: 'error', title: 'Couldn’t resolve the conflict', body: e.message }),
  });
  const discard = useDiscardDraft({
    onSuccess: () => toast({ tone: 'success', title: `${name}: conflict resolved`, body: 'You kept the server’s version, so the rollback was dropped.' }),
    onError: (e) => toast({ tone: 'error', title: 'Couldn’t resolve the conflict', body: e.message }),
  });
  const missing = rows.filter((r) => !choices[r.key]);

  const submit = () => resolve.mutate({ id: draft.id, choices });

  if (draft.restoreFrom !== null) {
    // A rollback restores a whole version: no field to pick, only whether to restore it anyway.
    return (
      <div className="conflict stack">
        <p className="conflict-origin">
          <ServerChangeText draft={draft} name={name} /> Rolling back now would undo that change too.
        </p>
        {canMutate && (
          <div className="row">
            <Button variant="primary" onClick={() => resolve.mutate({ id: draft.id, choices: {} })} busy={resolve.isPending}>
              Roll back to version {draft.restoreFrom} anyway
            </Button>
            <Button onClick={() => discard.mutate(draft.id)} busy={discard.isPending} disabled={resolve.isPending}>
              Keep the server’s version
            </Button>
          </div>
        )}
      </div>
    );
  }

  return (
    <div className="conflict stack">
      <p className="conflict-origin">
        <ServerChangeText draft={draft} name={name} /> Choose which value to keep for each field.
      </p>
      <table className="diff-table conflict-table">
        <caption className="visually-hidden">Conflicting fields of {name}</caption>
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
              {(['theirs', 'mine'] as const).map((side) => (
                <td key={side}>
                  <label className={`choice${choices[row.key] === side ? ' choice-selected' : ''}`}>
                    <input
                      type="radio"
                      name={`${draft.id}-${row.key}`}
                      value={side}
                      checked={choices[row.key] === side}
                      disabled={!canMutate || !row.overlapping}
                      onChange={() => setChoices((c) => ({ ...c, [row.key]: side }))}
                    />
                    <span>{side === 'theirs' ? row.server : row.draft}</span>
                    <span className="visually-hidden">{side === 'theirs' ? `: keep the server’s ${row.label}` : `: use your draft’s ${row.label}`}</span>
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

/** Who changed the integration on the server and when, as the core read it from the synced audit. */
function ServerChangeText({ draft, name }: { draft: Draft; name: string }) {
  const change = draft.serverChange;
  const verb = change?.action === 'deleted' ? 'deleted' : 'changed';
  return (
    <>
      {change?.actor ?? 'Someone'} {verb} {name} on the server
      {change?.at ? (
        <>
          {' '}
          <RelativeTime iso={change.at} />
        </>
      ) : null}
      , after this draft was started.
    </>
  );
}
