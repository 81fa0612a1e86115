import type { ActionIntent, PostOutcome } from '../../../shared/localActions.js';
import { useIntentActions } from '../../app/data/hooks/useActions.js';
import { Button } from '../../components/Button.js';
import { IntentSummary } from './IntentSummary.js';

interface ReviewPanelProps {
  intent: ActionIntent;
  online: boolean;
  reviewMode: boolean;
  onPosted(outcome: PostOutcome): void;
  onEdit(): void;
}

/** Everything that will be sent, to which ticket; Post (or Queue offline) sends exactly that. */
export function ReviewPanel({ intent, online, reviewMode, onPosted, onEdit }: ReviewPanelProps) {
  const { post } = useIntentActions();
  const label = reviewMode ? 'Save for review' : online ? 'Post' : 'Queue';
  return (
    <section className="card" aria-labelledby="review-title">
      <div className="card-header">
        <h2 id="review-title">3. Review</h2>
        <span className="muted">This is exactly what will be sent to Syncro.</span>
      </div>
      <div className="card-body stack">
        <IntentSummary intent={intent} showSteps={post.isPending} />
        {post.isPending && (
          <p className="muted" role="status">
            Posting to Syncro… each step is sent once, in this order.
          </p>
        )}
        {!online && !reviewMode && (
          <div className="notice notice-info" role="note">
            <p>You’re offline. Queue keeps this update on this computer; it is posted by itself, once, when the server is back.</p>
          </div>
        )}
        {reviewMode && (
          <div className="notice notice-info" role="note">
            <p>Review mode is on: the update waits on Pending changes until you apply it there.</p>
          </div>
        )}
        {post.isError && (
          <div className="notice notice-danger" role="alert">
            <p>{post.error.message}</p>
          </div>
        )}
        <div className="row">
          <Button variant="ghost" onClick={onEdit} disabled={post.isPending}>
            Back to edit
          </Button>
          <Button variant="primary" busy={post.isPending} onClick={() => post.mutate(intent.id, { onSuccess: onPosted })}>
            {label}
          </Button>
        </div>
      </div>
    </section>
  );
}
