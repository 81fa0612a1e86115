import type { FakeNinjaOne } from '../integrations/ninjaone/fakeServer.js';
import { demoClientWorlds } from './demoClients.js';

/** What a demo partner stores for NinjaOne, and the health the demo expects of it. */
export interface DemoNinjaOneSeed {
  settings: { northwind: Record<string, string>; contoso: Record<string, string> };
  expect: { northwind: 'ok' | 'degraded' | 'error'; contoso: 'ok' | 'degraded' | 'error' };
  /** A device of Northwind's first client, with a script to run on it. */
  device: { id: number; name: string; scriptId: number; scriptName: string };
}

const apps = {
  northwind: { clientId: 'demo-northwind-ninja-m2m', clientSecret: 'demo-northwind-ninja-secret-7c21' },
  contoso: { clientId: 'demo-contoso-ninja-web', clientSecret: 'demo-contoso-ninja-secret-94be' },
} as const;

/** What each demo partner stores: Northwind an API Services app, Contoso a regular web app. */
export const demoNinjaOneSettings = {
  northwind: { instance: 'app', client_id: apps.northwind.clientId, client_secret: apps.northwind.clientSecret, scopes: 'monitoring management', grant: 'client_credentials' },
  contoso: { instance: 'eu', client_id: apps.contoso.clientId, client_secret: apps.contoso.clientSecret, scopes: 'monitoring management', grant: 'authorization_code' },
};

/**
 * One NinjaOne account shared by the demo's two app registrations (the fake keeps one set of
 * organizations): Northwind's API Services app has `monitoring management` and is connected with
 * client credentials (Active); Contoso's is a regular web app (authorization code) that nobody has
 * signed in with yet, so NinjaOne is in Error "Not connected … yet" until an admin presses
 * Connect on its detail screen and allows it on the fake's consent page.
 */
export function seedDemoNinjaOne(fake: FakeNinjaOne): DemoNinjaOneSeed {
  fake.addApp({ ...apps.northwind, name: 'Integration Center (Northwind)', scopes: ['monitoring', 'management'], grants: ['client_credentials'] });
  fake.addApp({ ...apps.contoso, name: 'Integration Center (Contoso)', scopes: ['monitoring', 'management', 'offline_access'], grants: ['authorization_code', 'refresh_token'] });
  const names = demoClientWorlds.northwind.clients.slice(0, 10);
  const orgIds = fake.addOrganizations(names.length + 30, names);
  const scriptId = 41;
  let first: { id: number; name: string } | undefined;
  names.forEach((name, i) => {
    const prefix = name.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase();
    const made = fake.addDevices(orgIds[i] as number, [
      { displayName: `${prefix}-DC01`, systemName: `${prefix}-DC01`, nodeClass: 'WINDOWS_SERVER' },
      { displayName: `${prefix}-WS01`, systemName: `${prefix}-WS01`, nodeClass: 'WINDOWS_WORKSTATION', offline: i % 3 === 0 },
    ]);
    for (const device of made) {
      fake.setScriptingOptions(device.id, {
        categories: [{ id: 1, name: 'Maintenance', internal: false }],
        scripts: [
          { type: 'SCRIPT', id: scriptId, name: 'Clear temp folders', language: 'powershell', categoryId: 1 },
          { type: 'ACTION', uid: '3f4b6a52-1c1e-4d35-9d3a-6b0f1f8e2a10', name: 'Restart Print Spooler' },
        ],
        credentials: { roles: ['system', 'loggedonuser'], credentials: [] },
      });
    }
    if (i < 3) fake.addAlert({ deviceId: (made[0] as { id: number }).id, subject: 'Disk space low', message: 'C: has 7% free' });
    first ??= { id: (made[0] as { id: number }).id, name: `${prefix}-DC01` };
  });
  return {
    settings: demoNinjaOneSettings,
    expect: { northwind: 'ok', contoso: 'error' },
    device: { ...(first as { id: number; name: string }), scriptId, scriptName: 'Clear temp folders' },
  };
}
