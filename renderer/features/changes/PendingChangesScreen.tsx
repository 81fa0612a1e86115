import { useApplyDrafts, useDrafts } from '../../app/data/hooks/useDrafts.js';
import { useOwnIntegrations } from '../../app/data/hooks/useIntegrations.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions, useScope } from '../../app/data/scope.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { ReadOnlyNote } from '../integration-detail/ReadOnlyNote.js';
import { DraftCard } from './DraftCard.js';
import { QueueSummary } from './QueueSummary.js';
import { ReviewModeSwitch } from './ReviewModeSwitch.js';
import './PendingChanges.css';
import { summaryToast } from './summaryToast.js';
import { MappingDraftList } from './MappingDraftList.js';
import { useMappingDrafts } from '../../app/data/hooks/useMappings.js';
import { useAutomationDrafts } from '../../app/data/hooks/useAutomations.js';
import { AutomationDraftList } from './AutomationDraftList.js';
import { useIntents } from '../../app/data/hooks/useActions.js';
import { useActionRequests } from '../../app/data/hooks/useActionRequests.js';
import { RequestList } from '../actions/RequestOutcome.js';
import { PendingUpdates } from '../ticket-update/PendingUpdates.js';
import { useIntegrations } from '../../app/data/hooks/useIntegrations.js';

/** Drafts and the outbox: diffs against the server, conflicts, apply one or all, with progress. */
export function PendingChangesScreen() {
  const { user, viewingPartnerId } = useScope();
  const own = viewingPartnerId === user.partnerId;
  const { canMutate, readOnlyReason } = usePermissions();
  const drafts = useDrafts(own && user.role === 'partner_admin');
  const sync = useSyncStatus();
  const apply = useApplyDrafts();
  const toast = useToast();
  const online = sync.data?.connection === 'online';
  const activity = sync.data?.activity;
  const list = drafts.data ?? [];
  // Offline a queued change is already in the queue: "Queue all" counts only what it would add.
  const applicable = list.filter((d) => ((d.state === 'draft' || d.state === 'reviewed') && !d.error) || (online && d.state === 'queued')).length;
  const details = useOwnIntegrations(list.map((d) => d.integrationKey));
  const mappingDrafts = useMappingDrafts(own && user.role === 'partner_admin');
  const integrations = useIntegrations();
  const integrationName = (key: string) => integrations.data?.find((i) => i.key === key)?.name ?? key;
  const mappingList = mappingDrafts.data ?? [];
  const intents = useIntents({}, own && user.role === 'partner_admin');
  const intentList = intents.data ?? [];
  // Side-effectful actions from the Actions tab not yet sent (queued offline, refused, drafts).
  const requests = useActionRequests(undefined, own && user.role === 'partner_admin');
  const requestList = requests.data ?? [];
  // Automation edits made offline (issue 23 §7), sent by themselves on reconnect.
  const automationDrafts = useAutomationDrafts(own && user.role === 'partner_admin');
  const automationList = automationDrafts.data ?? [];

  if (!own || user.role !== 'partner_admin') {
    return (
      <div className="changes">
        <header className="page-header">
          <h1>Pending changes</h1>
        </header>
        <ReadOnlyNote reason={readOnlyReason ?? 'Only partner admins make changes.'} />
      </div>
    );
  }

  const applyAll = () =>
    apply.mutate('all', {
      onSuccess: (summary) => toast(summaryToast(summary)),
      onError: (e) => toast({ tone: 'error', title: 'Couldn’t apply the changes', body: e.message }),
    });

  return (
    <div className="changes">
      <header className="page-header">
        <div>
          <h1>Pending changes</h1>
          <p className="muted">Drafts wait here until you apply them; queued changes go out by themselves. Nothing typed here is lost, offline or after a restart.</p>
        </div>
        <div className="row">
          <ReviewModeSwitch describedBy="review-mode-help" />
          <Button variant="primary" onClick={applyAll} busy={apply.isPending} disabled={applicable === 0 || !canMutate}>
            {online ? `Apply all (${applicable})` : `Queue all (${applicable})`}
          </Button>
        </div>
      </header>
      <p id="review-mode-help" className="muted changes-help">
        With review on, saving an integration creates a draft to apply here; with it off, a save is applied at once, or queued while you’re offline.{' '}
        {online ? '' : 'You’re offline: Queue sends a change by itself when the connection returns.'}
      </p>
      <div className="changes-progress" aria-live="polite">
        {activity?.phase === 'pushing' ? (
          <ProgressBar label="Applying changes" done={activity.done} total={activity.total} />
        ) : activity?.phase === 'pulling' ? (
          <p className="muted">Syncing with the server…</p>
        ) : (
          sync.data && <QueueSummary status={sync.data} />
        )}
      </div>
      {drafts.isPending || details.pending ? (
        <div className="stack">
          <Skeleton height={160} />
          <Skeleton height={160} />
        </div>
      ) : drafts.isError ? (
        <EmptyState tone="error" title="Couldn’t read the pending changes" action={<Button onClick={() => void drafts.refetch()}>Try again</Button>}>
          {drafts.error.message}
        </EmptyState>
      ) : list.length === 0 ? (
        mappingList.length === 0 && automationList.length === 0 && intentList.length === 0 && requestList.length === 0 && <EmptyState title="No pending changes">Edits made offline, or with review on, wait here until you apply them.</EmptyState>
      ) : (
        <div className="stack">
          {list.map((draft) => (
            <DraftCard key={draft.id} draft={draft} detail={details.byKey.get(draft.integrationKey)} canMutate={canMutate} sync={sync.data} />
          ))}
        </div>
      )}
      {mappingList.length > 0 && <MappingDraftList drafts={mappingList} integrationName={integrationName} />}
      {automationList.length > 0 && <AutomationDraftList drafts={automationList} />}
      {intentList.length > 0 && <PendingUpdates intents={intentList} online={online} />}
      {requestList.length > 0 && <RequestList requests={requestList} provider={integrationName} title="Actions waiting to be sent" integrationName />}
    </div>
  );
}
