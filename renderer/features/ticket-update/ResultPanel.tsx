import type { ActionIntent } from '../../../shared/localActions.js';
import { useIntentActions, useIntents } from '../../app/data/hooks/useActions.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { IntentSummary, ticketName } from './IntentSummary.js';

/**
 * How the update ended, kept current: a queued update turns into "Posted" here when the server
 * comes back and the core sends it (the intents list refetches on every drafts change).
 */
export function ResultPanel({ first, review }: { first: ActionIntent; review: boolean }) {
  const intents = useIntents({ clientId: first.clientId });
  const intent = intents.data?.find((i) => i.id === first.id) ?? first;
  const { retry, discard } = useIntentActions();
  const comment = intent.steps.find((s) => s.kind === 'comment');
  return (
    <section className="card" aria-labelledby="result-title">
      <div className="card-header">
        <h2 id="result-title">{intent.state === 'sent' ? 'Posted' : intent.state === 'queued' ? 'Queued' : review ? 'Waiting for review' : 'Not posted'}</h2>
      </div>
      <div className="card-body stack" aria-live="polite">
        {intent.state === 'sent' && (
          <div className="notice notice-info" role="status">
            <p>
              Posted to {ticketName(intent)} at Syncro: comment {comment?.vendorId ?? ''}.{' '}
              {intent.ticketLink ? (
                <>
                  The ticket is linked to {intent.clientName} (<a href={hrefFor({ name: 'client', id: intent.clientId })}>see its ticket links</a>).
                </>
              ) : null}
            </p>
          </div>
        )}
        {intent.state === 'queued' && (
          <div className="notice notice-info" role="status">
            <p>
              Queued on this computer. It will be posted by itself, once, when the server is back; you can leave this screen. It is listed on{' '}
              <a href={hrefFor({ name: 'changes' })}>Pending changes</a>.
            </p>
          </div>
        )}
        {(intent.state === 'reviewed' || intent.state === 'draft') && (
          <div className="notice notice-info" role="status">
            <p>
              Saved for review: apply it on <a href={hrefFor({ name: 'changes' })}>Pending changes</a> to post it.
            </p>
          </div>
        )}
        <IntentSummary intent={intent} showSteps={intent.state !== 'draft' && intent.state !== 'reviewed'} />
        {(intent.state === 'needs_attention' || intent.state === 'failed') && (
          <div className="row">
            <Button variant="primary" busy={retry.isPending} onClick={() => retry.mutate(intent.id)}>
              Retry what failed
            </Button>
            <Button variant="ghost" busy={discard.isPending} onClick={() => discard.mutate(intent.id)}>
              Discard
            </Button>
          </div>
        )}
        <p>
          <a href={hrefFor({ name: 'client', id: intent.clientId })}>Back to {intent.clientName}</a>
        </p>
      </div>
    </section>
  );
}
