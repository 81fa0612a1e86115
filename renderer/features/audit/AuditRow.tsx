import type { AuditEntry } from '../../../shared/integrations/catalog.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { actionLabel, actorLabel, describeChange, entrySummary } from './formatAudit.js';

function toneOf(entry: AuditEntry): string {
  if (entry.action === 'deleted') return 'danger';
  if (entry.action === 'health_changed') return entry.details.health === 'error' ? 'danger' : entry.details.health === 'degraded' ? 'warn' : 'ok';
  if (entry.action === 'tested') return entry.details.health === 'error' ? 'danger' : 'ok';
  return 'info';
}

/** One audit row: what happened, who, when, and the field diff (secrets only as "changed"). */
export function AuditRow({ entry, labels }: { entry: AuditEntry; labels: Record<string, string> }) {
  const summary = entrySummary(entry);
  const changes = entry.details.changes ?? [];
  return (
    <div className="audit-row">
      <span className={`audit-marker audit-marker-${toneOf(entry)}`} aria-hidden="true" />
      <div className="audit-main">
        <div className="audit-title">
          <strong>{actionLabel(entry.action)}</strong>
          <span className="muted">
            {actorLabel(entry)} · <RelativeTime iso={entry.createdAt} />
          </span>
        </div>
        {summary && <p className="audit-summary">{summary}</p>}
        {changes.length > 0 && (
          <ul className="audit-changes">
            {changes.map((change) => {
              const { label, text } = describeChange(change, labels);
              return (
                <li key={change.field}>
                  <span className="audit-field">{label}:</span> <span className={change.secret ? 'audit-secret' : 'mono'}>{text}</span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
