import type { FakeTactical } from '../integrations/tacticalrmm/fakeServer.js';
import { demoClientWorlds } from './demoClients.js';

/**
 * The demo's Tactical RMM: one fake process serves both partners.
 * - Northwind: an API host with clients named after Northwind's demo clients (some exactly,
 *   some loosely, for the mapping screen's suggestions), a few filler clients, sites with agents
 *   (some offline), a small script library and active alerts. Its health is Ok (Active).
 * - Contoso: a valid key, but the URL it saved is the *dashboard* address (the fake's
 *   `/dashboard`, which answers index.html for every path, as TRMM's dashboard host does): its
 *   health is Error "this is the dashboard address, not the API address". Changing the URL to
 *   the API host (`fake.baseUrl`) makes it Active: its clients are registered too.
 * The fake listens on 127.0.0.1, so the server needs INTEGRATIONS_ALLOW_PRIVATE_NETWORK=true.
 */
export interface DemoTacticalSeed {
  settings: { northwind: Record<string, string>; contoso: Record<string, string> };
  expect: { northwind: 'ok' | 'degraded' | 'error'; contoso: 'ok' | 'degraded' | 'error' };
}

/** Demo keys: 32 upper-case letters and digits, as TRMM generates them. */
export const demoTacticalKeys = { northwind: 'NWTRMMDEMOKEY0000000000000000001', contoso: 'COTRMMDEMOKEY0000000000000000002' } as const;

const northwindNames = (() => {
  const clients = demoClientWorlds.northwind.clients;
  const exact = ['Harbor Dental Group', 'Bluewave Logistics', 'Cedar Ridge Veterinary', 'Summit Roofing', 'Riverside Accounting'].filter((n) => clients.includes(n));
  // Loosely named at the vendor: equal once normalised, or a word more, for review.
  const loose = ['DATAFORTH CORP', 'Willow Creek Winery LLC', 'Maple Street Pediatrics Clinic', 'Trailhead Outfitters, Inc.'];
  const filler = ['Keystone Manufacturing', 'Anchor Marine Supply', 'Internal IT'];
  return [...exact, ...loose, ...filler];
})();

export function seedDemoTactical(fake: FakeTactical): DemoTacticalSeed {
  fake.addAccount({
    key: demoTacticalKeys.northwind,
    clients: northwindNames.map((name, i) => ({ name, sites: i % 3 === 0 ? ['Main Office', 'Warehouse'] : ['Main Office'] })),
    agentsPerSite: 3,
    offlineEvery: 3,
    scripts: [
      { name: 'Clear DNS cache', shell: 'powershell', category: 'Network', defaultTimeout: 30 },
      { name: 'Disk cleanup', shell: 'powershell', category: 'Maintenance', args: ['-Drive C:'], defaultTimeout: 300 },
      { name: 'Restart print spooler', shell: 'cmd', category: 'Printing', defaultTimeout: 60 },
      { name: 'Collect event logs', shell: 'powershell', category: 'Diagnostics', description: 'Zips the last 24 h of System and Application logs' },
    ],
    alerts: [
      { agentIndex: 0, severity: 'error', message: 'Disk space on C: below 10%' },
      { agentIndex: 4, severity: 'warning', message: 'Agent has not checked in for 2 hours' },
      { agentIndex: 7, severity: 'warning', message: 'Windows Update service stopped', resolved: true },
      { agentIndex: 9, severity: 'info', message: 'Reboot pending after updates', snoozed: true },
      { agentIndex: 12, severity: 'error', message: 'Backup service not running' },
    ],
  });
  fake.addAccount({
    key: demoTacticalKeys.contoso,
    clients: demoClientWorlds.contoso.clients.slice(0, 6).map((name) => ({ name, sites: ['HQ'] })),
    agentsPerSite: 2,
  });
  return {
    settings: {
      northwind: { api_url: fake.baseUrl, api_key: demoTacticalKeys.northwind },
      contoso: { api_url: fake.dashboardUrl, api_key: demoTacticalKeys.contoso },
    },
    expect: { northwind: 'ok', contoso: 'error' },
  };
}
