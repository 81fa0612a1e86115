import { useState } from 'react';
import { useIntegrations } from '../../app/data/hooks/useIntegrations.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { useScope } from '../../app/data/scope.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Skeleton } from '../../components/Skeleton.js';
import { CatalogFilters } from './CatalogFilters.js';
import { capabilityCounts, categoryCounts, filterIntegrations, matchesCapability, noFilter, type CatalogFilter } from './filterIntegrations.js';
import './IntegrationCenter.css';
import { IntegrationCard } from './IntegrationCard.js';
import { StatusSummary } from './StatusSummary.js';

function CardSkeletons() {
  return (
    <ul className="integration-grid" aria-hidden="true">
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <li key={i} className="integration-card integration-card-skeleton">
          <div className="integration-card-head">
            <Skeleton width={40} height={40} radius={10} />
            <div className="stack" style={{ gap: 6, flex: 1 }}>
              <Skeleton width="60%" height={16} />
              <Skeleton width="40%" height={12} />
            </div>
          </div>
          <Skeleton height={12} />
          <Skeleton width="70%" height={12} />
        </li>
      ))}
    </ul>
  );
}

/** SPEC-005 IntegrationCenter: the catalog with this partner's status per entry, filterable and searchable. */
export function IntegrationCenter() {
  const list = useIntegrations();
  const { user, viewingPartnerId } = useScope();
  const [filter, setFilter] = useState<CatalogFilter>(noFilter);
  const all = list.data ?? [];
  const shown = filterIntegrations(all, filter);
  const own = viewingPartnerId === user.partnerId;
  // A cache that has never been synced is not an empty catalog: on a first sign-in the screen can
  // open while the first pull is still on its way (a slow link, a large partner).
  const sync = useSyncStatus().data;
  const firstPull = list.isSuccess && all.length === 0 && sync?.lastSyncedAt === null && sync.connection !== 'offline' && !sync.authRequired && !sync.lastError;
  const loading = list.isPending || firstPull;

  return (
    <div className="catalog">
      <header className="page-header">
        <div>
          <h1>Integrations</h1>
          <p className="muted">{own ? `Connect the tools ${user.partnerName} uses. Status reflects the latest health check.` : 'Another partner’s integrations, read-only.'}</p>
        </div>
        <StatusSummary items={all} loading={loading} />
      </header>
      <CatalogFilters
        filter={filter}
        categories={categoryCounts(all, filter.capability)}
        capabilities={capabilityCounts(all, filter.category)}
        totals={{
          category: all.filter((item) => matchesCapability(item, filter.capability)).length,
          capability: all.filter((item) => filter.category === 'all' || item.category === filter.category).length,
        }}
        onChange={setFilter}
      />
      <p className="catalog-count muted" role="status">
        {firstPull ? 'Fetching the catalog from the server for the first time…' : list.isPending ? 'Loading integrations…' : `Showing ${shown.length} of ${all.length} integrations`}
      </p>
      {loading ? (
        <CardSkeletons />
      ) : list.isError ? (
        <EmptyState tone="error" title="Couldn’t load the integrations" action={<Button onClick={() => void list.refetch()}>Try again</Button>}>
          {list.error.message} If this keeps happening, restart the app; your drafts are kept.
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title={all.length === 0 ? 'No integrations available' : 'No integrations match'} action={all.length > 0 && <Button onClick={() => setFilter(noFilter)}>Clear search and filters</Button>}>
          {all.length > 0
            ? 'Try another word, or show all categories and capabilities.'
            : sync?.lastSyncedAt === null && sync.lastError && !sync.authRequired
              ? `The first sync failed: ${sync.lastError.replace(/\.$/, '')}. It is tried again by itself.`
              : 'The catalog is empty. Sync once you are online to fetch it.'}
        </EmptyState>
      ) : (
        <ul className="integration-grid" aria-label="Integrations">
          {shown.map((item) => (
            <IntegrationCard key={item.key} item={item} />
          ))}
        </ul>
      )}
    </div>
  );
}
