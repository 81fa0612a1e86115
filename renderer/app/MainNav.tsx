import { hrefFor, type Route } from './router.js';

interface MainNavProps {
  route: Route;
  showChanges: boolean;
  showFleet: boolean;
  /** The alert webhook: partner admins (technicians do not manage it, so they do not see it). */
  showAlerts: boolean;
  pendingCount: number;
  conflictCount: number;
}

/** Primary navigation; the current screen is marked with aria-current. */
export function MainNav({ route, showChanges, showFleet, showAlerts, pendingCount, conflictCount }: MainNavProps) {
  const current = (names: Route['name'][]) => (names.includes(route.name) ? 'page' : undefined);
  return (
    <nav aria-label="Main" className="shell-nav">
      <a href={hrefFor({ name: 'catalog' })} aria-current={current(['catalog', 'integration', 'mappings', 'actions', 'activity'])}>
        Integrations
      </a>
      <a href={hrefFor({ name: 'clients' })} aria-current={current(['clients', 'client', 'ticketUpdate'])}>
        Clients
      </a>
      <a href={hrefFor({ name: 'automations' })} aria-current={current(['automations', 'automation', 'automationRun'])}>
        Automations
      </a>
      {showChanges && (
        <a href={hrefFor({ name: 'changes' })} aria-current={current(['changes'])}>
          Pending changes
          {pendingCount > 0 && (
            <span className={`nav-count${conflictCount > 0 ? ' nav-count-warn' : ''}`}>
              {pendingCount}
              <span className="visually-hidden">
                {' '}
                pending{conflictCount > 0 ? `, ${conflictCount} with conflicts` : ''}
              </span>
            </span>
          )}
        </a>
      )}
      {showFleet && (
        <a href={hrefFor({ name: 'fleet' })} aria-current={current(['fleet'])}>
          Fleet
        </a>
      )}
      {showAlerts && (
        <a href={hrefFor({ name: 'alerts' })} aria-current={current(['alerts'])}>
          Alerts
        </a>
      )}
      <a href={hrefFor({ name: 'settings' })} aria-current={current(['settings'])}>
        Settings
      </a>
    </nav>
  );
}
