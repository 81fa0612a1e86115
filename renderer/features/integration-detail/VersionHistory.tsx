import { useId, useMemo, useState } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { ConfigVersion } from '../../../shared/integrations/versions.js';
import { useVersions } from '../../app/data/hooks/useVersions.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { describeChange } from '../audit/formatAudit.js';
import '../audit/AuditList.css';
import { RollbackDialog } from './RollbackDialog.js';
import { fieldLabels, lastPassing } from './versionChanges.js';

/** Why rolling back is not possible for this user, or null when it is (offline it becomes a pending change). */
export function rollbackBlocked(canMutate: boolean): string | null {
  return canMutate ? null : 'Only partner admins can roll back.';
}

/** Why a version shows no diff: the first, the oldest kept (nothing before it to compare), or a save that changed nothing. */
function noChangeText(v: ConfigVersion, oldest: boolean): string {
  if (v.version === 1) return 'First saved configuration.';
  return oldest ? 'The oldest version kept.' : 'No setting changed.';
}

function VersionRow({ v, oldest, labels, blocked, blockedId, onRollback }: { v: ConfigVersion; oldest: boolean; labels: Record<string, string>; blocked: string | null; blockedId: string; onRollback(): void }) {
  return (
    <li className="version-row">
      <div className="version-title">
        <strong>Version {v.version}</strong>
        <span className="muted">
          {' '}
          · {v.actorKind === 'user' ? `by ${v.actor}` : 'by the system'} · <RelativeTime iso={v.createdAt} />
        </span>
        {v.current && <Badge tone="info">Current</Badge>}
        {v.passedCheck && <Badge tone="ok">Passed a check</Badge>}
      </div>
      {v.restoredFrom !== null && <p className="audit-summary">Restored version {v.restoredFrom}</p>}
      {v.changes.length > 0 ? (
        <ul className="audit-changes">
          {v.changes.map((change) => {
            const { label, text } = describeChange(change, labels);
            return (
              <li key={change.field}>
                <span className="audit-field">{label}:</span> <span className={change.secret ? 'audit-secret' : 'mono'}>{text}</span>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="audit-summary muted">{noChangeText(v, oldest)}</p>
      )}
      {!v.current && (
        <div>
          <Button onClick={onRollback} disabled={blocked !== null} aria-describedby={blocked ? blockedId : undefined}>
            Roll back to this version…
          </Button>
        </div>
      )}
    </li>
  );
}

/**
 * The configuration's versions, newest first (offline: the copy last read, with its age): who
 * saved each, what it changed, which one is in force and which passed a check, and a rollback to
 * any other (partner admins; offline a pending change), behind a confirmation that lists what
 * changes back.
 */
export function VersionHistory({ detail, canMutate, online }: { detail: IntegrationDetail; canMutate: boolean; online: boolean }) {
  const headingId = useId();
  const blockedId = useId();
  const versions = useVersions(detail.key, true);
  const labels = useMemo(() => fieldLabels(detail.fields), [detail.fields]);
  const [target, setTarget] = useState<ConfigVersion | null>(null);
  const blocked = rollbackBlocked(canMutate);
  const items = versions.data?.items ?? [];
  const passing = detail.state.status === 'Error' ? lastPassing(items) : null;
  // Offline, the list is a copy: the core's (savedAt), or the one this screen read before the server went away.
  const readAt = versions.data ? (versions.data.savedAt ?? (online ? null : new Date(versions.dataUpdatedAt).toISOString())) : null;

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>Version history</h2>
        <span className="muted">Every saved configuration; secrets are never shown.</span>
      </div>
      <div className="card-body stack">
        {readAt && (
          <p className="muted" role="note">
            Offline: the list as read <RelativeTime iso={readAt} />; newer versions show when the server answers again.
          </p>
        )}
        {blocked && items.some((v) => !v.current) && (
          <p id={blockedId} className="muted">
            {blocked}
          </p>
        )}
        {passing && (
          <div className="notice notice-danger row">
            <span>This integration is failing. Version {passing.version} passed a check.</span>
            <Button variant="primary" onClick={() => setTarget(passing)} disabled={blocked !== null} aria-describedby={blocked ? blockedId : undefined}>
              Roll back to the last passing version ({passing.version})
            </Button>
          </div>
        )}
        {versions.isPending ? (
          <Skeleton height={80} />
        ) : versions.isError ? (
          <p className="muted">{versions.error.code === 'UNAVAILABLE' ? 'Version history is kept on the server; it has not been read on this computer yet and needs a connection.' : versions.error.message}</p>
        ) : items.length === 0 ? (
          <p className="muted">No versions yet.</p>
        ) : (
          <ol className="version-list" aria-label="Versions, newest first">
            {items.map((v, i) => (
              <VersionRow key={v.version} v={v} oldest={i === items.length - 1} labels={labels} blocked={blocked} blockedId={blockedId} onRollback={() => setTarget(v)} />
            ))}
          </ol>
        )}
      </div>
      <RollbackDialog detail={detail} versions={items} target={target} labels={labels} online={online} onClose={() => setTarget(null)} />
    </section>
  );
}
