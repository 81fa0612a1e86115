import type { Health, IntegrationStatus } from '../../shared/integrations/catalog.js';
import './StatusBadge.css';

/**
 * The one place status styling is decided (SPEC-005): an explicit switch so the compiler checks
 * that every status has a class, and a new status cannot silently fall back to a default.
 */
export function getStatusBadgeClass(status: IntegrationStatus): string {
  switch (status) {
    case 'Active':
      return 'badge badge-ok';
    case 'Error':
      return 'badge badge-danger';
    case 'Configured':
      return 'badge badge-info';
    case 'Not Configured':
      return 'badge badge-neutral';
  }
}

/** Health uses the same palette: degraded is the only warning tone. */
export function getHealthBadgeClass(health: Health): string {
  switch (health) {
    case 'ok':
      return 'badge badge-ok';
    case 'degraded':
      return 'badge badge-warn';
    case 'error':
      return 'badge badge-danger';
    case 'unknown':
      return 'badge badge-neutral';
  }
}

export function healthLabel(health: Health): string {
  switch (health) {
    case 'ok':
      return 'Healthy';
    case 'degraded':
      return 'Degraded';
    case 'error':
      return 'Failing';
    case 'unknown':
      return 'Not checked yet';
  }
}

/**
 * Whether health says something the status does not. Active covers both Ok and Degraded
 * (SPEC-005), so a Degraded integration would otherwise read as plain Active; Error is failing
 * and Configured / Not Configured are unchecked by definition.
 */
export function healthAddsToStatus(status: IntegrationStatus, health: Health): boolean {
  return status === 'Active' && health === 'degraded';
}

/**
 * The status, and beside it the health where the status alone would hide it (Active but
 * Degraded). Every screen that shows a status passes the health too.
 */
export function StatusBadge({ status, health }: { status: IntegrationStatus; health?: Health }) {
  const badge = (
    <span className={getStatusBadgeClass(status)}>
      <span className="badge-dot" aria-hidden="true" />
      {status}
    </span>
  );
  if (!health || !healthAddsToStatus(status, health)) return badge;
  return (
    <span className="status-pair">
      {badge} <HealthBadge health={health} />
    </span>
  );
}

/**
 * `checkedBefore`: there is an earlier check on record. The server resets health to unknown when
 * the settings change but keeps the last check's time, so "Not checked yet" would contradict the
 * "Last check" next to it; the badge then says the check predates the change.
 */
export function HealthBadge({ health, checkedBefore = false }: { health: Health; checkedBefore?: boolean }) {
  return (
    <span className={getHealthBadgeClass(health)}>
      <span className="badge-dot" aria-hidden="true" />
      {health === 'unknown' && checkedBefore ? 'Not checked since the last change' : healthLabel(health)}
    </span>
  );
}
