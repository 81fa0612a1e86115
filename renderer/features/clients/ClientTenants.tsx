import { useEffect, useRef } from 'react';
import { useClientTenants } from '../../app/data/hooks/useMicrosoft365.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { plural } from '../../components/plural.js';
import { TenantCard } from './TenantCard.js';
import './ClientTenants.css';

/**
 * A client's Microsoft 365 tenants (issue 26), for a client mapped to at least one: each tenant's
 * consent, licenses and Secure Score, read from Microsoft through the server. The core keeps the
 * last reading, so offline the screen shows it with the time it was read.
 */
export function ClientTenants({ clientId, canMutate, online }: { clientId: number; canMutate: boolean; online: boolean }) {
  const tenants = useClientTenants(clientId, true);
  const { refetch } = tenants;
  // Back online after showing the kept reading: read Microsoft again (not on every sync: each reading is three calls per tenant).
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current) void refetch();
    wasOnline.current = online;
  }, [online, refetch]);

  const view = tenants.data;
  return (
    <section className="card client-tenants" aria-labelledby="client-tenants-title">
      <div className="card-header">
        <h2 id="client-tenants-title">Microsoft 365 tenants</h2>
        <div className="row">
          {view && (
            <span className="muted">
              {view.fromCache ? 'Offline: as read ' : 'As of '}
              <RelativeTime iso={view.fetchedAt} />
            </span>
          )}
          <Button size="sm" busy={tenants.isFetching} disabled={!online} onClick={() => void refetch()}>
            Read again
          </Button>
        </div>
      </div>
      {tenants.isPending ? (
        <div className="card-body" aria-busy="true">
          <Skeleton height={120} />
        </div>
      ) : tenants.isError ? (
        <p className="card-body field-error" role="alert">
          {tenants.error.message}
        </p>
      ) : (
        <div className="card-body stack">
          {view?.fromCache && (
            <p className="notice notice-info" role="note">
              Offline: consent, licenses and Secure Score are read from Microsoft through the server; shown here as last read on this computer.
            </p>
          )}
          <p className="muted">{plural(view?.tenants.length ?? 0, 'tenant')} mapped to this client.</p>
          {view?.tenants.map((t) => <TenantCard key={t.tenantId} tenant={t} clientId={clientId} canMutate={canMutate} online={online && !view.fromCache} />)}
        </div>
      )}
    </section>
  );
}
