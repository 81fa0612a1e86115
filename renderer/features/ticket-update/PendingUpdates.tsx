import type { ActionIntent } from '../../../shared/localActions.js';
import { useIntentActions } from '../../app/data/hooks/useActions.js';
import { Button } from '../../components/Button.js';
import { useToast } from '../../components/Toast.js';
import { IntentStateBadge, IntentSummary, ticketName } from './IntentSummary.js';
import './TicketUpdate.css';

/**
 * Ticket updates on Pending changes, beside the settings drafts: review and apply a draft,
 * discard one never sent, retry one the vendor refused. Queued ones go out by themselves.
 */
export function PendingUpdates({ intents, online }: { intents: ActionIntent[]; online: boolean }) {
  const { apply, discard, retry } = useIntentActions();
  const toast = useToast();
  const failed = (title: string) => (e: { message: string }) => toast({ tone: 'error', title, body: e.message });
  return (
    <section className="card" aria-labelledby="pending-updates-title">
      <div className="card-header">
        <h2 id="pending-updates-title">Ticket updates</h2>
        <span className="muted">Each is posted once; queued ones go out by themselves when the server is back.</span>
      </div>
      <ul className="intent-list">
        {intents.map((i) => (
          <li key={i.id} className="intent-card" aria-label={`Update to ${ticketName(i)}`}>
            <div className="row">
              <strong>{i.clientName}</strong>
              <span className="muted">{ticketName(i)}</span>
              <IntentStateBadge state={i.state} />
            </div>
            <IntentSummary intent={i} showSteps={i.state !== 'draft' && i.state !== 'reviewed'} />
            <div className="row">
              {(i.state === 'draft' || i.state === 'reviewed') && (
                <Button size="sm" variant="primary" busy={apply.isPending && apply.variables === i.id} onClick={() => apply.mutate(i.id, { onError: failed('Not applied') })}>
                  {online ? 'Apply' : 'Queue'}
                </Button>
              )}
              {(i.state === 'needs_attention' || i.state === 'failed') && (
                <Button size="sm" variant="primary" busy={retry.isPending && retry.variables === i.id} onClick={() => retry.mutate(i.id, { onError: failed('Not retried') })}>
                  Retry what failed
                </Button>
              )}
              {i.state !== 'queued' && (
                <Button size="sm" variant="ghost" busy={discard.isPending && discard.variables === i.id} onClick={() => discard.mutate(i.id, { onError: failed('Not discarded') })}>
                  Discard
                </Button>
              )}
              {i.state === 'queued' && <span className="muted">{online ? 'Sending…' : 'Waiting for the server'}</span>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
