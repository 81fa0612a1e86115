import type { ActionRequest } from '../../../shared/localActionRequests.js';
import { useRequestActions } from '../../app/data/hooks/useActionRequests.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { requestStateLabel } from './actionWords.js';
import { ResultView } from './ResultView.js';
import { humanize } from './schemaForm.js';

const stateTones: Record<ActionRequest['state'], BadgeTone> = { draft: 'neutral', queued: 'info', sent: 'ok', failed: 'danger', needs_attention: 'warn' };

export function RequestStateBadge({ request }: { request: ActionRequest }) {
  return <Badge tone={stateTones[request.state]}>{requestStateLabel[request.state]}</Badge>;
}

const shown = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'Yes' : 'No') : JSON.stringify(v));

/** Exactly what is sent: each input field and the request's idempotency key. */
export function SentInput({ request }: { request: ActionRequest }) {
  const entries = Object.entries(request.input);
  return (
    <dl className="kv kv-compact" data-testid="request-input">
      {entries.map(([k, v]) => (
        <div className="kv-row" key={k}>
          <dt>{humanize(k)}</dt>
          <dd className="action-sent-value">{shown(v)}</dd>
        </div>
      ))}
      {entries.length === 0 && (
        <div className="kv-row">
          <dt>Input</dt>
          <dd>(none)</dd>
        </div>
      )}
      <div className="kv-row">
        <dt>Request key</dt>
        <dd className="mono">{request.key}</dd>
      </div>
    </dl>
  );
}

/** Where a request stands after Run, and its result once the server answered. */
export function RequestOutcome({ request, provider, compact = false, onChange }: { request: ActionRequest; provider: string; compact?: boolean; onChange?(request: ActionRequest | null): void }) {
  const { retry, discard, run } = useRequestActions();
  const discardButton = (
    <Button size="sm" variant="ghost" onClick={() => discard.mutate(request.id, { onSuccess: () => onChange?.(null) })} busy={discard.isPending}>
      Discard
    </Button>
  );
  return (
    <div className="stack" role="status">
      <div className="row">
        <RequestStateBadge request={request} />
        {request.result?.replayed && <span className="muted">The stored result of an earlier send: {provider} was called once.</span>}
      </div>
      {request.state === 'draft' && (
        <div className="row">
          <Button size="sm" variant="primary" onClick={() => run.mutate(request.id, { onSuccess: (r) => onChange?.(r) })} busy={run.isPending}>
            Run
          </Button>
          {discardButton}
        </div>
      )}
      {request.state === 'queued' && (
        <p>{request.attempts > 0 ? `No answer yet: it is sent again, under the same key, until the server answers; ${provider} runs it once.` : `Kept on this computer: it is sent by itself, once, when the server is back.`}</p>
      )}
      {request.state === 'queued' && request.attempts === 0 && <div className="row">{discardButton}</div>}
      {(request.state === 'failed' || request.state === 'needs_attention') && (
        <>
          <div className="notice notice-danger">
            <p>{request.error ?? 'It was refused.'}</p>
          </div>
          <div className="row">
            <Button size="sm" onClick={() => retry.mutate(request.id, { onSuccess: (r) => onChange?.(r) })} busy={retry.isPending}>
              Send again as a new request
            </Button>
            {discardButton}
          </div>
        </>
      )}
      {request.state === 'sent' &&
        request.result &&
        (compact ? (
          <details>
            <summary>Result</summary>
            <ResultView output={request.result.output} title={`${request.label} result`} />
          </details>
        ) : (
          <ResultView output={request.result.output} title={`${request.label} result`} />
        ))}
    </div>
  );
}

/** Requests of one integration (the Actions tab) or every open one (Pending changes). */
export function RequestList({ requests, provider, title, integrationName }: { requests: ActionRequest[]; provider: (key: string) => string; title: string; integrationName?: boolean }) {
  return (
    <section className="card" aria-labelledby="requests-title">
      <div className="card-header">
        <h2 id="requests-title">{title}</h2>
        <span className="muted">Side-effectful actions, each with the key that makes it run once</span>
      </div>
      <div className="card-body">
        <ul className="action-requests">
          {requests.map((r) => (
            <li key={r.id} className="action-request" aria-label={`${r.label}, ${requestStateLabel[r.state]}`}>
              <div className="row action-request-head">
                <strong>{r.label}</strong>
                {integrationName && <span className="muted">{provider(r.integrationKey)}</span>}
                <span className="muted">
                  <RelativeTime iso={r.updatedAt} />
                </span>
              </div>
              <details>
                <summary>What was sent</summary>
                <SentInput request={r} />
              </details>
              <RequestOutcome request={r} provider={provider(r.integrationKey)} compact />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
