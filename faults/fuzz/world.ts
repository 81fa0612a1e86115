import type { LightMyRequestResponse } from 'fastify';
import { seedDemo } from '../../server/cli/commands/seedDemo.js';
import { seedDemoVendors } from '../../server/integrations/fakeVendors.js';
import type { Role } from '../../shared/auth.js';
import type { FuzzServer } from './server.js';

export type Caller = 'none' | 'admin' | 'tech' | 'dev';

export interface FuzzUser {
  id: number;
  partnerId: number;
  email: string;
  password: string;
  role: Role;
  auth: string;
}

/** Who the fuzzer is (partner A), whose data must not move (partner B), and ids to aim at. */
export interface FuzzWorld {
  a: { id: number; admin: FuzzUser; tech: FuzzUser; clientIds: number[] };
  b: { id: number; admin: FuzzUser; clientIds: number[]; ticketLinkIds: number[]; orgIds: string[] };
  dev: { id: number; admin: FuzzUser };
  integrationKeys: string[];
  /** The Authorization header of a caller kind (none: no header). */
  authOf(caller: Caller): string | undefined;
}

async function expectOk(what: string, res: Promise<LightMyRequestResponse>): Promise<unknown> {
  const r = await res;
  if (r.statusCode >= 300) throw new Error(`Seeding the fuzz world: ${what} answered ${r.statusCode} ${r.body.slice(0, 300)}`);
  return r.json();
}

/**
 * The demo partners on the fuzz server: Contoso (A, the fuzzer's own partner), Northwind (B,
 * the bystander: configured integrations, clients, mappings, a ticket link, an alert webhook,
 * and the audit rows all that wrote) and the platform operator ACG.
 */
export async function seedFuzzWorld(server: FuzzServer): Promise<FuzzWorld> {
  const { deps } = server.runtime;
  const demo = seedDemoVendors(server.fakes);
  const seeded = await seedDemo(deps.db);
  const userOf = async (partnerId: number, role: Role): Promise<FuzzUser> => {
    const u = seeded.users.find((x) => x.partnerId === partnerId && x.role === role);
    if (!u) throw new Error(`no demo ${role} for partner ${partnerId}`);
    const { token } = await deps.tokens.sign({ userId: u.id, partnerId, role });
    return { ...u, auth: `Bearer ${token}` };
  };
  // B is Northwind, whose Syncro token may read tickets (so B holds a ticket link); A is Contoso.
  const [dev, b, a] = seeded.partners;
  if (!dev || !a || !b) throw new Error('seedDemo did not create the three demo partners');
  const call = (user: FuzzUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: { authorization: user.auth }, ...(payload ? { payload } : {}) });

  const world = {
    a: { id: a.id, admin: await userOf(a.id, 'partner_admin'), tech: await userOf(a.id, 'partner_user'), clientIds: [] as number[] },
    b: { id: b.id, admin: await userOf(b.id, 'partner_admin'), clientIds: [] as number[], ticketLinkIds: [] as number[], orgIds: [] as string[] },
    dev: { id: dev.id, admin: await userOf(dev.id, 'partner_admin') },
    integrationKeys: deps.registry.list().map((p) => p.entry.key),
  };
  for (const [side, slug] of [['a', 'contoso'], ['b', 'northwind']] as const) {
    const admin = world[side].admin;
    const settings = demo.partners.find((p) => p.partner === slug)?.settings ?? {};
    for (const [key, values] of Object.entries(settings)) {
      await expectOk(`configure ${key} for ${slug}`, call(admin, 'POST', `/api/integrations/${key}/configure`, { settings: values }));
    }
    for (const name of [`${slug} Canary Clinic`, `${slug} Canary Bakery`]) {
      const client = (await expectOk(`client ${name}`, call(admin, 'POST', '/api/clients', { name }))) as { id: number };
      world[side].clientIds.push(client.id);
    }
    const [first, second] = world[side].clientIds as [number, number];
    for (const [clientId, orgId] of [[first, `${slug}-org-1`], [second, `${slug}-org-2`]] as const) {
      await expectOk(`mapping ${orgId}`, call(admin, 'POST', '/api/integrations/syncro/mappings', { clientId, externalOrgId: orgId, externalOrgName: `${slug} org` }));
      if (side === 'b') world.b.orgIds.push(orgId);
    }
    if (side === 'b') {
      const ticketId = String(server.fakes.syncro.tickets(slug)[0]?.id ?? 1);
      const link = (await expectOk(`ticket link for ${slug}`, call(admin, 'POST', `/api/clients/${first}/ticket-links`, { integrationKey: 'syncro', ticketId }))) as { id: number };
      world.b.ticketLinkIds.push(link.id);
    }
    await expectOk(`webhook for ${slug}`, call(admin, 'PUT', '/api/alerts/webhook', { url: `http://127.0.0.1:9/${slug}/alerts`, secret: `${slug}-webhook-secret-0123456789`, enabled: true }));
    await expectOk(`rename for ${slug}`, call(admin, 'POST', `/api/clients/${second}/rename`, { name: `${slug} Renamed Canary` }));
  }
  const auths: Record<Caller, string | undefined> = { none: undefined, admin: world.a.admin.auth, tech: world.a.tech.auth, dev: world.dev.admin.auth };
  return { ...world, authOf: (caller) => auths[caller] };
}
