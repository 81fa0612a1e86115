import type { ActionIntent } from '../../../shared/localActions.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import { ExternalLink } from '../../components/ExternalLink.js';
import { intentStateLabel, stepLabel } from './words.js';

const stateTone: Record<ActionIntent['state'], BadgeTone> = { draft: 'neutral', reviewed: 'info', queued: 'info', sent: 'ok', failed: 'danger', needs_attention: 'warn' };
const stepTone = { pending: 'neutral', sent: 'ok', failed: 'danger' } as const;
const stepWord = { pending: 'Not sent yet', sent: 'Done', failed: 'Failed' } as const;

export function ticketName(intent: Pick<ActionIntent, 'ticket'>): string {
  return `#${intent.ticket.number ?? intent.ticket.id}${intent.ticket.subject ? ` ${intent.ticket.subject}` : ''}`;
}

export function IntentStateBadge({ state }: { state: ActionIntent['state'] }) {
  return <Badge tone={stateTone[state]}>{intentStateLabel[state]}</Badge>;
}

/**
 * Everything an update sends, to which ticket, and (once sent) what each step did: the same
 * view on Review, on the result and on Pending changes, so what was reviewed is what goes.
 */
export function IntentSummary({ intent, showSteps }: { intent: ActionIntent; showSteps: boolean }) {
  return (
    <div className="intent-summary">
      <dl className="intent-facts">
        <dt>Ticket</dt>
        <dd>
          {intent.ticket.url?.startsWith('https://') ? <ExternalLink href={intent.ticket.url}>{ticketName(intent)}</ExternalLink> : ticketName(intent)} <span className="muted">for {intent.clientName} at Syncro</span>
        </dd>
        <dt>Comment</dt>
        <dd>
          <strong>{intent.comment.subject}</strong> · {intent.comment.hidden ? 'Hidden (technicians only)' : 'Public (the customer sees it)'}
          <pre className="intent-body">{intent.comment.body}</pre>
        </dd>
        {intent.report && (
          <>
            <dt>Attach</dt>
            <dd>
              Backup report {intent.report.from} to {intent.report.to} as CSV and HTML
            </dd>
          </>
        )}
        {intent.time && (
          <>
            <dt>Log time</dt>
            <dd>
              {intent.time.minutes} minutes{intent.time.notes ? ` — ${intent.time.notes}` : ''}
            </dd>
          </>
        )}
      </dl>
      {showSteps && (
        <ol className="intent-steps" aria-label="What was sent">
          {intent.steps.map((s) => (
            <li key={s.kind}>
              <span>{stepLabel[s.kind]}</span> <Badge tone={stepTone[s.state]}>{stepWord[s.state]}</Badge>
              {s.outcome && <span className="muted"> {s.outcome}</span>}
              {s.state !== 'sent' && s.error && <span className="field-error"> {s.error}</span>}
            </li>
          ))}
        </ol>
      )}
      {intent.error && (
        <div className={`notice ${intent.state === 'failed' ? 'notice-danger' : 'notice-warn'}`} role="alert">
          <p>{intent.error}</p>
        </div>
      )}
    </div>
  );
}
