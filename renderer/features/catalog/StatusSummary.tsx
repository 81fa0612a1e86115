import type { IntegrationStatus, IntegrationSummary } from '../../../shared/integrations/catalog.js';
import { getStatusBadgeClass } from '../../components/StatusBadge.js';

const shownStatuses: IntegrationStatus[] = ['Active', 'Error', 'Configured'];

/** "2 Active · 1 Error · 1 Configured" at a glance; keeps its size while loading. */
export function StatusSummary({ items, loading }: { items: readonly IntegrationSummary[]; loading: boolean }) {
  return (
    <ul className="status-summary" aria-label="Status summary">
      {shownStatuses.map((status) => (
        <li key={status} className={getStatusBadgeClass(status)}>
          <span className="badge-dot" aria-hidden="true" />
          {loading ? '–' : items.filter((i) => i.state.status === status).length} {status}
        </li>
      ))}
    </ul>
  );
}
