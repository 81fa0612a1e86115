import { useAppState, useSession } from '../../app/data/hooks/useSession.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions, useScope } from '../../app/data/scope.js';
import { formatAbsolute, RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { ReviewModeSwitch } from '../changes/ReviewModeSwitch.js';
import { AssistantTokensCard } from './AssistantTokensCard.js';
import { ThemeChoice } from './ThemeChoice.js';
import './Settings.css';

const shellText = { electron: 'Desktop app', browser: 'Browser mode (served by this computer on 127.0.0.1 only)', preview: 'Preview over sample data' } as const;

/** Where the app connects, how changes are applied, and what this computer keeps. */
export function SettingsScreen() {
  const app = useAppState();
  const expiresAt = useSession().data?.expiresAt ?? null;
  const sync = useSyncStatus();
  const { canMutate } = usePermissions();
  const { user } = useScope();

  return (
    <div className="settings">
      <header className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="muted">How this app connects, how it looks and what it keeps on this computer.</p>
        </div>
      </header>
      <section className="card" aria-labelledby="settings-server">
        <div className="card-header">
          <h2 id="settings-server">Server</h2>
        </div>
        <div className="card-body stack">
          {app.data ? (
            <dl className="kv">
              <div className="kv-row">
                <dt>Address</dt>
                <dd className="mono">{app.data.serverUrl ?? 'Not chosen'}</dd>
              </div>
              <div className="kv-row">
                <dt>Last synced</dt>
                <dd>
                  <RelativeTime iso={sync.data?.lastSyncedAt ?? null} fallback="Never" />
                </dd>
              </div>
            </dl>
          ) : (
            <Skeleton height={48} />
          )}
          <p className="muted">
            {app.data?.serverUrlEditable === false
              ? 'This address is set for this run (SERVER_URL) and cannot be changed here.'
              : 'To use another server, sign out first: cached data and drafts belong to one server. The sign-in screen then lets you change the address.'}
          </p>
        </div>
      </section>
      <section className="card" aria-labelledby="settings-appearance">
        <div className="card-header">
          <h2 id="settings-appearance">Appearance</h2>
        </div>
        <div className="card-body stack">
          <ThemeChoice />
          <p className="muted">Saved on this computer for everyone who uses it; applies at once.</p>
        </div>
      </section>
      <section className="card" aria-labelledby="settings-changes">
        <div className="card-header">
          <h2 id="settings-changes">Applying changes</h2>
        </div>
        <div className="card-body stack">
          {canMutate ? (
            <ReviewModeSwitch describedBy="settings-review-help" announce />
          ) : (
            <p>Only partner admins change integrations, so there is nothing to review here.</p>
          )}
          <p id="settings-review-help" className="muted">
            With review on, saving an integration creates a draft even when you’re online; you apply drafts from Pending changes. Offline, every change is a draft.
          </p>
        </div>
      </section>
      <section className="card" aria-labelledby="settings-assistants">
        <div className="card-header">
          <h2 id="settings-assistants">AI assistants</h2>
        </div>
        <div className="card-body">
          <AssistantTokensCard />
        </div>
      </section>
      <section className="card" aria-labelledby="settings-device">
        <div className="card-header">
          <h2 id="settings-device">This computer</h2>
        </div>
        <div className="card-body">
          <dl className="kv">
            <div className="kv-row">
              <dt>Signed in as</dt>
              <dd>
                {user.email} ({user.partnerName})
              </dd>
            </div>
            <div className="kv-row">
              <dt>Session ends</dt>
              <dd>{expiresAt ? formatAbsolute(expiresAt) : 'Unknown'}</dd>
            </div>
            <div className="kv-row">
              <dt>Running as</dt>
              <dd>{app.data ? shellText[app.data.shell] : '…'}</dd>
            </div>
            <div className="kv-row">
              <dt>Sign-in storage</dt>
              <dd>{app.data?.tokenStorageNote ?? 'Kept by this app only, never shown to the page; signing out deletes it with the cached data.'}</dd>
            </div>
          </dl>
        </div>
      </section>
    </div>
  );
}
