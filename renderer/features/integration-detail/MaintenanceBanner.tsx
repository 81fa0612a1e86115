import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { useMaintenance } from '../../app/data/hooks/useMaintenance.js';
import { activeWindow, maintenanceBannerText } from './maintenanceWords.js';

/**
 * At the top of the detail screen while a maintenance window covers this integration (its own or
 * partner-wide): until when, that alerts are held, and why. Checks go on, so the status below
 * stays true; only the alerts wait.
 */
export function MaintenanceBanner({ detail }: { detail: IntegrationDetail }) {
  const windows = useMaintenance(detail.key, true);
  const active = activeWindow(windows.data?.items ?? []);
  if (!active) return null;
  return (
    <div className="notice notice-warn maintenance-banner" role="status">
      <p>
        <strong>{maintenanceBannerText(active)}</strong>
        {active.integrationKey === null && <span className="muted"> (all integrations)</span>}
      </p>
    </div>
  );
}
