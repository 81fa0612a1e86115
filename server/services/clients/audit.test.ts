import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientAuditEntry } from '../../../shared/clients.js';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';

/** GET /api/clients/audit: every client and mapping change, who and before/after, paged. */
describe('client and mapping audit', () => {
  let w: CatalogWorld;
  beforeAll(async () => {
    w = await createCatalogWorld();
  });
  afterAll(() => w.close());

  const page = async (query = '') => {
    const res = await w.request('GET', `/api/clients/audit${query}`, w.a.tech);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: ClientAuditEntry[]; nextCursor: number | null };
  };

  it('records who changed what with before and after, newest first, readable by a technician', async () => {
    const admin = w.a.admin;
    const acme = (await w.request('POST', '/api/clients', admin, { name: 'Acme' })).json() as { id: number };
    const globex = (await w.request('POST', '/api/clients', admin, { name: 'Globex' })).json() as { id: number };
    await w.request('POST', '/api/integrations/testvendor/mappings', admin, { clientId: acme.id, externalOrgId: 'o1', externalOrgName: 'ACME Inc' });
    // A batch that moves o1 to Globex writes a delete and a create.
    await w.request('POST', '/api/integrations/testvendor/mappings/apply', admin, { delete: ['o1'], create: [{ clientId: globex.id, externalOrgId: 'o1', externalOrgName: 'ACME Inc' }] });
    await w.request('POST', `/api/clients/${acme.id}/rename`, admin, { name: 'Acme Holdings' });
    // A refused change writes nothing.
    expect((await w.request('POST', '/api/clients', w.a.tech, { name: 'Not allowed' })).statusCode).toBe(403);

    const email = (await w.server.deps.db.pool.query('SELECT email FROM users WHERE id = $1', [admin.id])).rows[0].email as string;
    const { items, nextCursor } = await page();
    expect(nextCursor).toBeNull();
    expect(items.map((e) => [e.action, e.clientId, e.integrationKey, e.actor, e.userId, e.before, e.after])).toEqual([
      ['client_renamed', acme.id, null, email, admin.id, { name: 'Acme', archived: false }, { name: 'Acme Holdings', archived: false }],
      ['mapping_created', globex.id, 'testvendor', email, admin.id, null, { clientId: globex.id, externalOrgId: 'o1', externalOrgName: 'ACME Inc' }],
      ['mapping_deleted', acme.id, 'testvendor', email, admin.id, { clientId: acme.id, externalOrgId: 'o1', externalOrgName: 'ACME Inc' }, null],
      ['mapping_created', acme.id, 'testvendor', email, admin.id, null, { clientId: acme.id, externalOrgId: 'o1', externalOrgName: 'ACME Inc' }],
      ['client_created', globex.id, null, email, admin.id, null, { name: 'Globex', archived: false }],
      ['client_created', acme.id, null, email, admin.id, null, { name: 'Acme', archived: false }],
    ]);

    // One client's rows only; pages follow the cursor without gaps or repeats.
    expect((await page(`?clientId=${acme.id}`)).items.map((e) => e.action)).toEqual(['client_renamed', 'mapping_deleted', 'mapping_created', 'client_created']);
    const first = await page('?limit=4');
    expect(first.items).toEqual(items.slice(0, 4));
    expect(first.nextCursor).toBe(items[3]?.id);
    const second = await page(`?limit=4&before=${first.nextCursor}`);
    expect(second).toEqual({ items: items.slice(4), nextCursor: null });

    // Another partner sees none of it; bad paging is a field error, not a 500.
    expect((await w.request('GET', '/api/clients/audit', w.b.admin)).json().items).toEqual([]);
    const bad = await w.request('GET', '/api/clients/audit?limit=0&clientId=x', w.a.admin);
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields ?? {}).sort()).toEqual(['clientId', 'limit']);
  });
});
