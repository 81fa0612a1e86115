import { useInteraction } from '../../app/data/hooks/useInteractions.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Skeleton } from '../../components/Skeleton.js';
import { formatMs, outcomeLabels, outcomeTones, whatLabel } from './activityLabels.js';

function Body({ title, value, truncated }: { title: string; value: unknown; truncated: boolean }) {
  const text = value === null || value === undefined ? null : typeof value === 'string' && truncated ? value : JSON.stringify(value, null, 2);
  return (
    <div className="stack activity-body">
      <h4>{title}</h4>
      {text === null ? (
        <p className="muted">None</p>
      ) : (
        <pre className="activity-json" tabIndex={0} aria-label={title}>
          {text}
        </pre>
      )}
      {truncated && <p className="muted">Over 8 KB: only the start is kept.</p>}
    </div>
  );
}

/** One vendor call: what was asked and answered, as the log keeps it (redacted on the server). */
export function InteractionDetailPanel({ id, onClose }: { id: number; onClose(): void }) {
  const detail = useInteraction(id);
  return (
    <section className="card activity-detail" aria-labelledby="activity-detail-title" data-testid="interaction-detail">
      <div className="card-header">
        <h3 id="activity-detail-title">Call details</h3>
        <Button onClick={onClose}>Close</Button>
      </div>
      <div className="card-body stack">
        {detail.isPending ? (
          <Skeleton height={120} />
        ) : detail.isError ? (
          <p className="muted">{detail.error.message}</p>
        ) : (
          <>
            <dl className="activity-facts">
              <dt>What</dt>
              <dd>{whatLabel(detail.data.actionId)}</dd>
              <dt>Request</dt>
              <dd>
                <code>
                  {detail.data.method} {detail.data.host}
                  {detail.data.path}
                </code>
              </dd>
              <dt>Outcome</dt>
              <dd>
                <Badge tone={outcomeTones[detail.data.outcome]}>{outcomeLabels[detail.data.outcome]}</Badge>
                {detail.data.errorKind && <span className="muted"> ({detail.data.errorKind.replace(/_/g, ' ')})</span>}
              </dd>
              <dt>Status</dt>
              <dd>{detail.data.status ?? 'No answer'}</dd>
              <dt>Duration</dt>
              <dd>
                {formatMs(detail.data.durationMs)}
                {detail.data.retries > 0 && `, ${detail.data.retries} ${detail.data.retries === 1 ? 'retry' : 'retries'}`}
              </dd>
              <dt>By</dt>
              <dd>{detail.data.user}</dd>
              <dt>At</dt>
              <dd>{new Date(detail.data.at).toLocaleString()}</dd>
            </dl>
            <p className="muted">Values outside the log’s allow-list show as “[redacted]”; credentials are never kept.</p>
            <div className="activity-bodies">
              <Body title="Request body" value={detail.data.requestBody} truncated={detail.data.requestTruncated} />
              <Body title="Response body" value={detail.data.responseBody} truncated={detail.data.responseTruncated} />
            </div>
          </>
        )}
      </div>
    </section>
  );
}
