import type { LocalSyncStatus } from '../../../shared/localApi.js';
import { syncProblem } from '../../components/ConnectionBanner.js';
import { RelativeTime } from '../../components/RelativeTime.js';

/** The line the progress bar replaces while pushing: how many wait, how many conflict, last sync. */
export function QueueSummary({ status }: { status: LocalSyncStatus }) {
  return (
    <p className="queue-summary">
      <span>
        <strong>{status.pendingDrafts}</strong> pending
      </span>
      <span>
        <strong>{status.conflictDrafts}</strong> {status.conflictDrafts === 1 ? 'conflict' : 'conflicts'}
      </span>
      <span className="muted">
        Last synced <RelativeTime iso={status.lastSyncedAt} fallback="never" />
      </span>
      {syncProblem(status) && <span className="muted">Last error: {syncProblem(status)}</span>}
    </p>
  );
}
