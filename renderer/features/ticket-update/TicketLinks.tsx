import { useState, type FormEvent } from 'react';
import { ticketLinkTypes, type TicketLinkType } from '../../../shared/actions.js';
import { useTicketLinkActions, useTicketLinks } from '../../app/data/hooks/useActions.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { ExternalLink } from '../../components/ExternalLink.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { linkTypeLabel } from './words.js';

/** The client's ticket links: number, subject, status, link type and the ticket at the vendor. */
export function TicketLinks({ clientId, canMutate }: { clientId: number; canMutate: boolean }) {
  const links = useTicketLinks(clientId);
  const { refresh, create, remove } = useTicketLinkActions(clientId);
  const sync = useSyncStatus();
  const toast = useToast();
  const online = sync.data?.connection === 'online';
  const [ticketId, setTicketId] = useState('');
  const [linkType, setLinkType] = useState<TicketLinkType>('related');
  const [error, setError] = useState<string | null>(null);

  const onAdd = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { clientId, integrationKey: 'syncro', ticketId, linkType },
      {
        onSuccess: (link) => {
          setTicketId('');
          setError(null);
          toast({ tone: 'success', title: `Linked ticket ${link.number ?? link.ticketId}` });
        },
        onError: (err) => setError(err.fields?.ticketId?.join(' ') ?? err.message),
      },
    );
  };

  return (
    <section className="card" aria-labelledby="ticket-links-title">
      <div className="card-header">
        <h2 id="ticket-links-title">Ticket links</h2>
        <div className="row">
          {links.data?.fetchedAt && (
            <span className="muted">
              As of <RelativeTime iso={links.data.fetchedAt} />
            </span>
          )}
          <Button size="sm" busy={refresh.isPending} disabled={!online} onClick={() =>
              refresh.mutate(undefined, {
                onSuccess: (view) => {
                  const failed = view.failed ?? [];
                  if (failed.length) toast({ tone: 'error', title: `${failed.length} not refreshed`, body: failed.map((f) => `Ticket ${f.ticketId}: ${f.message}`).join(' · ') });
                },
                onError: (err) => toast({ tone: 'error', title: 'Not refreshed', body: err.message }),
              })
            }>
            Refresh
          </Button>
        </div>
      </div>
      {links.isPending ? (
        <div className="card-body">
          <Skeleton height={80} />
        </div>
      ) : links.isError ? (
        <p className="card-body field-error">{links.error.message}</p>
      ) : links.data.items.length === 0 ? (
        <p className="card-body muted">No tickets linked yet. Posting an update links its ticket here.</p>
      ) : (
        <table className="ticket-table">
          <caption className="visually-hidden">Tickets linked to this client</caption>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Link</th>
              {canMutate && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {links.data.items.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.url?.startsWith('https://') ? <ExternalLink href={l.url}>{`#${l.number ?? l.ticketId}`}</ExternalLink> : `#${l.number ?? l.ticketId}`}</th>
                <td>{l.subject ?? <span className="muted">Not read yet</span>}</td>
                <td>{l.status ?? '—'}</td>
                <td>
                  <Badge tone="info">{linkTypeLabel[l.linkType]}</Badge>
                </td>
                {canMutate && (
                  <td className="ticket-actions">
                    <Button size="sm" variant="ghost" disabled={!online} busy={remove.isPending && remove.variables === l.id} aria-label={`Remove the link to ticket ${l.number ?? l.ticketId}`} onClick={() => remove.mutate(l.id, { onError: (err) => toast({ tone: 'error', title: 'Not removed', body: err.message }) })}>
                      Remove
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canMutate && (
        <form className="ticket-link-add card-body" onSubmit={onAdd} noValidate>
          <div className="row">
            <label className="field-label" htmlFor="link-ticket-id">
              Syncro ticket id
            </label>
            <input id="link-ticket-id" className="input ticket-id-input" inputMode="numeric" value={ticketId} onChange={(e) => setTicketId(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'link-ticket-error' : undefined} />
            <label className="field-label" htmlFor="link-type">
              Link type
            </label>
            <select id="link-type" className="input" value={linkType} onChange={(e) => setLinkType(e.target.value as TicketLinkType)}>
              {ticketLinkTypes.map((t) => (
                <option key={t} value={t}>
                  {linkTypeLabel[t]}
                </option>
              ))}
            </select>
            <Button type="submit" busy={create.isPending} disabled={!online}>
              Link ticket
            </Button>
          </div>
          {error && (
            <p id="link-ticket-error" className="field-error">
              {error}
            </p>
          )}
          {!online && <p className="muted">Offline: links are read from the cache; adding, removing and refreshing need the server.</p>}
        </form>
      )}
    </section>
  );
}
