import { useMemo, useState } from 'react';
import { useIntegration } from '../../app/data/hooks/useIntegrations.js';
import { useApplyMappings, useMappings } from '../../app/data/hooks/useMappings.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatCount, plural } from '../../components/plural.js';
import { useToast } from '../../components/Toast.js';
import { DetailHeader } from '../integration-detail/DetailHeader.js';
import { DetailSkeleton } from '../integration-detail/DetailSkeleton.js';
import { DetailTabs } from '../integration-detail/DetailTabs.js';
import '../integration-detail/IntegrationDetail.css';
import { ReadOnlyNote } from '../integration-detail/ReadOnlyNote.js';
import { DiscoveryPanel } from './DiscoveryPanel.js';
import { MappingTable } from './MappingTable.js';
import { buildRows, countRows, filterRows, mappingFilters, type MappingFilter, type MappingRow } from './mappingRows.js';
import './Mappings.css';

const filterLabels: Record<MappingFilter, string> = { all: 'All', unmapped: 'Unmapped', suggested: 'Suggested', missing: 'Missing' };

/** The Mappings tab: which client each of the integration's organizations belongs to. */
export function MappingsScreen({ integrationKey }: { integrationKey: string }) {
  const detail = useIntegration(integrationKey);
  const mappings = useMappings(integrationKey);
  const { canMutate, readOnlyReason } = usePermissions();
  const sync = useSyncStatus();
  const apply = useApplyMappings();
  const toast = useToast();
  const [filter, setFilter] = useState<MappingFilter>('all');
  const [query, setQuery] = useState('');
  /** Ticks the user changed; the rest follow the server's preselection. */
  const [ticks, setTicks] = useState<ReadonlyMap<string, boolean>>(new Map());

  const rows = useMemo(() => (mappings.data ? buildRows(mappings.data) : []), [mappings.data]);
  const shown = useMemo(() => filterRows(rows, filter, query), [rows, filter, query]);
  const counts = useMemo(() => countRows(rows), [rows]);
  const isSelected = (row: MappingRow) => row.suggestion !== null && (ticks.get(row.orgId) ?? row.suggestion.preselect);
  const selected = rows.filter(isSelected);

  if (detail.isPending || mappings.isPending) return <DetailSkeleton />;
  if (detail.isError || mappings.isError) {
    const error = detail.error ?? mappings.error;
    return (
      <EmptyState tone="error" title="Couldn’t load the mappings" action={<a href={hrefFor({ name: 'integration', key: integrationKey })}>Back to the integration</a>}>
        {error?.message}
      </EmptyState>
    );
  }

  const view = mappings.data;
  const vendor = detail.data.provider;
  const online = sync.data?.connection === 'online';
  const choices = canMutate ? view.clients.filter((c) => !c.archived) : null;

  const send = (input: { create?: { clientId: number; externalOrgId: string; externalOrgName: string }[]; delete?: string[] }, done: string) =>
    apply.mutate(
      { key: integrationKey, create: input.create ?? [], delete: input.delete ?? [] },
      {
        onSuccess: (out) => {
          setTicks(new Map());
          // Offline the core keeps the edit and sends it by itself when the server is back.
          if (out.queued > 0) toast({ tone: 'info', title: `${done} — kept offline`, body: 'It is sent when the server is back; see Pending changes.' });
          else toast({ tone: 'success', title: done });
        },
        onError: (e) => toast({ tone: 'error', title: 'Mappings not changed', body: e.message }),
      },
    );

  const onMap = (row: MappingRow, clientId: number | null) => {
    const client = view.clients.find((c) => c.id === clientId);
    if (clientId === null || !client) return send({ delete: [row.orgId] }, `${row.orgName} unmapped`);
    const create = [{ clientId, externalOrgId: row.orgId, externalOrgName: row.orgName }];
    // Online the server needs the old mapping gone first; the core works out the rest offline.
    send(row.mapping ? { delete: [row.orgId], create } : { create }, `${row.orgName} mapped to ${client.name}`);
  };

  const onAccept = () =>
    send(
      { create: selected.flatMap((r) => (r.suggestion ? [{ clientId: r.suggestion.client.id, externalOrgId: r.orgId, externalOrgName: r.orgName }] : [])) },
      `${plural(selected.length, 'suggestion')} accepted`,
    );

  return (
    <div className="detail">
      <DetailHeader detail={detail.data} />
      <DetailTabs detail={detail.data} current="mappings" />
      {readOnlyReason && <ReadOnlyNote reason={readOnlyReason} />}
      <DiscoveryPanel view={view} vendor={vendor} canStart={canMutate} online={online} />
      <section className="card" aria-labelledby="mappings-title">
        <div className="card-header">
          <h2 id="mappings-title">Mappings</h2>
          <span className="muted">
            {plural(rows.length - counts.unmapped, 'organization')} mapped, {formatCount(counts.unmapped)} unmapped
          </span>
        </div>
        <div className="card-body mappings-body">
          <div className="mappings-toolbar">
            <div className="mappings-search">
              <label htmlFor="mappings-search" className="visually-hidden">
                Search organizations and clients
              </label>
              <input id="mappings-search" type="search" className="input" placeholder="Search organizations and clients" value={query} onChange={(e) => setQuery(e.target.value)} />
            </div>
            <div className="chips" role="group" aria-label="Show organizations">
              {mappingFilters.map((f) => (
                <button key={f} type="button" className="chip" aria-pressed={filter === f} onClick={() => setFilter(f)}>
                  {filterLabels[f]}
                  <span className="chip-count">{counts[f]}</span>
                </button>
              ))}
            </div>
            {choices && (
              <Button variant="primary" onClick={onAccept} disabled={selected.length === 0} busy={apply.isPending}>
                {`Accept ${plural(selected.length, 'suggestion')}`}
              </Button>
            )}
          </div>
          {choices && !online && <p className="muted">Offline: changes are kept on this computer and sent by themselves when the server is back.</p>}
          {choices && view.drafts.length > 0 && (
            <p className="muted">
              {plural(view.drafts.length, 'change')} not on the server yet. <a href={hrefFor({ name: 'changes' })}>Open Pending changes</a>.
            </p>
          )}
          {choices && view.clients.length === 0 && (
            <p className="muted">
              No clients yet. <a href={hrefFor({ name: 'clients' })}>Add your clients</a> to map these organizations to them.
            </p>
          )}
          {shown.length > 0 ? (
            <MappingTable rows={shown} vendor={vendor} choices={choices} busy={apply.isPending} isSelected={isSelected} onSelect={(row, on) => setTicks(new Map(ticks).set(row.orgId, on))} onMap={onMap} />
          ) : (
            <p className="muted mappings-none">{rows.length === 0 ? 'No organizations yet.' : 'No organizations match.'}</p>
          )}
          <p className="muted" aria-live="polite">
            Showing {formatCount(shown.length)} of {plural(rows.length, 'organization')}
          </p>
        </div>
      </section>
    </div>
  );
}
