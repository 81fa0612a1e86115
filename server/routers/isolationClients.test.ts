import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type RestCall, type TrpcCall } from '../test/isolationMatrix.js';
import { createCatalogWorld, type CatalogWorld, type WorldUser } from '../test/catalogWorld.js';
import { matrixNamespaces, proceduresOf, uncovered } from '../test/isolationCoverage.js';

/**
 * The tenant isolation matrix for clients and mappings (issue 14), the sibling of
 * isolation.test.ts: every procedure, over REST and tRPC, by every kind of caller, against a
 * client and a mapping of partners A and B that carry canary names. An answer to anyone but A
 * must not contain one byte of A's, and vice versa; nobody but A's admin changes A's rows.
 * Operations aim at A's client and organization, so other partners meet a 404 or a field error.
 */

type Caller = MatrixCaller;
type Ids = { a: number; b: number };

interface Operation {
  name: string;
  rest: () => RestCall;
  trpc: () => TrpcCall;
  expect: Record<Caller, number>;
  mutates?: boolean;
  /** The dev partner reads partner A here, read-only: it may (and must) see A's canary. */
  devReadsA?: boolean;
  /** Whether a successful answer to A's callers must contain A's canary client name. */
  showsA?: boolean;
  check?: (ctx: { caller: Caller; who: WorldUser | undefined; body: unknown }) => Promise<void>;
}

const canaries = {
  a: { client: 'Alpha Canary Clinic', orgId: 'alpha-org-id-canary', orgName: 'Alpha Org Canary Name' },
  b: { client: 'Bravo Canary Bakery', orgId: 'bravo-org-id-canary', orgName: 'Bravo Org Canary Name' },
};
const bytesOf = (c: typeof canaries.a) => [c.client, c.orgId, c.orgName];

const read = { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 };
// Aimed at A's client or organization: others do not see it exists.
const readAs = { ownAdmin: 200, ownTech: 200, otherAdmin: 404, dev: 404, none: 401 };
const writeA = { ownAdmin: 200, ownTech: 403, otherAdmin: 404, dev: 404, none: 401 };
// A's client id in a batch is a field error ("no such client") for anyone else.
const mapToA = { ownAdmin: 200, ownTech: 403, otherAdmin: 400, dev: 400, none: 401 };
const devOnly = { ownAdmin: 403, ownTech: 403, otherAdmin: 403, dev: 200, none: 401 };

let w: CatalogWorld;
let aClient = 0;
let partnerA = 0;
const rows = async (sql: string, params: unknown[]) => (await w.server.deps.db.pool.query(sql, params)).rows;
const itemsOf = (body: unknown) => (body as { items: Record<string, unknown>[] }).items;

const operations: Operation[] = [
  {
    name: 'clients.list',
    rest: () => ({ method: 'GET', url: '/api/clients' }),
    trpc: () => ({ kind: 'query', path: 'clients.list' }),
    expect: read,
    showsA: true,
    async check({ body, who }) {
      const own = await rows('SELECT id FROM clients WHERE partner_id = $1 ORDER BY lower(name)', [who?.partnerId]);
      expect(itemsOf(body).map((c) => c.id)).toEqual(own.map((r) => r.id));
    },
  },
  {
    name: 'clients.create',
    rest: () => ({ method: 'POST', url: '/api/clients', body: { name: 'Matrix New Client' } }),
    trpc: () => ({ kind: 'mutation', path: 'clients.create', input: { name: 'Matrix New Client' } }),
    // Each partner adds to its own clients; the dev partner is a partner too.
    expect: { ownAdmin: 201, ownTech: 403, otherAdmin: 201, dev: 201, none: 401 },
    mutates: true,
    async check({ who }) {
      expect(await rows(`SELECT partner_id FROM clients WHERE name = 'Matrix New Client'`, [])).toEqual([{ partner_id: who?.partnerId }]);
    },
  },
  {
    name: 'clients.rename',
    rest: () => ({ method: 'POST', url: `/api/clients/${aClient}/rename`, body: { name: 'Renamed By Matrix' } }),
    trpc: () => ({ kind: 'mutation', path: 'clients.rename', input: { id: aClient, name: 'Renamed By Matrix' } }),
    expect: writeA,
    mutates: true,
  },
  {
    name: 'clients.archive',
    rest: () => ({ method: 'POST', url: `/api/clients/${aClient}/archive` }),
    trpc: () => ({ kind: 'mutation', path: 'clients.archive', input: { id: aClient } }),
    expect: writeA,
    mutates: true,
    showsA: true,
  },
  {
    name: 'clients.audit',
    rest: () => ({ method: 'GET', url: '/api/clients/audit' }),
    trpc: () => ({ kind: 'query', path: 'clients.audit' }),
    expect: read,
    showsA: true,
    async check({ body, who }) {
      const own = await rows('SELECT id FROM client_audit_logs WHERE partner_id = $1 ORDER BY id DESC', [who?.partnerId]);
      expect(itemsOf(body).map((e) => e.id)).toEqual(own.map((r) => r.id));
    },
  },
  {
    name: 'clients.devList',
    rest: () => ({ method: 'GET', url: `/api/dev/partners/${partnerA}/clients` }),
    trpc: () => ({ kind: 'query', path: 'clients.devList', input: { partnerId: partnerA } }),
    expect: devOnly,
    devReadsA: true,
    async check({ body }) {
      expect(itemsOf(body).map((c) => c.name)).toEqual([canaries.a.client]);
    },
  },
  {
    name: 'mappings.devByIntegration',
    rest: () => ({ method: 'GET', url: `/api/dev/partners/${partnerA}/integrations/testvendor/mappings` }),
    trpc: () => ({ kind: 'query', path: 'mappings.devByIntegration', input: { partnerId: partnerA, key: 'testvendor' } }),
    expect: devOnly,
    devReadsA: true,
    async check({ body }) {
      expect(itemsOf(body).map((m) => [m.clientId, m.externalOrgId])).toEqual([[aClient, canaries.a.orgId]]);
    },
  },
  {
    name: 'mappings.byIntegration',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor/mappings' }),
    trpc: () => ({ kind: 'query', path: 'mappings.byIntegration', input: { key: 'testvendor' } }),
    expect: read,
    async check({ body, who }) {
      const own = await rows('SELECT external_org_id FROM integration_mappings WHERE partner_id = $1', [who?.partnerId]);
      expect(itemsOf(body).map((m) => m.externalOrgId)).toEqual(own.map((r) => r.external_org_id));
    },
  },
  {
    name: 'mappings.byClient',
    rest: () => ({ method: 'GET', url: `/api/clients/${aClient}/mappings` }),
    trpc: () => ({ kind: 'query', path: 'mappings.byClient', input: { clientId: aClient } }),
    expect: readAs,
    async check({ body }) {
      expect(itemsOf(body).map((m) => m.externalOrgId)).toEqual([canaries.a.orgId]);
    },
  },
  {
    name: 'mappings.create',
    rest: () => ({ method: 'POST', url: '/api/integrations/testvendor/mappings', body: { clientId: aClient, externalOrgId: 'matrix-org', externalOrgName: 'M' } }),
    trpc: () => ({ kind: 'mutation', path: 'mappings.create', input: { key: 'testvendor', clientId: aClient, externalOrgId: 'matrix-org', externalOrgName: 'M' } }),
    expect: { ...mapToA, ownAdmin: 201 },
    mutates: true,
  },
  {
    name: 'mappings.delete',
    rest: () => ({ method: 'DELETE', url: `/api/integrations/testvendor/mappings/${canaries.a.orgId}` }),
    trpc: () => ({ kind: 'mutation', path: 'mappings.delete', input: { key: 'testvendor', externalOrgId: canaries.a.orgId } }),
    expect: writeA,
    mutates: true,
  },
  {
    name: 'mappings.applyBatch',
    rest: () => ({ method: 'POST', url: '/api/integrations/testvendor/mappings/apply', body: { delete: [canaries.a.orgId], create: [{ clientId: aClient, externalOrgId: 'matrix-org', externalOrgName: 'M' }] } }),
    trpc: () => ({
      kind: 'mutation',
      path: 'mappings.applyBatch',
      input: { key: 'testvendor', delete: [canaries.a.orgId], create: [{ clientId: aClient, externalOrgId: 'matrix-org', externalOrgName: 'M' }] },
    }),
    expect: mapToA,
    mutates: true,
  },
  {
    name: 'mappings.suggest',
    rest: () => ({ method: 'POST', url: '/api/integrations/otherbackup/mappings/suggest', body: { organizations: [{ id: 'sg', name: canaries.a.client.toUpperCase() }] } }),
    trpc: () => ({ kind: 'mutation', path: 'mappings.suggest', input: { key: 'otherbackup', organizations: [{ id: 'sg', name: canaries.a.client.toUpperCase() }] } }),
    expect: read,
    async check({ body, caller }) {
      // Only A has a client of that name; nobody else's clients are matched against it.
      const expected = caller === 'ownAdmin' || caller === 'ownTech' ? [{ clientId: aClient, externalOrgId: 'sg', score: 1, kind: 'preselect' }] : [];
      expect(itemsOf(body)).toEqual(expected);
    },
  },
];

describe('tenant isolation matrix: clients and mappings', () => {
  let ids: Ids;
  beforeAll(async () => {
    w = await createCatalogWorld();
    ids = { a: w.a.id, b: w.b.id };
    partnerA = w.a.id;
  });
  afterAll(() => w.close());

  async function seed() {
    await w.server.deps.db.pool.query('DELETE FROM integration_mappings; DELETE FROM clients; DELETE FROM client_audit_logs');
    for (const [p, c] of [[w.a, canaries.a], [w.b, canaries.b]] as const) {
      const client = await w.request('POST', '/api/clients', p.admin, { name: c.client });
      expect(client.statusCode).toBe(201);
      const mapping = await w.request('POST', '/api/integrations/testvendor/mappings', p.admin, { clientId: client.json().id, externalOrgId: c.orgId, externalOrgName: c.orgName });
      expect(mapping.statusCode).toBe(201);
      if (p === w.a) aClient = client.json().id as number;
    }
  }

  const aRows = async () => ({
    clients: await rows('SELECT * FROM clients WHERE partner_id = $1 ORDER BY id', [ids.a]),
    mappings: await rows('SELECT * FROM integration_mappings WHERE partner_id = $1 ORDER BY id', [ids.a]),
    audit: await rows('SELECT * FROM client_audit_logs WHERE partner_id = $1 ORDER BY id', [ids.a]),
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        await seed();
        for (const caller of matrixCallers) {
          if (op.mutates) await seed();
          const before = await aRows();
          const who = matrixUser(w, caller);
          const res = await sendMatrixCall(w, transport, { rest: op.rest(), trpc: op.trpc() }, who);
          // tRPC answers every success with 200; REST says 201 for a creation.
          const expected = transport === 'trpc' && op.expect[caller] === 201 ? 200 : op.expect[caller];
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(expected);
          const isA = caller === 'ownAdmin' || caller === 'ownTech';
          const mayShowA = isA || (caller === 'dev' && op.devReadsA === true);
          for (const bytes of mayShowA ? [] : bytesOf(canaries.a)) expect(res.body, `${op.name} as ${caller} leaks A`).not.toContain(bytes);
          for (const bytes of caller === 'otherAdmin' ? [] : bytesOf(canaries.b)) expect(res.body, `${op.name} as ${caller} leaks B`).not.toContain(bytes);
          if (res.statusCode < 300) {
            // A's callers see A's canary; the dev partner's reads of A are checked row by row.
            if (isA && op.showsA) expect(res.body, `${op.name} as ${caller}`).toContain(canaries.a.client);
            const body: unknown = transport === 'trpc' ? (res.json() as { result: { data: unknown } }).result.data : res.json();
            await op.check?.({ caller, who, body });
          }
          if (caller !== 'ownAdmin') expect(await aRows(), `${op.name} as ${caller} changed A`).toEqual(before);
          else if (op.mutates) expect(await aRows(), `${op.name} as A's admin changed nothing`).not.toEqual(before);
        }
      });
    }
  }

  it('has a row for every procedure and REST route of its routers', () => {
    expect(uncovered(operations, matrixNamespaces.clients, {}, ids)).toEqual([]);
    expect(proceduresOf(matrixNamespaces.clients)).toHaveLength(operations.length);
  });
});
