import type { WebhookDelivery } from '../../../shared/integrations/alertWebhook.js';
import { Badge } from '../../components/Badge.js';
import { RelativeTime } from '../../components/RelativeTime.js';

const eventNames: Record<string, string> = {
  'webhook.test': 'Test',
  'alert.failure': 'Failure alert',
  'alert.degraded': 'Degraded alert',
  'alert.recovery': 'Recovery alert',
  'alert.activated': 'Activated alert',
  'alert.rotate_soon': 'Rotate-soon alert',
  'alert.rotate_overdue': 'Credential past its limit',
};

/** What the receiver did with one attempt, in words: its HTTP status, or why there was none. */
export function deliveryOutcome(d: WebhookDelivery): string {
  if (d.delivered) return `HTTP ${d.httpStatus ?? '2xx'}`;
  return d.error ?? (d.httpStatus !== null ? `HTTP ${d.httpStatus}` : 'Not delivered');
}

/** Recent delivery attempts, newest first: a test or one try of an alert, and what came back. */
export function DeliveriesTable({ items }: { items: WebhookDelivery[] }) {
  if (items.length === 0) return <p className="muted">No deliveries yet. Send a test delivery to see one here.</p>;
  return (
    <div className="alerts-scroll" role="region" aria-label="Delivery list" tabIndex={0}>
      <table className="alerts-table" data-testid="deliveries">
        <caption className="visually-hidden">Recent webhook deliveries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Attempt</th>
            <th scope="col">Result</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>
              <td>
                <RelativeTime iso={d.attemptedAt} />
              </td>
              <td>{eventNames[d.event] ?? d.event}</td>
              <td>{d.attempt}</td>
              <td>
                <Badge tone={d.delivered ? 'ok' : 'danger'}>{d.delivered ? 'Delivered' : 'Failed'}</Badge> <span>{deliveryOutcome(d)}</span>
              </td>
              <td>{`${d.durationMs} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
