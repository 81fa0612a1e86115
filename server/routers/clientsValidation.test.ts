import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogWorld, type CatalogWorld } from '../test/catalogWorld.js';

/** Bad input at every client and mapping route: a 4xx with field messages, and nothing changed. */
describe('clients and mappings input validation', () => {
  let w: CatalogWorld;
  let clientId: number;
  beforeAll(async () => {
    w = await createCatalogWorld();
    clientId = (await w.request('POST', '/api/clients', w.a.admin, { name: 'Valid Client' })).json().id;
    await w.request('POST', '/api/integrations/testvendor/mappings', w.a.admin, { clientId, externalOrgId: 'kept', externalOrgName: 'Kept' });
  });
  afterAll(() => w.close());

  const state = async () => {
    const q = (sql: string) => w.server.deps.db.pool.query(sql).then((r) => r.rows);
    return { clients: await q('SELECT * FROM clients ORDER BY id'), mappings: await q('SELECT * FROM integration_mappings ORDER BY id'), audit: await q('SELECT count(*) FROM client_audit_logs') };
  };

  it('answers 400 with per-field messages and changes nothing', async () => {
    const long = 'x'.repeat(201);
    const cases: [string, string, unknown, Record<string, string[]>][] = [
      ['POST', '/api/clients', {}, { name: ['Name must be text'] }],
      ['POST', '/api/clients', { name: '   ' }, { name: ['Name is required'] }],
      ['POST', '/api/clients', { name: long }, { name: ['Name must be at most 200 characters'] }],
      ['POST', '/api/clients', { name: 'Ok', partnerId: 2 }, { _: ['Unrecognized key: "partnerId"'] }],
      ['POST', `/api/clients/${clientId}/rename`, { name: 12 }, { name: ['Name must be text'] }],
      ['POST', `/api/clients/${clientId}/rename`, { name: 'Fine', baseVersion: 'one' }, { baseVersion: ['Must be a whole number'] }],
      ['POST', '/api/clients/abc/rename', { name: 'Fine' }, { id: ['Must be a whole number'] }],
      ['POST', '/api/clients/0/archive', undefined, { id: ['Must be a positive id'] }],
      ['GET', '/api/clients?includeArchived=maybe', undefined, { includeArchived: ['Must be true or false'] }],
      ['GET', '/api/clients/-1/mappings', undefined, { clientId: ['Must be a whole number'] }],
      ['POST', '/api/integrations/testvendor/mappings', { clientId, externalOrgId: '', externalOrgName: 'X' }, { externalOrgId: ['Organization id is required'] }],
      ['POST', '/api/integrations/testvendor/mappings', { clientId: 'x', externalOrgId: 'o', externalOrgName: 5 }, { clientId: ['Must be a whole number'], externalOrgName: ['Organization name must be text'] }],
      ['POST', '/api/integrations/testvendor/mappings', { clientId, externalOrgId: 'kept2', externalOrgName: 'y'.repeat(501) }, { externalOrgName: ['Organization name must be at most 500 characters'] }],
      ['POST', '/api/integrations/testvendor/mappings/apply', {}, { create: ['Nothing to apply'] }],
      ['POST', '/api/integrations/testvendor/mappings/apply', { delete: ['kept'], create: [{ clientId, externalOrgId: '' , externalOrgName: '' }] }, { 'create.0.externalOrgId': ['Organization id is required'] }],
      ['POST', '/api/integrations/testvendor/mappings/apply', { delete: 'kept' }, { delete: ['Invalid input: expected array, received string'] }],
      ['POST', '/api/integrations/testvendor/mappings/suggest', { organizations: [{ id: 'a' }] }, { 'organizations.0.name': ['Organization name must be text'] }],
    ];
    const before = await state();
    for (const [method, url, body, fields] of cases) {
      const res = await w.request(method, url, w.a.admin, body);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(res.json().error, `${method} ${url} ${res.body}`).toMatchObject({ code: 'VALIDATION_FAILED', fields });
    }
    expect(await state()).toEqual(before);
  });

  it('finds no 5xx for random input to any client or mapping mutation (property-based)', async () => {
    const id = fc.oneof(fc.constant(clientId), fc.integer(), fc.string(), fc.constant(Number.MAX_SAFE_INTEGER), fc.anything());
    const mapping = fc.record({ clientId: id, externalOrgId: fc.oneof(fc.string(), fc.anything()), externalOrgName: fc.oneof(fc.string(), fc.anything()) }, { requiredKeys: [] });
    const body = fc.oneof(
      fc.record({ name: fc.oneof(fc.string(), fc.anything()), baseVersion: fc.anything() }, { requiredKeys: [] }),
      mapping,
      fc.record({ create: fc.oneof(fc.array(mapping, { maxLength: 4 }), fc.anything()), delete: fc.oneof(fc.array(fc.string(), { maxLength: 4 }), fc.anything()) }, { requiredKeys: [] }),
      fc.record({ organizations: fc.oneof(fc.array(fc.record({ id: fc.string(), name: fc.string(), url: fc.string() }), { maxLength: 5 }), fc.anything()) }),
      fc.anything(),
    );
    const segment = fc.oneof(fc.constant(String(clientId)), fc.constantFrom('0', '-1', '99999999999999999999', 'testvendor', 'nosuch'), fc.string({ minLength: 1 }));
    const route = fc.oneof(
      fc.constant(['POST', '/api/clients'] as const),
      segment.map((s) => ['POST', `/api/clients/${encodeURIComponent(s)}/rename`] as const),
      segment.map((s) => ['POST', `/api/clients/${encodeURIComponent(s)}/archive`] as const),
      segment.map((s) => ['POST', `/api/integrations/${encodeURIComponent(s)}/mappings`] as const),
      segment.map((s) => ['POST', `/api/integrations/testvendor/mappings/apply?x=${encodeURIComponent(s)}`] as const),
      segment.map((s) => ['POST', `/api/integrations/${encodeURIComponent(s)}/mappings/suggest`] as const),
      segment.map((s) => ['DELETE', `/api/integrations/testvendor/mappings/${encodeURIComponent(s)}`] as const),
      segment.map((s) => ['GET', `/api/clients/${encodeURIComponent(s)}/mappings`] as const),
    );
    await fc.assert(
      fc.asyncProperty(route, body, async ([method, url], b) => {
        const res = await w.request(method, url, w.a.admin, method === 'POST' ? b : undefined);
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(b)?.slice(0, 200)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    expect(w.server.logs.lines.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});
