import type { LocalSyncStatus } from '../../shared/localApi.js';
import { Button } from './Button.js';
import './ConnectionBanner.css';
import { RelativeTime } from './RelativeTime.js';

/** The last sync problem in words: the session ending or the server being away say so plainly. */
export function syncProblem(status: LocalSyncStatus): string | null {
  if (status.authRequired) return 'Your session has ended; sign in again to sync.';
  if (status.connection === 'offline') return 'The server can’t be reached; changes wait here until it answers.';
  return status.lastError;
}

function connectionText(status: LocalSyncStatus): string {
  if (status.activity.phase === 'pushing') return 'Applying changes…';
  if (status.activity.phase === 'pulling') return 'Syncing…';
  switch (status.connection) {
    case 'online':
      return 'Online';
    case 'offline':
      return 'Offline';
    case 'unknown':
      return 'Connecting…';
  }
}

/**
 * The always-visible connection state: online/offline/syncing and when data was last synced.
 * A fixed-width slot in the header, so it never pushes other controls around when it changes.
 */
export function ConnectionStatus({ status, onSyncNow, syncing }: { status: LocalSyncStatus | undefined; onSyncNow(): void; syncing: boolean }) {
  const tone = !status ? 'unknown' : status.activity.phase !== 'idle' ? 'busy' : status.connection;
  return (
    <div className="connection">
      <div className={`connection-pill connection-${tone}`} role="status" aria-live="polite">
        <span className="connection-dot" aria-hidden="true" />
        <span className="connection-text">
          <strong>{status ? connectionText(status) : 'Checking connection…'}</strong>
          <span className="connection-synced">
            {status && (
              <>
                Last synced <RelativeTime iso={status.lastSyncedAt} fallback="never" />
              </>
            )}
          </span>
        </span>
      </div>
      {/* Offline too: "try now" instead of waiting for the next automatic retry. */}
      <Button size="sm" variant="ghost" onClick={onSyncNow} busy={syncing} disabled={!status} aria-label={status?.connection === 'online' ? 'Sync now' : 'Try to reconnect now'}>
        {status?.connection === 'online' ? 'Sync' : 'Retry'}
      </Button>
    </div>
  );
}

/**
 * What the core does with a save made offline (electron/core/services/submitChange.ts): with
 * review on it waits as a draft; with review off it is queued and sent by itself on reconnect.
 */
export function offlineSaveText(reviewMode: boolean): string {
  return reviewMode
    ? 'Changes you save are kept as drafts to review and apply in Pending changes.'
    : 'Changes you save are queued and applied by themselves when you reconnect.';
}

/**
 * Shown under the header while offline: what still works and what happens to edits. `saves`:
 * the screen's own words for that when they differ (automations: kept whatever the review mode,
 * runs refused).
 */
export function OfflineNotice({ canEdit, reviewMode, saves }: { canEdit: boolean; reviewMode: boolean; saves?: string }) {
  return (
    <div className="offline-notice" role="note">
      <strong>You’re offline.</strong> Everything shown comes from this computer’s cache.
      {canEdit ? ` ${saves ?? offlineSaveText(reviewMode)}` : ''}
    </div>
  );
}
