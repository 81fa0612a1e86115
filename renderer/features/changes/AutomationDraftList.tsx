import type { AutomationDraft } from '../../../shared/localAutomations.js';
import { useAutomationDraftActions } from '../../app/data/hooks/useAutomations.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { KeptConflict, KeptEditSection, KeptStateBadge, useFailedToast } from './KeptEdit.js';

/** Where the kept edit opens in the editor: the automation, or (created offline) its kept copy. */
const editorOf = (d: AutomationDraft) => hrefFor({ name: 'automation', id: d.automationId ?? -d.id });

/**
 * Automation edits made offline (issue 23 §7), a card each: its name, what changed in a line, its
 * state and Discard. A conflict shows the server's automation beside the edit; a refusal shows
 * the server's message and fields, and opens in the editor to fix.
 */
export function AutomationDraftList({ drafts }: { drafts: AutomationDraft[] }) {
  const { discard, resolve } = useAutomationDraftActions();
  const failed = useFailedToast();
  return (
    <KeptEditSection id="automation-drafts-title" title="Automation changes">
        {drafts.map((d) => (
          <li key={d.id} className="mapping-draft" aria-label={`Automation: ${d.name}`}>
            <div className="row">
              <strong>
                <a href={editorOf(d)}>{d.name}</a>
              </strong>
              <KeptStateBadge state={d.state} />
            </div>
            <p>{d.summary}</p>
            {d.state === 'conflict' && d.server ? (
              <KeptConflict
                yours={d.name}
                theirs={`${d.server.name} (version ${d.server.version})`}
                why={`Someone saved this automation while you were offline (it was version ${d.baseVersion ?? '—'} when you edited it).`}
                busy={resolve.isPending}
                mineLabel="Save mine anyway"
                onResolve={(keep) => resolve.mutate({ id: d.id, keep }, { onError: failed('Not resolved') })}
              />
            ) : (
              <>
                {d.error && (
                  <div className="field-error" data-testid="automation-draft-error">
                    <p>{d.error}</p>
                    {d.fields && (
                      <ul>
                        {Object.entries(d.fields).map(([field, messages]) => (
                          <li key={field}>
                            <code>{field}</code>: {messages.join(' ')}
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                )}
                <div className="row">
                  {d.state === 'rejected' && (
                    <a className="btn btn-secondary btn-sm" href={editorOf(d)}>
                      Open in the editor
                    </a>
                  )}
                  <Button size="sm" variant="ghost" busy={discard.isPending} onClick={() => discard.mutate(d.id, { onError: failed('Not discarded') })}>
                    Discard
                  </Button>
                </div>
              </>
            )}
          </li>
        ))}
    </KeptEditSection>
  );
}
