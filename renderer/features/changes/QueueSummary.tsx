import type { SyncStatus } from '../../app/data/types.js';
import { RelativeTime } from '../../components/RelativeTime.js';

/** The line the progress bar replaces while pushing: how many wait, how many conflict, last sync. */
export function QueueSummary({ status }: { status: SyncStatus }) {
  return (
    <p className="queue-summary">
      <span>
        <strong>{status.pendingCount}</strong> pending
      </span>
      <span>
        <strong>{status.conflictCount}</strong> {status.conflictCount === 1 ? 'conflict' : 'conflicts'}
      </span>
      <span className="muted">
        Last synced <RelativeTime iso={status.lastSyncedAt} fallback="never" />
      </span>
      {status.lastError && <span className="muted">Last error: {status.lastError}</span>}
    </p>
  );
}
