import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Mapping } from '../../../shared/clients.js';
import { startFakeMsp360, type FakeMsp360 } from '../../../server/integrations/msp360/fakeServer.js';
import { createMsp360Plugin, type Msp360Plugin } from '../../../server/integrations/msp360/index.js';
import { startJobWorkers } from '../../../server/jobs/workers.js';
import { coresOf } from '../test/cores.js';
import { SyncServer, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// Clients, mappings and discovery through the desktop core, over the real server, PostgreSQL,
// pg-boss and the MSP360 fake: discover, accept the suggestions, map the rest by hand, read it
// all back offline; technicians read only.

const msp = { login: 'core-mapping-api', password: 'core-mapping-password' };
let fake: FakeMsp360;
let plugin: Msp360Plugin;
let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
const cores = coresOf(() => server);

beforeAll(async () => {
  fake = await startFakeMsp360();
  fake.addAccount({ login: msp.login, password: msp.password, companies: 6, companyNames: { 1: 'Alpha Dental', 2: 'Bravo Logistics', 3: 'Charlie Bakery' } });
  plugin = createMsp360Plugin({ checkTimeoutMs: 3_000, http: { retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  server = await SyncServer.start([plugin], { MSP360_BASE_URL: fake.baseUrl });
  await startJobWorkers(server.deps);
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  const configured = await server.rest('POST', '/api/integrations/msp360/configure', admin, { settings: { api_login: msp.login, api_password: msp.password } });
  expect(configured.status, JSON.stringify(configured.json())).toBe(201);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await plugin?.close();
  await fake?.close();
});

const signedIn = (user: SyncUser) => cores.signedIn(user);

async function serverMappings(): Promise<Pick<Mapping, 'clientId' | 'externalOrgId'>[]> {
  const res = await server.rest('GET', '/api/integrations/msp360/mappings', admin);
  return (res.json() as { items: Mapping[] }).items.map(({ clientId, externalOrgId }) => ({ clientId, externalOrgId })).sort((a, b) => a.externalOrgId.localeCompare(b.externalOrgId));
}

describe('clients and mappings in the desktop core', () => {
  it('discovers, accepts the suggestions, maps one by hand, and reads it all back offline', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.mappings;
    const alpha = await api.createClient('Alpha Dental');
    const bravo = await api.createClient('Bravo Logistics');
    const zulu = await api.createClient('Zulu Holdings');
    await expect(api.createClient('alpha dental')).rejects.toMatchObject({ code: 'CONFLICT' });

    const before = await api.view('msp360');
    expect(before.snapshot).toBeNull();
    expect(before.organizations).toEqual([]);

    const started = await api.startDiscovery('msp360');
    expect(started.run?.status).toMatch(/queued|running/);
    let done = (await api.discoveryRun('msp360')).run;
    for (let i = 0; i < 300 && (done?.status === 'queued' || done?.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = (await api.discoveryRun('msp360')).run;
    }
    expect(done).toMatchObject({ status: 'succeeded', counts: { organizations: 6, new: 6 } });

    const view = await api.view('msp360');
    expect(view.organizations).toHaveLength(6);
    const orgId = (name: string) => view.organizations.find((o) => o.name === name)?.id ?? '';
    // Equal names once normalised are preselected; Charlie Bakery has no client of that name.
    const preselected = view.suggestions.filter((s) => s.kind === 'preselect').map((s) => [s.clientId, s.externalOrgId]);
    expect(preselected.sort()).toEqual([[alpha.id, orgId('Alpha Dental')], [bravo.id, orgId('Bravo Logistics')]].sort());

    const accepted = await api.apply({
      key: 'msp360',
      create: [
        ...view.suggestions.filter((s) => s.kind === 'preselect').map((s) => ({ clientId: s.clientId, externalOrgId: s.externalOrgId, externalOrgName: view.organizations.find((o) => o.id === s.externalOrgId)?.name ?? '' })),
        { clientId: zulu.id, externalOrgId: orgId('Charlie Bakery'), externalOrgName: 'Charlie Bakery' },
      ],
    });
    expect(accepted).toEqual({ created: 3, deleted: 0, queued: 0 });
    const expected = [
      { clientId: alpha.id, externalOrgId: orgId('Alpha Dental') },
      { clientId: bravo.id, externalOrgId: orgId('Bravo Logistics') },
      { clientId: zulu.id, externalOrgId: orgId('Charlie Bakery') },
    ].sort((a, b) => a.externalOrgId.localeCompare(b.externalOrgId));
    expect(await serverMappings()).toEqual(expected);
    // The core refetched before answering: the tab reads the new mappings at once.
    expect((await api.view('msp360')).mappings).toHaveLength(3);
    // Mapping an organization a second time is the server's 409, naming the holder.
    await expect(api.apply({ key: 'msp360', create: [{ clientId: bravo.id, externalOrgId: orgId('Alpha Dental'), externalOrgName: 'Alpha Dental' }] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Alpha Dental'),
    });

    await server.down();
    const offline = await api.view('msp360');
    expect(offline.organizations).toHaveLength(6);
    expect(offline.mappings.map((m) => m.externalOrgId).sort()).toEqual(expected.map((m) => m.externalOrgId));
    const clients = await api.clients();
    expect(clients.clients.map((c: Client) => c.name).sort()).toEqual(['Alpha Dental', 'Bravo Logistics', 'Zulu Holdings']);
    expect(clients.mappings).toHaveLength(3);
    await server.up();
    expect(await serverMappings()).toEqual(expected);

    // Rename and archive go to the server and come back through the cache.
    await api.renameClient({ id: zulu.id, name: 'Zulu Group', baseVersion: zulu.version });
    const archived = await api.archiveClient(bravo.id);
    expect(archived.archived).toBe(true);
    const after = await api.clients();
    expect(after.clients.find((c) => c.id === zulu.id)?.name).toBe('Zulu Group');
    expect(after.clients.find((c) => c.id === bravo.id)?.archived).toBe(true);
  }, 90_000);

  it('keeps mapping edits made offline and sends them once on reconnect; a change made meanwhile is a conflict', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.mappings;
    const view = await api.view('msp360');
    const orgId = (name: string) => view.organizations.find((o) => o.name === name)?.id ?? '';
    const client = (name: string) => view.clients.find((c) => c.name === name)?.id ?? 0;
    const before = await serverMappings();

    await server.down();
    await waitFor(() => h.core.services.sync.status().connection === 'offline');
    const queued = await api.apply({
      key: 'msp360',
      create: [
        { clientId: client('Zulu Group'), externalOrgId: orgId('Company 4'), externalOrgName: 'Company 4' },
        { clientId: client('Zulu Group'), externalOrgId: orgId('Company 5'), externalOrgName: 'Company 5' },
      ],
      delete: [orgId('Charlie Bakery')],
    });
    expect(queued).toEqual({ created: 0, deleted: 0, queued: 3 });
    expect(h.core.services.sync.status().pendingDrafts).toBe(3);
    expect((await api.view('msp360')).drafts.map((d) => [d.externalOrgName, d.clientName, d.state])).toEqual([
      ['Charlie Bakery', null, 'queued'],
      ['Company 4', 'Zulu Group', 'queued'],
      ['Company 5', 'Zulu Group', 'queued'],
    ]);
    // Another admin maps Company 5 meanwhile, through an instance this desktop cannot reach.
    const other = await server.rest('POST', '/api/integrations/msp360/mappings', admin, { clientId: client('Alpha Dental'), externalOrgId: orgId('Company 5'), externalOrgName: 'Company 5' });
    expect(other.status).toBe(201);
    expect(await serverMappings()).toHaveLength(before.length + 1);

    await server.up();
    await waitFor(() => api.drafts().length === 1 && api.drafts()[0]?.state === 'conflict', 15_000);
    const [conflict] = api.drafts();
    expect(conflict).toMatchObject({ externalOrgName: 'Company 5', clientName: 'Zulu Group', serverClientName: 'Alpha Dental', baseClientName: null });
    const held = await serverMappings();
    expect(held).toContainEqual({ clientId: client('Zulu Group'), externalOrgId: orgId('Company 4') });
    expect(held.some((m) => m.externalOrgId === orgId('Charlie Bakery'))).toBe(false);
    expect(held).toContainEqual({ clientId: client('Alpha Dental'), externalOrgId: orgId('Company 5') });

    // Another sync sends nothing again: each edit went once.
    await h.core.services.sync.now();
    expect(await serverMappings()).toEqual(held);

    await api.resolveDraft(conflict?.id ?? 0, 'mine');
    expect(api.drafts()).toEqual([]);
    expect(await serverMappings()).toContainEqual({ clientId: client('Zulu Group'), externalOrgId: orgId('Company 5') });
    expect(h.core.services.sync.status().pendingDrafts).toBe(0);
  }, 60_000);

  it('recognises an edit the server already holds (a crash after sending): marked applied, nothing sent twice', async () => {
    const h = await signedIn(admin);
    const view = await h.core.services.mappings.view('msp360');
    const held = view.mappings[0];
    expect(held).toBeDefined();
    const before = (await server.rest('GET', '/api/integrations/msp360/mappings', admin)).json();
    // What a crash leaves behind: the edit still queued although the server applied it.
    const { db } = h.core.session.requireCache();
    db.prepare(
      `INSERT INTO mapping_drafts (integration_key, external_org_id, external_org_name, base_client_id, client_id, state, created_at, updated_at)
       VALUES ('msp360', ?, ?, NULL, ?, 'queued', ?, ?)`,
    ).run(held?.externalOrgId, held?.externalOrgName, held?.clientId, new Date().toISOString(), new Date().toISOString());
    expect(h.core.services.mappings.drafts()).toHaveLength(1);
    await h.core.services.sync.now();
    await waitFor(() => h.core.services.mappings.drafts().length === 0);
    // Sent again it would have been the server's 409 (held already), i.e. 'rejected'.
    expect(db.prepare('SELECT state FROM mapping_drafts').pluck().all()).toEqual(['applied']);
    expect((await server.rest('GET', '/api/integrations/msp360/mappings', admin)).json()).toEqual(before);
  });

  it('lets the platform operator read another partner’s clients and mappings, and refuses every change', async () => {
    const devPartner = await server.partner({ isDev: true });
    const operator = await server.user(devPartner.id);
    const h = await signedIn(operator);
    await h.core.services.session.switchPartner(admin.partnerId);
    // The viewed partner's catalog arrives with its first pull.
    await waitFor(() => h.core.services.catalog.list().some((i) => i.key === 'msp360'), 15_000);
    const api = h.core.services.mappings;
    const held = await serverMappings();
    expect(held.length).toBeGreaterThan(0);
    const view = await api.view('msp360');
    expect(view.mappings.map(({ clientId, externalOrgId }) => ({ clientId, externalOrgId })).sort((a, b) => a.externalOrgId.localeCompare(b.externalOrgId))).toEqual(held);
    expect(view.suggestions).toEqual([]);
    const clients = await api.clients();
    const own = (await server.rest('GET', '/api/clients?includeArchived=true', admin)).json() as { items: Client[] };
    expect(own.items.length).toBeGreaterThan(0);
    expect(clients.clients.map((c) => c.name).sort()).toEqual(own.items.map((c) => c.name).sort());
    await expect(api.createClient('Operator Co')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.apply({ key: 'msp360', delete: [held[0]?.externalOrgId ?? ''] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await serverMappings()).toEqual(held);
  });

  it('lets a technician read the mappings but refuses every change, before the server is asked', async () => {
    const h = await signedIn(tech);
    const api = h.core.services.mappings;
    const view = await api.view('msp360');
    expect(view.mappings.length).toBeGreaterThan(0);
    const before = await serverMappings();
    await expect(api.apply({ key: 'msp360', delete: view.mappings.map((m) => m.externalOrgId) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.createClient('Technician Client')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.startDiscovery('msp360')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await serverMappings()).toEqual(before);
  });

  it('refuses a mappings view of an integration without organizations or unknown', async () => {
    const h = await signedIn(admin);
    await expect(h.core.services.mappings.view('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
