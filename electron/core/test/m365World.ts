import { expect } from 'vitest';
import { startFakeMicrosoft365, type FakeMicrosoft365 } from '../../../server/integrations/microsoft365/fakeServer.js';
import { seedM365Partner } from '../../../server/integrations/microsoft365/fakeSeed.js';
import { createMicrosoft365Plugin, type M365Plugin } from '../../../server/integrations/microsoft365/index.js';
import { fakeEnv, testHttp } from '../../../server/integrations/microsoft365/testContext.js';
import { startJobWorkers } from '../../../server/jobs/workers.js';
import { SyncServer, type SyncUser } from './syncHarness.js';
import { waitFor } from './waitFor.js';

export interface M365World {
  fake: FakeMicrosoft365;
  server: SyncServer;
  admin: SyncUser;
  tech: SyncUser;
  /** Dataforth's two tenants and Harbor Dental's, whose administrator never consented. */
  tenants: { dataforth: string; dataforthEu: string; harbor: string };
  /** Dataforth Corp. maps to both Dataforth tenants, Harbor Dental Group to Harbor Dental; "Never read" to none. */
  clients: { dataforth: number; harbor: number; unread: number };
  close(): Promise<void>;
}

/**
 * Issue 26's demo in small, for the desktop core's and the renderer's tests: a real server with
 * the Microsoft 365 plugin pointed at its fake, a partner whose three customer tenants are
 * discovered and mapped to two clients, Harbor Dental's without consent.
 */
export async function startM365World(): Promise<M365World> {
  const fake = await startFakeMicrosoft365();
  const seeded = seedM365Partner(fake, { prefix: 0xd15, tenants: 3, names: (i) => ['Dataforth', 'Dataforth EU', 'Harbor Dental'][i - 1] ?? `Customer ${i}` });
  const [dataforth, dataforthEu, harbor] = seeded.tenants.map((t) => t.id) as [string, string, string];
  fake.setConsent(harbor, 'not_consented');
  const plugin: M365Plugin = createMicrosoft365Plugin({ checkTimeoutMs: 10_000, http: testHttp });
  const server = await SyncServer.start([plugin], fakeEnv(fake));
  await startJobWorkers(server.deps);
  const partner = await server.partner();
  const admin = await server.user(partner.id);
  const tech = await server.user(partner.id, 'partner_user');
  expect((await server.rest('POST', '/api/integrations/microsoft365/configure', admin, { settings: seeded.settings })).status).toBe(201);
  expect((await server.rest('POST', '/api/integrations/microsoft365/discovery', admin)).status).toBe(202);
  await waitFor(async () => ((await server.rest('GET', '/api/integrations/microsoft365/discovery', admin)).json() as { run: { status: string } }).run.status === 'succeeded', 30_000);
  const client = async (name: string) => ((await server.rest('POST', '/api/clients', admin, { name })).json() as { id: number }).id;
  const clients = { dataforth: await client('Dataforth Corp.'), harbor: await client('Harbor Dental Group'), unread: await client('Never read') };
  const applied = await server.rest('POST', '/api/integrations/microsoft365/mappings/apply', admin, {
    create: [
      { clientId: clients.dataforth, externalOrgId: dataforth, externalOrgName: 'Dataforth' },
      { clientId: clients.dataforth, externalOrgId: dataforthEu, externalOrgName: 'Dataforth EU' },
      { clientId: clients.harbor, externalOrgId: harbor, externalOrgName: 'Harbor Dental' },
    ],
  });
  expect(applied.status).toBeLessThan(300);
  return {
    fake,
    server,
    admin,
    tech,
    tenants: { dataforth, dataforthEu, harbor },
    clients,
    close: async () => {
      await server.close();
      await plugin.close();
      await fake.close();
    },
  };
}

/** The browser at Microsoft: the fake's administrator approves at once and it redirects back. */
export async function consentRedirect(consentUrl: string): Promise<URL> {
  const res = await fetch(consentUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

/** How many consents the server has confirmed (audited `connected`, "Admin consent confirmed …"). */
export async function consentAudits(w: M365World): Promise<number> {
  const items = ((await w.server.rest('GET', '/api/integrations/microsoft365/audit', w.admin)).json() as { items: { details: { message?: string } | null }[] }).items;
  return items.filter((e) => e.details?.message?.startsWith('Admin consent confirmed')).length;
}
