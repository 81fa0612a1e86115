import { useIntents } from '../../app/data/hooks/useActions.js';
import { hrefFor } from '../../app/router.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { IntentStateBadge, ticketName } from './IntentSummary.js';

/** The latest ticket updates made for this client on this computer. */
export function RecentUpdates({ clientId }: { clientId: number }) {
  const intents = useIntents({ clientId });
  const list = intents.data ?? [];
  if (list.length === 0) return null;
  return (
    <section className="card" aria-labelledby="recent-updates-title">
      <div className="card-header">
        <h2 id="recent-updates-title">Updates from this computer</h2>
        <a href={hrefFor({ name: 'changes' })}>Pending changes</a>
      </div>
      <ul className="recent-updates card-body">
        {list.map((i) => (
          <li key={i.id} className="row">
            <IntentStateBadge state={i.state} />
            <span>{ticketName(i)}</span>
            {i.steps[0]?.vendorId && <span className="muted">Syncro comment {i.steps[0].vendorId}</span>}
            <span className="muted">
              <RelativeTime iso={i.sentAt ?? i.updatedAt} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
