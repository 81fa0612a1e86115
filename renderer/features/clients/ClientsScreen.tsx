import { useMemo, useState, type FormEvent } from 'react';
import type { Client } from '../../../shared/clients.js';
import type { Mapping } from '../../../shared/clients.js';
import { useIntegrations } from '../../app/data/hooks/useIntegrations.js';
import { useClientMutations, useClients } from '../../app/data/hooks/useMappings.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions, useScope } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { plural } from '../../components/plural.js';
import { useToast } from '../../components/Toast.js';
import { ClientRow } from './ClientRow.js';
import './Clients.css';

/** The partner's clients and, for each, its mappings across integrations. */
export function ClientsScreen() {
  const clients = useClients();
  const integrations = useIntegrations();
  const { canMutate } = usePermissions();
  const { user, viewingPartnerId } = useScope();
  const sync = useSyncStatus();
  const { create } = useClientMutations();
  const toast = useToast();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [showArchived, setShowArchived] = useState(false);
  const online = sync.data?.connection === 'online';

  const byClient = useMemo(() => {
    const map = new Map<number, Mapping[]>();
    for (const m of clients.data?.mappings ?? []) map.set(m.clientId, [...(map.get(m.clientId) ?? []), m]);
    return map;
  }, [clients.data]);
  const names = new Map((integrations.data ?? []).map((i) => [i.key, i.name]));

  if (clients.isPending)
    return (
      <div className="clients" aria-busy="true">
        <Skeleton height={32} width="12rem" />
        <Skeleton height={240} />
      </div>
    );
  if (clients.isError) return <EmptyState tone="error" title="Couldn’t load the clients" action={<Button onClick={() => void clients.refetch()}>Try again</Button>}>{clients.error.message}</EmptyState>;

  const all = clients.data.clients;
  const listed = all.filter((c: Client) => showArchived || !c.archived).sort((a, b) => a.name.localeCompare(b.name));
  const archived = all.filter((c) => c.archived).length;

  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name, {
      onSuccess: (client) => {
        setName('');
        setNameError(null);
        toast({ tone: 'success', title: `${client.name} added` });
      },
      // Field messages (empty, too long, taken) belong beside the field; anything else is a toast.
      onError: (err) => (err.fields?.name ? setNameError(err.fields.name.join(' ')) : err.code === 'CONFLICT' ? setNameError(err.message) : toast({ tone: 'error', title: 'Client not added', body: err.message })),
    });
  };

  return (
    <div className="clients">
      <header className="clients-header">
        <h1>Clients</h1>
        <p className="muted">
          Your customers, and the organization each integration knows them by.
          {clients.data.fetchedAt && (
            <>
              {' '}
              As of <RelativeTime iso={clients.data.fetchedAt} />.
            </>
          )}
        </p>
      </header>
      {!canMutate && (
        <div className="notice notice-info" role="note">
          <p>
            {viewingPartnerId !== user.partnerId
              ? 'You are viewing another partner’s clients to support them; they are read-only.'
              : 'Technicians can view clients and their mappings. Ask a partner admin to change them.'}
          </p>
        </div>
      )}
      {canMutate && (
        <form className="card clients-add" onSubmit={onCreate} noValidate>
          <label htmlFor="client-name" className="field-label">
            New client
          </label>
          <div className="clients-add-row">
            <input
              id="client-name"
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? 'client-name-error' : undefined}
            />
            <Button type="submit" variant="primary" busy={create.isPending} disabled={!online}>
              Add client
            </Button>
          </div>
          {nameError && (
            <p id="client-name-error" className="field-error">
              {nameError}
            </p>
          )}
          {!online && <p className="muted">Offline: clients can be added once the server is back.</p>}
        </form>
      )}
      <section className="card" aria-labelledby="clients-title">
        <div className="card-header">
          <h2 id="clients-title">{plural(all.length - archived, 'client')}</h2>
          {archived > 0 && (
            <label className="clients-archived-toggle">
              <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show {plural(archived, 'archived client')}
            </label>
          )}
        </div>
        {listed.length === 0 ? (
          <p className="card-body muted">
            No clients yet.{canMutate ? ' Add one above, then map it on an integration’s Mappings tab.' : ''}
          </p>
        ) : (
          <table className="clients-table">
            <caption className="visually-hidden">Clients and their mappings</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Mapped to</th>
                {canMutate && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {listed.map((c) => (
                <ClientRow key={c.id} client={c} mappings={byClient.get(c.id) ?? []} integrationName={(key) => names.get(key) ?? key} canMutate={canMutate} online={online} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <p className="muted">
        Map organizations on each integration’s Mappings tab, e.g. <a href={hrefFor({ name: 'catalog' })}>from Integrations</a>.
      </p>
    </div>
  );
}
