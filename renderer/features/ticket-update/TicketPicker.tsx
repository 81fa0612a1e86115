import { useState, type FormEvent } from 'react';
import type { SyncroTicketSummary } from '../../../shared/actions/syncro.js';
import type { ActionDescriptor } from '../../../shared/actions.js';
import { useTickets } from '../../app/data/hooks/useActions.js';
import { useIntegration } from '../../app/data/hooks/useIntegrations.js';
import { useScope } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { unavailableSentence } from '../actions/actionWords.js';

const statuses = ['Not Closed', 'New', 'In Progress', 'Waiting on Customer', 'Resolved'];

/**
 * Why an action cannot run, with the way to fix it: a missing mapping names this client; every
 * other reason is the Actions tab's sentence (features/actions/actionWords.ts), the one home of it.
 */
export function UnavailableNote({ action, clientName }: { action: ActionDescriptor; clientName: string }) {
  const { user } = useScope();
  const provider = useIntegration(action.integrationKey).data?.provider ?? 'The vendor';
  const code = action.unavailable?.code;
  const organization = action.integrationKey === 'syncro' ? 'Syncro customer' : 'MSP360 company';
  const sentence = !action.unavailable
    ? 'Not available now.'
    : code === 'missing_mapping'
      ? `Map ${clientName} to a ${organization} first.`
      : unavailableSentence(action.unavailable, provider, { isDev: user.isDev, isAdmin: user.role === 'partner_admin' });
  return (
    <div className="notice notice-warn" role="note">
      <p>
        {sentence}{' '}
        {code === 'missing_mapping' && <a href={hrefFor({ name: 'mappings', key: action.integrationKey })}>Open the Mappings tab</a>}
        {(code === 'error' || code === 'not_configured' || code === 'disconnected') && <a href={hrefFor({ name: 'integration', key: action.integrationKey })}>Open the integration</a>}
      </p>
    </div>
  );
}

/** The client's Syncro tickets (through its mapped customers), searched by text and status. */
export function TicketPicker({ clientId, find, clientName, onPick }: { clientId: number; find: ActionDescriptor | undefined; clientName: string; onPick(ticket: SyncroTicketSummary): void }) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState('Not Closed');
  const [search, setSearch] = useState({ query: '', status: 'Not Closed' });
  const available = find?.available !== false;
  const tickets = useTickets({ clientId, ...(search.query ? { query: search.query } : {}), ...(search.status ? { status: search.status } : {}) }, available);
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setSearch({ query: text.trim(), status });
  };
  return (
    <section className="card" aria-labelledby="pick-title">
      <div className="card-header">
        <h2 id="pick-title">1. Pick the ticket</h2>
        {tickets.data?.fetchedAt && (
          <span className="muted">
            {tickets.data.fromCache ? 'Offline: as of ' : 'As of '}
            <RelativeTime iso={tickets.data.fetchedAt} />
          </span>
        )}
      </div>
      <div className="card-body stack">
        {find && !find.available ? (
          <UnavailableNote action={find} clientName={clientName} />
        ) : (
          <>
            <form className="row" onSubmit={onSearch} role="search" aria-label="Tickets">
              <label className="visually-hidden" htmlFor="ticket-query">
                Search tickets
              </label>
              <input id="ticket-query" className="input ticket-query" placeholder="Search subject or number" value={text} onChange={(e) => setText(e.target.value)} />
              <label className="visually-hidden" htmlFor="ticket-status">
                Status
              </label>
              <select id="ticket-status" className="input" value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">Any status</option>
                {statuses.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
              <Button type="submit">Search</Button>
            </form>
            {tickets.isPending ? (
              <Skeleton height={120} />
            ) : tickets.isError ? (
              <p className="field-error">{tickets.error.message}</p>
            ) : tickets.data.tickets.length === 0 ? (
              <p className="muted">No tickets match. Try another status or search.</p>
            ) : (
              <ul className="ticket-list" aria-label="Tickets">
                {tickets.data.tickets.map((t) => (
                  <li key={t.id} className="ticket-item">
                    <div>
                      <strong>#{t.number ?? t.id}</strong> {t.subject ?? ''}
                      <div className="muted">
                        {t.status ?? 'No status'}
                        {t.customerName ? ` · ${t.customerName}` : ''}
                      </div>
                    </div>
                    <Button size="sm" onClick={() => onPick(t)} aria-label={`Update ticket #${t.number ?? t.id}`}>
                      Select
                    </Button>
                  </li>
                ))}
              </ul>
            )}
            {tickets.data?.truncated && <p className="muted">More tickets match than are shown; narrow the search.</p>}
          </>
        )}
      </div>
    </section>
  );
}
