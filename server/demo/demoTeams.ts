import type { FakeTeams } from '../integrations/teams/fakeServer.js';

/** What a demo partner stores for Microsoft Teams, and the health the demo expects of it. */
export interface DemoTeamsSeed {
  settings: { northwind: Record<string, string>; contoso: Record<string, string> };
  expect: { northwind: 'ok' | 'degraded' | 'error'; contoso: 'ok' | 'degraded' | 'error' };
  /** Where Northwind's bot is installed: post to this channel from the Actions tab. */
  channel: { teamId: string; channelId: string; tenantId: string };
}

// Made-up directory ids (GUIDs as Entra shows them); nothing here is a real tenant or app.
const tenants = { northwind: '6f1d2c3b-1111-4a5b-8c7d-0e1f2a3b4c5d', contoso: '9a8b7c6d-2222-4e5f-9a0b-1c2d3e4f5a6b' } as const;
const apps = { northwind: '3c4d5e6f-3333-4a7b-8c9d-0e1f2a3b4c5d', contoso: '7e8f9a0b-4444-4c1d-8e2f-3a4b5c6d7e8f' } as const;
const secrets = { northwind: 'demo~northwind~teams~bot~secret~0001', contoso: 'demo~contoso~teams~bot~secret~0002' } as const;

const base = { bot_type: 'single_tenant', service_region: 'global' };
/** What each demo partner stores: Contoso's secret is an old one. */
export const demoTeamsSettings = {
  northwind: { ...base, tenant_id: tenants.northwind, app_id: apps.northwind, client_secret: secrets.northwind },
  contoso: { ...base, tenant_id: tenants.contoso, app_id: apps.contoso, client_secret: 'demo~contoso~teams~bot~secret~expired' },
};

/**
 * Registers the demo bots at a fake Teams (Entra sign-in and the Bot Framework in one): Northwind's
 * bot is installed in its "Service Desk" team and works (Active); Contoso saved an old client
 * secret, so Entra answers AADSTS7000215 and Teams is in Error saying to create a new secret.
 */
export function seedDemoTeams(fake: FakeTeams): DemoTeamsSeed {
  fake.addTenant({ id: tenants.northwind, domains: ['northwind-msp.onmicrosoft.com'] });
  fake.addTenant({ id: tenants.contoso, domains: ['contoso-it.onmicrosoft.com'] });
  fake.addApp({ appId: apps.northwind, secret: secrets.northwind, type: 'single_tenant', homeTenant: tenants.northwind });
  fake.addApp({ appId: apps.contoso, secret: secrets.contoso, type: 'single_tenant', homeTenant: tenants.contoso });
  const channel = { teamId: '19:northwind-service-desk@thread.tacv2', channelId: '19:northwind-alerts@thread.tacv2', tenantId: tenants.northwind };
  fake.addTeam({ tenant: tenants.northwind, teamId: channel.teamId, channels: [channel.teamId, channel.channelId], apps: [apps.northwind] });
  fake.addUser({ tenant: tenants.northwind, userId: '29:demo-northwind-oncall', apps: [apps.northwind] });
  return {
    settings: demoTeamsSettings,
    expect: { northwind: 'ok', contoso: 'error' },
    channel,
  };
}
