import type { DiscoveryRun } from '../../../shared/integrations/discovery.js';
import type { MappingsView } from '../../../shared/localApi.js';
import { useDiscoveryRun, useStartDiscovery } from '../../app/data/hooks/useMappings.js';
import { Button } from '../../components/Button.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { plural } from '../../components/plural.js';
import { useToast } from '../../components/Toast.js';

function RunProgress({ run }: { run: DiscoveryRun }) {
  if (run.status === 'queued') return <p className="muted">Discovery is queued on the server…</p>;
  // Some vendors say how many pages there are; others only how far it got.
  if (run.totalPages) return <ProgressBar label="Discovering organizations (pages)" done={run.pagesDone} total={run.totalPages} />;
  return (
    <p className="muted" role="status">
      Discovering: {plural(run.pagesDone, 'page')} read, {plural(run.organizationsSeen, 'organization')} so far…
    </p>
  );
}

/**
 * Discovery runs on the server; this starts it (partner admins), shows its progress while it
 * runs and what it found — or why it failed, in the vendor's words.
 */
export function DiscoveryPanel({ view, vendor, canStart, online }: { view: MappingsView; vendor: string; canStart: boolean; online: boolean }) {
  const runQuery = useDiscoveryRun(view.key);
  const start = useStartDiscovery(view.key);
  const toast = useToast();
  const run = runQuery.data?.run ?? view.run;
  const active = run?.status === 'queued' || run?.status === 'running';
  const counts = view.snapshot?.counts;

  const onStart = () =>
    start.mutate(undefined, {
      onSuccess: () => void runQuery.refetch(),
      onError: (e) => toast({ tone: 'error', title: 'Discovery did not start', body: e.message }),
    });

  return (
    <section className="card" aria-labelledby="discovery-title">
      <div className="card-header">
        <h2 id="discovery-title">Organizations at {vendor}</h2>
        {canStart && (
          <Button variant="primary" onClick={onStart} busy={start.isPending} disabled={active || !online} title={online ? undefined : 'Discovery needs a connection to the server'}>
            {view.snapshot ? 'Discover again' : 'Discover organizations'}
          </Button>
        )}
      </div>
      <div className="card-body discovery-body">
        {view.snapshot && counts ? (
          <p>
            <strong>{plural(counts.organizations, 'organization')}</strong>, discovered <RelativeTime iso={view.snapshot.takenAt} />
            {view.snapshot.previousTakenAt && (
              <span className="muted">
                {' '}
                · {counts.new} new, {counts.renamed} renamed, {counts.gone} gone since the discovery before
              </span>
            )}
          </p>
        ) : active ? (
          <p className="muted">Discovering the organizations for the first time…</p>
        ) : (
          <p className="muted">Not discovered yet{canStart ? ': discover the organizations to map them to your clients.' : '.'}</p>
        )}
        {run && active && <RunProgress run={run} />}
        {run?.status === 'failed' && (
          <div className="notice notice-danger" role="alert">
            <p>
              <strong>The last discovery failed</strong> (<RelativeTime iso={run.finishedAt ?? run.createdAt} />): {run.error ?? 'no reason was given'}
            </p>
          </div>
        )}
        {!online && <p className="muted">Offline: showing the organizations and mappings as last fetched{view.fetchedAt ? <> (<RelativeTime iso={view.fetchedAt} />)</> : ''}.</p>}
      </div>
    </section>
  );
}
