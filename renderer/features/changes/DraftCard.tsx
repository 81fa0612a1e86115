import { useState } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { useApplyDrafts, useDiscardDraft, useUpdateDraft } from '../../app/data/hooks/useDrafts.js';
import type { Draft, DraftState } from '../../app/data/types.js';
import { hrefFor } from '../../app/router.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { useToast } from '../../components/Toast.js';
import { ConfigurationForm } from '../integration-detail/form/ConfigurationForm.js';
import { ConflictResolver } from './ConflictResolver.js';
import { DraftDiff } from './DraftDiff.js';
import { actionText, diffDraft } from './draftDiff.js';
import { summaryToast } from './summaryToast.js';

function stateBadge(state: DraftState): { tone: BadgeTone; text: string } {
  switch (state) {
    case 'draft':
      return { tone: 'info', text: 'Draft' };
    case 'queued':
      return { tone: 'neutral', text: 'Waiting to send' };
    case 'pushing':
      return { tone: 'info', text: 'Sending…' };
    case 'conflict':
      return { tone: 'warn', text: 'Conflict' };
    case 'rejected':
      return { tone: 'danger', text: 'Rejected' };
  }
}

/** One pending change: its diff against the server (or the conflict), and edit/discard/apply. */
export interface DraftCardProps {
  draft: Draft;
  /** The integration as the server has it now (fields and settings); undefined if it is gone. */
  detail: IntegrationDetail | undefined;
  canMutate: boolean;
  online: boolean;
}

export function DraftCard({ draft, detail, canMutate, online }: DraftCardProps) {
  const [editing, setEditing] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const update = useUpdateDraft();
  const toast = useToast();
  const discard = useDiscardDraft({
    onSuccess: () => toast({ tone: 'success', title: `Draft for ${draft.integrationName} discarded` }),
    onError: (e) => toast({ tone: 'error', title: 'Couldn’t discard the draft', body: e.message }),
  });
  const apply = useApplyDrafts({
    onSuccess: (summary) => toast(summaryToast(summary)),
    onError: (e) => toast({ tone: 'error', title: 'Couldn’t apply the change', body: e.message }),
  });
  const badge = stateBadge(draft.state);
  const titleId = `draft-${draft.id}-title`;
  const editable = canMutate && (draft.state === 'draft' || draft.state === 'rejected') && draft.action !== 'delete';

  const onApply = () => apply.mutate([draft.id]);

  const onDiscard = () => discard.mutate(draft.id, { onSuccess: () => setConfirmDiscard(false) });

  return (
    <article className="card draft-card" aria-labelledby={titleId}>
      <div className="card-header">
        <div className="draft-title">
          <h2 id={titleId}>
            <a href={hrefFor({ name: 'integration', key: draft.integrationKey })}>{draft.integrationName}</a>
          </h2>
          <span className="muted">
            {actionText(draft)} · edited <RelativeTime iso={draft.updatedAt} />
          </span>
        </div>
        <Badge tone={badge.tone}>{badge.text}</Badge>
      </div>
      <div className="card-body stack">
        {draft.state === 'rejected' && draft.error && (
          <div className="notice notice-danger" role="note">
            <p>
              <strong>The server refused this change: </strong>
              {draft.error.message} {draft.error.fields ? 'Edit the draft to fix the highlighted fields.' : ''}
            </p>
          </div>
        )}
        {!detail ? (
          <p className="muted">This integration is not in the catalog any more; discard the draft.</p>
        ) : editing ? (
          <ConfigurationForm
            idPrefix={`draft-${draft.id}`}
            fields={detail.fields}
            settings={draft.settings}
            serverErrors={draft.error?.fields}
            submitLabel="Save draft"
            busy={update.isPending}
            onCancel={() => setEditing(false)}
            onSubmit={(settings) =>
              update.mutate(
                { id: draft.id, settings },
                {
                  onSuccess: () => {
                    setEditing(false);
                    toast({ tone: 'success', title: 'Draft updated' });
                  },
                  onError: (e) => toast({ tone: 'error', title: 'Couldn’t update the draft', body: e.message }),
                },
              )
            }
          />
        ) : draft.state === 'conflict' && draft.conflict ? (
          <ConflictResolver draft={draft} conflict={draft.conflict} fields={detail.fields} canMutate={canMutate} />
        ) : (
          <DraftDiff rows={diffDraft(detail.fields, detail.settings, draft)} caption={`Changes in the ${draft.integrationName} draft`} />
        )}
        {draft.state === 'queued' && (
          // The core refuses to discard or edit a queued change (it may already be on its way),
          // so the card explains the wait instead of offering buttons that would only fail.
          <div className="notice notice-info" role="note">
            <p>
              {online ? 'Waiting to be sent — it goes out with the next sync.' : 'Waiting to be sent — it will be applied when you’re back online.'} Until its result is in, it
              can’t be edited or discarded.
            </p>
          </div>
        )}
        {canMutate && !editing && draft.state !== 'pushing' && (draft.state !== 'queued' || online) && (
          <div className="row draft-actions">
            {(draft.state === 'draft' || draft.state === 'queued') && (
              <Button variant="primary" size="sm" onClick={onApply} busy={apply.isPending} aria-label={`Apply the ${draft.integrationName} draft`}>
                {draft.state === 'queued' ? 'Send now' : 'Apply'}
              </Button>
            )}
            {editable && (
              <Button size="sm" onClick={() => setEditing(true)} aria-label={`Edit the ${draft.integrationName} draft`}>
                Edit
              </Button>
            )}
            {draft.state !== 'queued' && (
              <Button size="sm" variant="ghost" onClick={() => setConfirmDiscard(true)} aria-label={`Discard the ${draft.integrationName} draft`}>
                Discard
              </Button>
            )}
          </div>
        )}
      </div>
      <ConfirmDialog open={confirmDiscard} title={`Discard the ${draft.integrationName} draft?`} confirmLabel="Discard draft" tone="danger" busy={discard.isPending} onConfirm={onDiscard} onCancel={() => setConfirmDiscard(false)}>
        <p>The changes in this draft are lost. The settings on the server stay as they are.</p>
      </ConfirmDialog>
    </article>
  );
}
