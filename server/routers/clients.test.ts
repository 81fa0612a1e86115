import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mappingLookup } from '../services/clients/mappings.js';
import { createCatalogWorld, type CatalogWorld } from '../test/catalogWorld.js';

describe('clients and mappings', () => {
  let w: CatalogWorld;
  beforeAll(async () => {
    w = await createCatalogWorld();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.server.deps.db.pool.query('DELETE FROM integration_mappings; DELETE FROM clients; DELETE FROM client_audit_logs');
  });

  const rows = async (sql: string, params: unknown[] = []) => (await w.server.deps.db.pool.query(sql, params)).rows;
  const newClient = async (name: string) => {
    const res = await w.request('POST', '/api/clients', w.a.admin, { name });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; name: string; version: number };
  };

  it('creates, lists, renames and archives clients, each change audited with before and after', async () => {
    const beta = await newClient('  Beta Dental  ');
    const alpha = await newClient('Alpha Legal');
    expect(beta.name).toBe('Beta Dental');
    const list = await w.request('GET', '/api/clients', w.a.tech);
    expect(list.json().items.map((c: { name: string }) => c.name)).toEqual(['Alpha Legal', 'Beta Dental']);

    const renamed = await w.request('POST', `/api/clients/${beta.id}/rename`, w.a.admin, { name: 'Beta Dental Group', baseVersion: 1 });
    expect(renamed.json()).toMatchObject({ name: 'Beta Dental Group', version: 2 });
    const stale = await w.request('POST', `/api/clients/${beta.id}/rename`, w.a.admin, { name: 'Other', baseVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details).toMatchObject({ name: 'Beta Dental Group', version: 2 });

    expect((await w.request('POST', `/api/clients/${alpha.id}/archive`, w.a.admin)).json()).toMatchObject({ archived: true });
    expect((await w.request('GET', '/api/clients', w.a.admin)).json().items.map((c: { id: number }) => c.id)).toEqual([beta.id]);
    expect((await w.request('GET', '/api/clients?includeArchived=true', w.a.admin)).json().items).toHaveLength(2);

    const audit = await rows('SELECT client_id, action, actor, before, after FROM client_audit_logs WHERE partner_id = $1 ORDER BY id', [w.a.id]);
    const email = (await rows('SELECT email FROM users WHERE id = $1', [w.a.admin.id]))[0].email;
    expect(audit).toEqual([
      { client_id: beta.id, action: 'client_created', actor: email, before: null, after: { name: 'Beta Dental', archived: false } },
      { client_id: alpha.id, action: 'client_created', actor: email, before: null, after: { name: 'Alpha Legal', archived: false } },
      { client_id: beta.id, action: 'client_renamed', actor: email, before: { name: 'Beta Dental', archived: false }, after: { name: 'Beta Dental Group', archived: false } },
      { client_id: alpha.id, action: 'client_archived', actor: email, before: { name: 'Alpha Legal', archived: false }, after: { name: 'Alpha Legal', archived: true } },
    ]);
  });

  it('keeps live names unique per partner whatever the case; archiving frees the name; other partners are independent', async () => {
    const first = await newClient('Dataforth');
    const dup = await w.request('POST', '/api/clients', w.a.admin, { name: 'DATAFORTH' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toEqual({ name: ['Another client already has this name'] });
    const other = await newClient('Other');
    expect((await w.request('POST', `/api/clients/${other.id}/rename`, w.a.admin, { name: 'dataforth' })).statusCode).toBe(409);
    expect((await w.request('POST', '/api/clients', w.b.admin, { name: 'Dataforth' })).statusCode).toBe(201);
    await w.request('POST', `/api/clients/${first.id}/archive`, w.a.admin);
    expect((await w.request('POST', '/api/clients', w.a.admin, { name: 'dataforth' })).statusCode).toBe(201);
    // Two concurrent creates of one name: one wins, the other is the same 409, never a 500.
    const racing = await Promise.all([1, 2, 3].map(() => w.request('POST', '/api/clients', w.a.admin, { name: 'Race Co' })));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
  });

  it('maps organizations, answers 409 naming the client that holds one, and lists by integration and client', async () => {
    const acme = await newClient('Acme');
    const globex = await newClient('Globex');
    const made = await w.request('POST', '/api/integrations/testvendor/mappings', w.a.admin, { clientId: acme.id, externalOrgId: '1842', externalOrgName: 'ACME Inc' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ clientId: acme.id, integrationKey: 'testvendor', externalOrgId: '1842', externalOrgName: 'ACME Inc', createdBy: w.a.admin.id });
    // A client may hold several organizations of one integration (several tenants).
    await w.request('POST', '/api/integrations/testvendor/mappings', w.a.admin, { clientId: acme.id, externalOrgId: '1843', externalOrgName: 'ACME EU' });
    await w.request('POST', '/api/integrations/otherbackup/mappings', w.a.admin, { clientId: acme.id, externalOrgId: '1842', externalOrgName: 'Acme backup' });

    const taken = await w.request('POST', '/api/integrations/testvendor/mappings', w.a.admin, { clientId: globex.id, externalOrgId: '1842', externalOrgName: 'ACME Inc' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toContain('Acme');
    expect(taken.json().error.details).toEqual({ conflicts: [{ externalOrgId: '1842', clientId: acme.id, clientName: 'Acme' }] });

    const byKey = (await w.request('GET', '/api/integrations/testvendor/mappings', w.a.tech)).json().items;
    expect(byKey.map((m: { externalOrgId: string }) => m.externalOrgId)).toEqual(['1842', '1843']);
    const byClient = (await w.request('GET', `/api/clients/${acme.id}/mappings`, w.a.tech)).json().items;
    expect(byClient.map((m: { integrationKey: string }) => m.integrationKey)).toEqual(['otherbackup', 'testvendor', 'testvendor']);
    expect((await w.request('GET', `/api/clients/${globex.id}/mappings`, w.a.tech)).json().items).toEqual([]);

    const lookup = mappingLookup(w.server.deps.db);
    expect((await lookup.getMappings(w.a.id, acme.id, 'testvendor')).map((m) => m.externalOrgId)).toEqual(['1842', '1843']);
    // Another partner's scope sees none of A's mappings, even with A's client id.
    expect(await lookup.getMappings(w.b.id, acme.id, 'testvendor')).toEqual([]);

    expect((await w.request('DELETE', '/api/integrations/testvendor/mappings/1843', w.a.admin)).json()).toEqual({ deleted: 1 });
    expect((await w.request('DELETE', '/api/integrations/testvendor/mappings/1843', w.a.admin)).statusCode).toBe(404);
    expect((await w.request('GET', '/api/integrations/nosuch/mappings', w.a.admin)).statusCode).toBe(404);
    const audit = await rows(`SELECT action, integration_key, before, after FROM client_audit_logs WHERE action LIKE 'mapping%' ORDER BY id`);
    expect(audit.map((r) => r.action)).toEqual(['mapping_created', 'mapping_created', 'mapping_created', 'mapping_deleted']);
    expect(audit[3]).toMatchObject({ integration_key: 'testvendor', before: { clientId: acme.id, externalOrgId: '1843', externalOrgName: 'ACME EU' }, after: null });
  });

  it('applies a batch in one transaction: all of it, or on any conflict nothing', async () => {
    const acme = await newClient('Acme');
    const globex = await newClient('Globex');
    const apply = (body: unknown) => w.request('POST', '/api/integrations/testvendor/mappings/apply', w.a.admin, body);
    const first = await apply({ create: [{ clientId: acme.id, externalOrgId: 'a1', externalOrgName: 'A1' }, { clientId: globex.id, externalOrgId: 'g1', externalOrgName: 'G1' }] });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().created).toHaveLength(2);
    const snapshot = async () => rows('SELECT client_id, external_org_id FROM integration_mappings ORDER BY external_org_id');
    const auditCount = async () => (await rows('SELECT count(*)::int AS n FROM client_audit_logs'))[0].n;
    const before = await snapshot();
    const audits = await auditCount();

    // The last create collides with g1 (held by Globex): the delete and the first create roll back.
    const clash = await apply({ delete: ['a1'], create: [{ clientId: acme.id, externalOrgId: 'new', externalOrgName: 'New' }, { clientId: acme.id, externalOrgId: 'g1', externalOrgName: 'G1' }] });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.details.conflicts).toEqual([{ externalOrgId: 'g1', clientId: globex.id, clientName: 'Globex' }]);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount()).toBe(audits);

    // Deletes run first, so one batch moves an organization to another client.
    const move = await apply({ delete: ['g1'], create: [{ clientId: acme.id, externalOrgId: 'g1', externalOrgName: 'G1' }] });
    expect(move.json()).toMatchObject({ deleted: 1, created: [{ clientId: acme.id, externalOrgId: 'g1' }] });
    expect(await snapshot()).toEqual([{ client_id: acme.id, external_org_id: 'a1' }, { client_id: acme.id, external_org_id: 'g1' }]);

    // An unknown client, another partner's client or an archived one is a field error; nothing changes.
    const bClient = (await w.request('POST', '/api/clients', w.b.admin, { name: 'Bravo Only' })).json();
    await w.request('POST', `/api/clients/${globex.id}/archive`, w.a.admin);
    const bad = await apply({ delete: ['a1'], create: [{ clientId: 999999, externalOrgId: 'x', externalOrgName: '' }, { clientId: bClient.id, externalOrgId: 'y', externalOrgName: '' }, { clientId: globex.id, externalOrgId: 'z', externalOrgName: '' }, { clientId: acme.id, externalOrgId: 'y', externalOrgName: '' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({
      'create.0.clientId': ['There is no such client (or it is archived)'],
      'create.1.clientId': ['There is no such client (or it is archived)'],
      'create.2.clientId': ['There is no such client (or it is archived)'],
      'create.3.externalOrgId': ['This organization appears twice'],
    });
    expect(await snapshot()).toHaveLength(2);
  });

  it('answers concurrent maps of one organization with one 201 and 409s naming the winner', async () => {
    const clients = await Promise.all(['One', 'Two', 'Three'].map(newClient));
    const results = await Promise.all(
      clients.map((c) => w.request('POST', '/api/integrations/testvendor/mappings', w.a.admin, { clientId: c.id, externalOrgId: 'contested', externalOrgName: 'C' })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const winner = clients.find((c) => c.id === results.find((r) => r.statusCode === 201)?.json().clientId);
    for (const lost of results.filter((r) => r.statusCode === 409)) expect(lost.json().error.details.conflicts[0].clientName).toBe(winner?.name);
  });

  it('suggests mappings for given organizations, leaving out mapped ones', async () => {
    const dataforth = await newClient('Dataforth Corp.');
    const smith = await newClient('Smith & Sons');
    await w.request('POST', '/api/integrations/testvendor/mappings', w.a.admin, { clientId: smith.id, externalOrgId: 's-old', externalOrgName: 'Smith' });
    const organizations = [{ id: 'd', name: 'DATAFORTH CORPORATION' }, { id: 's', name: 'Smith and Sons Ltd' }, { id: 'n', name: 'Nobody Known' }];
    const res = await w.request('POST', '/api/integrations/testvendor/mappings/suggest', w.a.tech, { organizations });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([{ clientId: dataforth.id, externalOrgId: 'd', score: 1, kind: 'preselect' }]);
  });
});
