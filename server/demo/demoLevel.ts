import type { FakeLevel, LevelAccountSpec } from '../integrations/levelio/fakeServer.js';
import { demoClientWorlds } from './demoClients.js';

/** What a demo partner stores for Level, and the health the demo expects of it. */
export interface DemoLevelSeed {
  settings: { northwind: Record<string, string>; contoso: Record<string, string> };
  expect: { northwind: 'ok' | 'degraded' | 'error'; contoso: 'ok' | 'degraded' | 'error' };
}

/** Demo keys: Northwind's was revoked at Level (Error with Level's "Access denied"), Contoso's works. */
export const demoLevelKeys = { northwind: 'demo-northwind-level-revoked', contoso: 'demo-contoso-level' } as const;
/** The webhook token of Contoso's runnable automation (a secret at Level; only the fake knows it here). */
const contosoHookToken = 'demo-contoso-level-hook-1f8a2c';

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Contoso's Level account: a top-level group per demo client for the first twelve (named as the
 * client is, so mapping suggestions find them), sites below some of them (a hierarchy whose paths
 * read "Fabrikam Legal / Seattle Office"), and filler groups no client has. Devices sit in
 * clients' groups and sites; alerts are active on a few; one automation has a webhook trigger
 * (runnable from here) and one has none (the action says to add one).
 */
function contosoAccount(): LevelAccountSpec {
  const clients = demoClientWorlds.contoso.clients.slice(0, 12);
  const groups: NonNullable<LevelAccountSpec['groups']> = clients.map((name) => ({ id: `grp-${slug(name)}`, name }));
  const sites: [string, string][] = [
    ['Fabrikam Legal', 'Seattle Office'],
    ['Fabrikam Legal', 'Portland Office'],
    ['Tailspin Toys', 'Warehouse'],
    ['Adventure Works Cycles', 'Retail Stores'],
  ];
  for (const [parent, site] of sites) groups.push({ id: `grp-${slug(parent)}-${slug(site)}`, name: site, parentId: `grp-${slug(parent)}` });
  groups.push({ id: 'grp-contoso-lab', name: 'Contoso Lab' }, { id: 'grp-unassigned', name: 'Unassigned' });

  const devices: NonNullable<LevelAccountSpec['devices']> = [];
  clients.forEach((name, i) => {
    const prefix = slug(name).slice(0, 3).toUpperCase();
    devices.push({ id: `dev-${slug(name)}-srv`, hostname: `${prefix}-SRV01`, groupId: `grp-${slug(name)}`, role: 'server', platform: i % 4 === 3 ? 'Linux' : 'Windows' });
    devices.push({ id: `dev-${slug(name)}-ws`, hostname: `${prefix}-WS0${(i % 5) + 1}`, groupId: `grp-${slug(name)}`, online: i % 3 !== 0 });
  });
  for (const [parent, site] of sites) {
    devices.push({ id: `dev-${slug(parent)}-${slug(site)}`, hostname: `${slug(parent).slice(0, 3).toUpperCase()}-${slug(site).slice(0, 3).toUpperCase()}-LT1`, groupId: `grp-${slug(parent)}-${slug(site)}`, nickname: `${site} laptop` });
  }

  const alerts: NonNullable<LevelAccountSpec['alerts']> = [
    { id: 'alr-1001', deviceId: 'dev-fabrikam-legal-srv', name: 'Disk space low on C:', severity: 'warning', description: 'C: has 6% free', startedHoursAgo: 5 },
    { id: 'alr-1002', deviceId: 'dev-fabrikam-legal-seattle-office', name: 'Antivirus disabled', severity: 'critical', startedHoursAgo: 2 },
    { id: 'alr-1003', deviceId: 'dev-tailspin-toys-srv', name: 'Service stopped: Print Spooler', severity: 'warning', startedHoursAgo: 9 },
    { id: 'alr-1004', deviceId: 'dev-coho-winery-srv', name: 'Device offline', severity: 'emergency', startedHoursAgo: 1 },
    { id: 'alr-1005', deviceId: 'dev-alpine-ski-house-ws', name: 'Pending reboot', severity: 'information', resolved: true, startedHoursAgo: 30 },
  ];

  return {
    name: 'contoso',
    keys: [{ key: demoLevelKeys.contoso, access: 'read_write' }],
    groups,
    generatedGroups: 6,
    devices,
    alerts,
    automations: [
      { id: 'aut-restart-spooler', name: 'Restart print spooler', webhook: { token: contosoHookToken } },
      { id: 'aut-monthly-patching', name: 'Monthly patching' },
    ],
  };
}

/**
 * Registers the demo accounts at a fake Level and returns what each demo partner stores:
 * Northwind's key was revoked (the fake answers 401 "Access denied": Error), Contoso's is a
 * Read & write key on an account named after its clients (Active). The server reaches the fake
 * through LEVEL_BASE_URL = `fake.baseUrl`.
 */
export function seedDemoLevel(fake: Pick<FakeLevel, 'addAccount'>): DemoLevelSeed {
  fake.addAccount({
    name: 'northwind',
    keys: [{ key: demoLevelKeys.northwind, access: 'read_only', revoked: true }],
    groups: demoClientWorlds.northwind.clients.slice(0, 5).map((name) => ({ id: `grp-${slug(name)}`, name })),
  });
  fake.addAccount(contosoAccount());
  return {
    settings: {
      northwind: { api_key: demoLevelKeys.northwind, key_access: 'read_only' },
      contoso: { api_key: demoLevelKeys.contoso, key_access: 'read_write' },
    },
    expect: { northwind: 'error', contoso: 'ok' },
  };
}
