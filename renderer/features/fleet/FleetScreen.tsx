import { useFleetMatrix } from '../../app/data/hooks/useFleet.js';
import { useScope } from '../../app/data/scope.js';
import { navigate } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatAbsolute, RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { plural } from '../../components/plural.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import './FleetScreen.css';

/** The dev partner's fleet matrix: every partner × every integration, read-only, with a way in. */
export function FleetScreen() {
  const matrix = useFleetMatrix();
  const { user, setViewingPartnerId } = useScope();

  if (!user.isDev) return <EmptyState title="Not available">The fleet view is for the platform operator.</EmptyState>;
  if (matrix.isPending) return <Skeleton height={320} />;
  if (matrix.isError) {
    return (
      <EmptyState tone="error" title="Couldn’t load the fleet" action={<Button onClick={() => void matrix.refetch()}>Try again</Button>}>
        {matrix.error.message}
      </EmptyState>
    );
  }
  const { partners, integrations, cells, asOf, complete } = matrix.data;
  // Indexed once: thousands of partners × integrations must not be a search per cell.
  const byCell = new Map(cells.map((c) => [`${c.partnerId}\u0000${c.integrationKey}`, c]));
  const cell = (partnerId: number, key: string) => byCell.get(`${partnerId}\u0000${key}`);
  const failing = cells.filter((c) => c.status === 'Error').length;
  const degraded = cells.filter((c) => c.status === 'Active' && c.health === 'degraded').length;

  const view = (partnerId: number) => {
    setViewingPartnerId(partnerId);
    navigate({ name: 'catalog' });
  };

  return (
    <div className="fleet">
      <header className="page-header">
        <div>
          <h1>Fleet</h1>
          <p className="muted">
            Every partner’s integrations, read-only. As of <RelativeTime iso={asOf} />.
          </p>
          {!complete && <p className="muted">The fleet is larger than one read: showing the first {partners.length} partners by id.</p>}
        </div>
        <p className={failing > 0 ? 'badge badge-danger' : degraded > 0 ? 'badge badge-warn' : 'badge badge-ok'}>
          {plural(failing, 'failing integration')}, {degraded} degraded, across {plural(partners.length, 'partner')}
        </p>
      </header>
      <div className="card fleet-scroll" role="region" aria-label="Fleet matrix" tabIndex={0}>
        <table className="fleet-table">
          <caption className="visually-hidden">Integration status per partner</caption>
          <thead>
            <tr>
              <th scope="col">Partner</th>
              {integrations.map((i) => (
                <th key={i.key} scope="col">
                  {i.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {partners.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <div className="fleet-partner">
                    <span>
                      {p.name}
                      {p.id === user.partnerId && <span className="muted"> (you)</span>}
                    </span>
                    <Button size="sm" variant="ghost" onClick={() => view(p.id)} aria-label={`View ${p.name}’s integrations`}>
                      View
                    </Button>
                  </div>
                </th>
                {integrations.map((i) => {
                  const c = cell(p.id, i.key);
                  return (
                    <td key={i.key} title={c?.errorMessage ?? undefined}>
                      {c && c.status !== 'Not Configured' ? (
                        <span className="fleet-cell">
                          <StatusBadge status={c.status} health={c.health} />
                          {c.uptimePercent !== null && <span className="muted fleet-uptime">{`${c.uptimePercent}% · 24 h`}</span>}
                          {c.maintenanceUntil && <span className="badge badge-warn fleet-maintenance" title="Alerts are held">{`Maintenance until ${formatAbsolute(c.maintenanceUntil)}`}</span>}
                        </span>
                      ) : (
                        <span className="muted fleet-none">
                          —<span className="visually-hidden">Not configured</span>
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
