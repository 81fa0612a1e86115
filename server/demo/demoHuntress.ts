import type { FakeHuntress } from '../integrations/huntress/fakeServer.js';
import { demoClientWorlds } from './demoClients.js';

/** Northwind's Huntress account holds this many organizations (three discovery pages of 500). */
export const demoHuntressOrganizations = 1_200;

const keys = {
  northwindKey: 'demo-northwind-huntress-key',
  northwindSecret: 'demo-northwind-huntress-secret',
  contosoKey: 'demo-contoso-huntress-key',
  contosoSecret: 'demo-contoso-huntress-secret',
};

/**
 * The demo's Huntress accounts at the fake:
 * - Northwind MSP: Active. A user-based key (so "Resolve" is available), 1,200 organizations whose
 *   first ones carry the names Northwind's clients have at Syncro (so mapping suggestions work), and
 *   three incident reports: Dataforth's `sent` one that can be resolved, Harbor Dental's with a
 *   remediation still unapproved (resolving it gets Huntress's 409, worded), and a closed one.
 * - Contoso Managed IT: Degraded. Its account key reads the account but is refused incident
 *   reports (403), so the health check names the missing permission.
 * Returns the settings each partner stores and the health each should show.
 */
export function seedDemoHuntress(fake: Pick<FakeHuntress, 'addAccount'>): {
  settings: { northwind: Record<string, string>; contoso: Record<string, string> };
  expect: { northwind: 'ok' | 'degraded' | 'error'; contoso: 'ok' | 'degraded' | 'error' };
} {
  const { northwind, contoso } = demoClientWorlds;
  const northwindNames = Object.values(northwind.syncro);
  const id = (name: string) => northwindNames.indexOf(name) + 1;
  fake.addAccount('northwind', {
    name: 'Northwind MSP',
    organizations: demoHuntressOrganizations,
    organizationNames: northwindNames,
    agents: 24,
    keys: [{ key: keys.northwindKey, secret: keys.northwindSecret, kind: 'user' }],
    incidentReports: [
      {
        organizationId: id('DATAFORTH CORPORATION'),
        subject: 'CRITICAL - Malicious scheduled task on DF-FS01',
        severity: 'critical',
        sentHoursAgo: 3,
        remediations: [{ action: 'Delete Scheduled Task', status: 'approved' }, { action: 'Delete File', status: 'completed' }],
      },
      {
        organizationId: id('Harbor Dental Group'),
        subject: 'HIGH - Unwanted remote access tool on HD-RECEPTION',
        severity: 'high',
        sentHoursAgo: 6,
        remediations: [{ action: 'Uninstall ScreenConnect client', status: 'unapproved' }],
      },
      { organizationId: id('Bluewave Logistics'), subject: 'LOW - Footholds removed', severity: 'low', status: 'closed', sentHoursAgo: 120 },
    ],
  });
  fake.addAccount('contoso', {
    name: 'Contoso Managed IT',
    organizations: 12,
    organizationNames: Object.values(contoso.syncro),
    keys: [{ key: keys.contosoKey, secret: keys.contosoSecret, kind: 'account', denied: ['incident_reports'] }],
  });
  return {
    settings: {
      northwind: { subdomain: 'northwind', api_key: keys.northwindKey, api_secret: keys.northwindSecret, key_type: 'user' },
      contoso: { subdomain: 'contoso', api_key: keys.contosoKey, api_secret: keys.contosoSecret, key_type: 'account' },
    },
    expect: { northwind: 'ok', contoso: 'degraded' },
  };
}
