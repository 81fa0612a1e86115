import { useState } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { Draft, LocalSyncStatus } from '../../../shared/localApi.js';
import { useApplyDrafts, useDiscardDraft, useUpdateDraft } from '../../app/data/hooks/useDrafts.js';
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
import { draftBadgeState, draftSettings, type DraftBadgeState } from './draftView.js';
import { summaryToast } from './summaryToast.js';

function stateBadge(state: DraftBadgeState): { tone: BadgeTone; text: string } {
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
  sync: LocalSyncStatus | undefined;
}

export function DraftCard({ draft, detail, canMutate, sync }: DraftCardProps) {
  const online = sync?.connection === 'online';
  const name = detail?.name ?? draft.integrationKey;
  const state = draftBadgeState(draft, sync);
  const [editing, setEditing] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const update = useUpdateDraft();
  const toast = useToast();
  const discard = useDiscardDraft({
    onSuccess: () => toast({ tone: 'success', title: `Draft for ${name} discarded` }),
    onError: (e) => toast({ tone: 'error', title: 'Couldn’t discard the draft', body: e.message }),
  });
  const apply = useApplyDrafts({
    onSuccess: (summary) => toast(summaryToast(summary)),
    onError: (e) => toast({ tone: 'error', title: 'Couldn’t apply the change', body: e.message }),
  });
  const badge = stateBadge(state);
  const titleId = `draft-${draft.id}-title`;
  // A rollback has no values of its own to edit: it restores a version (discard it to change course).
  const editable = canMutate && (state === 'draft' || state === 'rejected') && draft.kind !== 'delete' && draft.restoreFrom === null;

  const onApply = () => apply.mutate([draft.id]);

  const onDiscard = () => discard.mutate(draft.id, { onSuccess: () => setConfirmDiscard(false) });

  return (
    <article className="card draft-card" aria-labelledby={titleId}>
      <div className="card-header">
        <div className="draft-title">
          <h2 id={titleId}>
            <a href={hrefFor({ name: 'integration', key: draft.integrationKey })}>{name}</a>
          </h2>
          <span className="muted">
            {actionText(draft)} · edited <RelativeTime iso={draft.updatedAt} />
          </span>
        </div>
        <Badge tone={badge.tone}>{badge.text}</Badge>
      </div>
      <div className="card-body stack">
        {state === 'rejected' && draft.error && (
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
            settings={draftSettings(draft)}
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
        ) : state === 'conflict' ? (
          <ConflictResolver draft={draft} name={name} fields={detail.fields} canMutate={canMutate} />
        ) : draft.restoreFrom !== null ? (
          <p>
            Restores version {draft.restoreFrom} of {name} as it was saved, secrets included, as a new version. The server checks it against today’s rules when it is
            sent; version history lists what changes back.
          </p>
        ) : (
          <DraftDiff rows={diffDraft(detail.fields, detail.settings, draft)} caption={`Changes in the ${name} draft`} />
        )}
        {state === 'queued' && (
          // The core refuses to discard or edit a queued change (it may already be on its way),
          // so the card explains the wait instead of offering buttons that would only fail.
          <div className="notice notice-info" role="note">
            <p>
              {online ? 'Waiting to be sent — it goes out with the next sync.' : 'Waiting to be sent — it is applied by itself when you reconnect.'} Until its result is in, it
              can’t be edited or discarded.
            </p>
          </div>
        )}
        {canMutate && !editing && state !== 'pushing' && (state !== 'queued' || online) && (
          <div className="row draft-actions">
            {(state === 'draft' || state === 'queued') && (
              // Offline, applying queues it: the same verb as the header's "Queue all".
              <Button variant="primary" size="sm" onClick={onApply} busy={apply.isPending} aria-label={`${state === 'queued' ? 'Send' : online ? 'Apply' : 'Queue'} the ${name} draft`}>
                {state === 'queued' ? 'Send now' : online ? 'Apply' : 'Queue'}
              </Button>
            )}
            {editable && (
              <Button size="sm" onClick={() => setEditing(true)} aria-label={`Edit the ${name} draft`}>
                Edit
              </Button>
            )}
            {state !== 'queued' && (
              <Button size="sm" variant="ghost" onClick={() => setConfirmDiscard(true)} aria-label={`Discard the ${name} draft`}>
                Discard
              </Button>
            )}
          </div>
        )}
      </div>
      <ConfirmDialog open={confirmDiscard} title={`Discard the ${name} draft?`} confirmLabel="Discard draft" tone="danger" busy={discard.isPending} onConfirm={onDiscard} onCancel={() => setConfirmDiscard(false)}>
        <p>The changes in this draft are lost. The settings on the server stay as they are.</p>
      </ConfirmDialog>
    </article>
  );
}
