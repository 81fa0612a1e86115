import { useClients } from '../../app/data/hooks/useMappings.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions, useScope } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Skeleton } from '../../components/Skeleton.js';
import { ClientTenants } from '../clients/ClientTenants.js';
import { RecentUpdates } from './RecentUpdates.js';
import { TicketLinks } from './TicketLinks.js';
import './TicketUpdate.css';

/** One client: its Microsoft 365 tenants, its ticket links, its recent ticket updates, and the way into the guided update. */
export function ClientTicketsScreen({ clientId }: { clientId: number }) {
  const clients = useClients();
  const { canMutate } = usePermissions();
  const { user, viewingPartnerId } = useScope();
  const sync = useSyncStatus();
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
      {/* Read from Microsoft with the own partner's app: not in the support view of another partner. */}
      {viewingPartnerId === user.partnerId && !user.isDev && clients.data.mappings.some((m) => m.clientId === clientId && m.integrationKey === 'microsoft365') && (
        <ClientTenants clientId={clientId} canMutate={canMutate} online={sync.data?.connection === 'online'} />
      )}
      <TicketLinks clientId={clientId} canMutate={canMutate} />
      {canMutate && <RecentUpdates clientId={clientId} />}
    </div>
  );
}
