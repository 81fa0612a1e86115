import { useId, useState } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { InboundDelivery } from '../../../shared/integrations/inboundWebhooks.js';
import { useInboundDeliveries, useInboundEndpoint, useReplayInboundDelivery, useRotateInboundSecret } from '../../app/data/hooks/useInbound.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { SecretReveal } from '../alerts/SecretReveal.js';
import '../alerts/Alerts.css';

const statusWords: Record<InboundDelivery['status'], { label: string; tone: 'info' | 'ok' | 'danger' }> = {
  received: { label: 'Received', tone: 'info' },
  processed: { label: 'Processed', tone: 'ok' },
  dead: { label: 'Dead', tone: 'danger' },
};

/** Why this user cannot change the URL or replay now, or null when they can. */
function changeBlocked(canMutate: boolean, online: boolean): string | null {
  if (!canMutate) return 'Only partner admins can create or rotate the URL and replay deliveries.';
  if (!online) return 'Changing the inbound webhook needs a connection.';
  return null;
}

function DeliveryRows({ integrationKey, items, blocked, blockedId }: { integrationKey: string; items: InboundDelivery[]; blocked: string | null; blockedId: string }) {
  const replay = useReplayInboundDelivery(integrationKey);
  const toast = useToast();
  const run = (d: InboundDelivery) =>
    replay.mutate(d.id, {
      onSuccess: () => toast({ tone: 'success', title: `Delivery ${d.deliveryId} queued again` }),
      onError: (error) => toast({ tone: 'error', title: 'Not replayed', body: error.message }),
    });
  if (items.length === 0) return <p className="muted">No deliveries yet.</p>;
  return (
    <div className="alerts-scroll" role="region" aria-label="Inbound delivery list" tabIndex={0}>
      <table className="alerts-table" data-testid="inbound-deliveries">
        <caption className="visually-hidden">Recent inbound deliveries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Delivery id</th>
            <th scope="col">State</th>
            <th scope="col">Attempts</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>
              <td>
                <RelativeTime iso={d.receivedAt} />
              </td>
              <td className="mono">{d.deliveryId}</td>
              <td>
                <Badge tone={statusWords[d.status].tone}>{statusWords[d.status].label}</Badge>
                {d.lastError && <span className="muted"> {d.lastError}</span>}
              </td>
              <td>{d.attempts}</td>
              <td>
                {d.status === 'dead' && (
                  <Button size="sm" onClick={() => run(d)} disabled={blocked !== null} busy={replay.isPending && replay.variables === d.id} aria-describedby={blocked ? blockedId : undefined} aria-label={`Replay delivery ${d.deliveryId}`}>
                    Replay
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The integration's inbound webhook (issue 18 §5), from the server (online only): the URL senders
 * post to, its secret made or rotated by a partner admin and shown once with a copy button, and
 * the latest deliveries with their state; a dead one can be replayed.
 */
export function InboundWebhookCard({ detail, canMutate, online }: { detail: IntegrationDetail; canMutate: boolean; online: boolean }) {
  const headingId = useId();
  const blockedId = useId();
  const endpoint = useInboundEndpoint(detail.key);
  const current = endpoint.data?.endpoint ?? null;
  const deliveries = useInboundDeliveries(detail.key, current !== null);
  // The list is re-read every 10 s, the endpoint only on demand: the newest listed delivery is the later news.
  const newest = deliveries.data?.items[0]?.receivedAt;
  const lastDeliveryAt = [current?.lastDeliveryAt, newest].filter((t): t is string => !!t).sort().at(-1) ?? null;
  const rotate = useRotateInboundSecret(detail.key);
  const toast = useToast();
  // The secret lives only here, until "Done" or leaving the screen.
  const [revealed, setRevealed] = useState<string | null>(null);
  const blocked = changeBlocked(canMutate, online);
  const makeSecret = () =>
    rotate.mutate(undefined, {
      onSuccess: (made) => setRevealed(made.secret),
      onError: (error) => toast({ tone: 'error', title: current ? 'Secret not rotated' : 'URL not created', body: error.message }),
    });

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>Inbound webhook</h2>
        <span className="muted">Events posted to {detail.name} by your tools, signed with a secret.</span>
      </div>
      <div className="card-body stack">
        {endpoint.isPending ? (
          <Skeleton height={60} />
        ) : endpoint.isError ? (
          <p className="muted">{endpoint.error.code === 'UNAVAILABLE' ? 'Inbound webhooks are kept on the server and need a connection.' : endpoint.error.message}</p>
        ) : (
          <>
            {blocked && (current || canMutate) && (
              <p id={blockedId} className="muted">
                {blocked}
              </p>
            )}
            {revealed && (
              <SecretReveal secret={revealed} onDone={() => setRevealed(null)}>
                Sign every delivery with it: <code>X-IC-Signature: sha256=</code> HMAC-SHA256 of <code>timestamp.body</code>, with{' '}
                <code>X-IC-Timestamp</code> and a unique <code>X-IC-Delivery-Id</code>. If you lose it, rotate the secret.
              </SecretReveal>
            )}
            {current ? (
              <>
                <dl className="inbound-facts">
                  <dt>URL</dt>
                  <dd className="mono" data-testid="inbound-url">
                    {current.url ?? current.path}
                  </dd>
                  <dt>Created</dt>
                  <dd>
                    <RelativeTime iso={current.createdAt} />
                    {current.rotatedAt && (
                      <>
                        {' '}
                        · secret rotated <RelativeTime iso={current.rotatedAt} />
                      </>
                    )}
                  </dd>
                  <dt>Last delivery</dt>
                  <dd>{lastDeliveryAt ? <RelativeTime iso={lastDeliveryAt} /> : 'None yet'}</dd>
                </dl>
                {canMutate && (
                  <div className="row">
                    <Button onClick={makeSecret} busy={rotate.isPending} disabled={blocked !== null} aria-describedby={blocked ? blockedId : undefined}>
                      Rotate secret
                    </Button>
                  </div>
                )}
                <div className="row">
                  <h3>Recent deliveries</h3>
                  <Button size="sm" variant="ghost" onClick={() => void Promise.all([endpoint.refetch(), deliveries.refetch()])} busy={deliveries.isFetching}>
                    Refresh
                  </Button>
                </div>
                {deliveries.isPending ? (
                  <Skeleton height={60} />
                ) : deliveries.isError ? (
                  <p className="muted">{deliveries.error.message}</p>
                ) : (
                  <DeliveryRows integrationKey={detail.key} items={deliveries.data.items} blocked={blocked} blockedId={blockedId} />
                )}
              </>
            ) : canMutate ? (
              <div className="row">
                <p className="muted">No inbound URL yet.</p>
                <Button variant="primary" onClick={makeSecret} busy={rotate.isPending} disabled={blocked !== null} aria-describedby={blocked ? blockedId : undefined}>
                  Create inbound URL
                </Button>
              </div>
            ) : (
              <p className="muted">No inbound URL yet. A partner admin can create one.</p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
