import type { AppError } from '../../../shared/errors.js';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SaveOutcome } from '../../../shared/localApi.js';
import type { ConfigVersion } from '../../../shared/integrations/versions.js';
import { useRollback } from '../../app/data/hooks/useVersions.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { useToast } from '../../components/Toast.js';
import { describeChange } from '../audit/formatAudit.js';
import { changesBack } from './versionChanges.js';

/** Why the server refused, in the words the dialog shows. */
function RefusalNotice({ error, labels, target }: { error: AppError; labels: Record<string, string>; target: number }) {
  if (error.code === 'CONFLICT') {
    return <p>Someone changed this integration meanwhile. The list is up to date again; check it and try once more.</p>;
  }
  const fields = Object.entries(error.fields ?? {});
  if (error.code === 'VALIDATION_FAILED' && fields.length > 0) {
    return (
      <>
        <p>Version {target} no longer passes today’s checks:</p>
        <ul>
          {fields.map(([field, messages]) => (
            <li key={field}>
              <strong>{labels[field] ?? field}:</strong> {messages.join(' ')}
            </li>
          ))}
        </ul>
      </>
    );
  }
  return <p>{error.message}</p>;
}

/** What the toast says: restored now, or kept as a pending change (queued, or for review in review mode). */
export function rollbackToast(toVersion: number, outcome: SaveOutcome): { tone: 'success' | 'info'; title: string; body?: string } {
  if (outcome.outcome === 'applied') return { tone: 'success', title: `Restored version ${toVersion} as version ${outcome.detail.state.version ?? '?'}` };
  if (outcome.draft.state === 'queued') {
    return { tone: 'info', title: `Rollback to version ${toVersion} queued`, body: 'It is sent by itself when the server answers again. Pending changes shows it.' };
  }
  return { tone: 'info', title: `Rollback to version ${toVersion} saved as a draft`, body: 'Review mode is on: review and apply it in Pending changes.' };
}

/**
 * The confirmation before a rollback: what changes back (from the current version to the
 * target), and the server's refusal in place when there is one.
 */
export function RollbackDialog({
  detail,
  versions,
  target,
  labels,
  online,
  onClose,
}: {
  detail: IntegrationDetail;
  versions: readonly ConfigVersion[];
  target: ConfigVersion | null;
  labels: Record<string, string>;
  /** Offline the rollback becomes a pending change; the dialog says so before anyone confirms. */
  online: boolean;
  onClose(): void;
}) {
  const toast = useToast();
  const rollback = useRollback(detail.key);
  const close = () => {
    rollback.reset();
    onClose();
  };
  const confirm = () => {
    if (!target || detail.state.version === null) return;
    rollback.mutate(
      { key: detail.key, toVersion: target.version, baseVersion: detail.state.version },
      {
        onSuccess: (after) => {
          toast(rollbackToast(target.version, after));
          close();
        },
      },
    );
  };
  const back = target ? changesBack(versions, target.version) : { changes: [], complete: true };
  return (
    <ConfirmDialog open={target !== null} title={`Roll back to version ${target?.version ?? ''}?`} confirmLabel="Roll back" busy={rollback.isPending} onConfirm={confirm} onCancel={close}>
      {back.changes.length === 0 ? (
        <p>No setting differs from the current version; it is saved again as a new version.</p>
      ) : (
        <>
          <p>These settings change back:</p>
          <ul className="audit-changes" aria-label="Changes back">
            {back.changes.map((change) => {
              const { label, text } = describeChange(change, labels);
              return (
                <li key={change.field}>
                  <span className="audit-field">{label}:</span> <span className={change.secret ? 'audit-secret' : 'mono'}>{text}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {!back.complete && <p className="muted">Older versions are not listed, so this may not be everything.</p>}
      <p className="muted">It is saved as a new version; nothing is deleted.</p>
      {!online && (
        <p className="notice notice-info">
          You are offline. The rollback is kept in Pending changes and sent by itself when the server answers again; if someone changes this integration meanwhile, you
          choose there.
        </p>
      )}
      {rollback.error && (
        <div className="notice notice-danger" role="alert">
          <RefusalNotice error={rollback.error} labels={labels} target={target?.version ?? 0} />
        </div>
      )}
    </ConfirmDialog>
  );
}
