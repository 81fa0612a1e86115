import { useClients } from '../../app/data/hooks/useMappings.js';
import { usePermissions } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Skeleton } from '../../components/Skeleton.js';
import { RecentUpdates } from './RecentUpdates.js';
import { TicketLinks } from './TicketLinks.js';
import './TicketUpdate.css';

/** One client: its ticket links, its recent ticket updates, and the way into the guided update. */
export function ClientTicketsScreen({ clientId }: { clientId: number }) {
  const clients = useClients();
  const { canMutate } = usePermissions();
  if (clients.isPending) return <Skeleton height={240} />;
  if (clients.isError) return <EmptyState tone="error" title="Couldn’t load the client" action={<Button onClick={() => void clients.refetch()}>Try again</Button>}>{clients.error.message}</EmptyState>;
  const client = clients.data.clients.find((c) => c.id === clientId);
  if (!client) return <EmptyState title="No such client" action={<a href={hrefFor({ name: 'clients' })}>Back to Clients</a>}>This client does not exist, or not for this partner.</EmptyState>;
  return (
    <div className="ticket-update">
      <header className="page-header">
        <div>
          <p className="muted">
            <a href={hrefFor({ name: 'clients' })}>Clients</a> /
          </p>
          <h1>{client.name}</h1>
          <p className="muted">Tickets at your PSA linked to this client, and updates posted from here.</p>
        </div>
        {!client.archived && (
          <a className="btn btn-primary btn-md" href={hrefFor({ name: 'ticketUpdate', clientId })}>
            <span className="btn-label">Update a ticket</span>
          </a>
        )}
      </header>
      <TicketLinks clientId={clientId} canMutate={canMutate} />
      {canMutate && <RecentUpdates clientId={clientId} />}
    </div>
  );
}
