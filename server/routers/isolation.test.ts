import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPartner } from '../db/pool.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller } from '../test/isolationMatrix.js';
import { createCatalogWorld, type CatalogWorld, type WorldUser } from '../test/catalogWorld.js';
import { matrixNamespaces, uncovered } from '../test/isolationCoverage.js';

/**
 * Every procedure, over REST and over tRPC, by every kind of caller, against real rows of two
 * partners. Partner A's and partner B's rows carry canary values; a response to anyone but A
 * (or the dev partner reading A) must not contain one byte of A's, and vice versa. Monitoring,
 * MSPBackups, sync and auth have their own matrix (isolationMonitoring.test.ts); which matrix
 * covers which router is in server/test/isolationCoverage.ts.
 */

type Caller = MatrixCaller;
const callers = matrixCallers;

interface Operation {
  name: string;
  rest: (ids: { a: number; b: number }) => { method: string; url: string; body?: unknown };
  trpc: (ids: { a: number; b: number }) => { kind: 'query' | 'mutation'; path: string; input?: unknown };
  expect: Record<Caller, number>;
  mutates?: boolean;
  /** The dev partner reading partner A: A's canaries are expected, B's are not. */
  devReadsA?: boolean;
  /** A value of A's that this operation's answer to A (or the dev partner) must contain. */
  shows?: (aAdminEmail: string) => string;
  /** A's technician may change A's row through it (a test records the health it found). */
  ownTechRecords?: boolean;
}

const probeSettings = { subdomain: 'matrix-probe', api_token: 'tok_matrix_probe_0000', region: 'us' };
const read = { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 };
const writeOwnRow = { ownAdmin: 200, ownTech: 403, otherAdmin: 200, dev: 404, none: 401 };
const devOnly = { ownAdmin: 403, ownTech: 403, otherAdmin: 403, dev: 200, none: 401 };

const operations: Operation[] = [
  { name: 'list', rest: () => ({ method: 'GET', url: '/api/integrations' }), trpc: () => ({ kind: 'query', path: 'integrations.list' }), expect: read },
  {
    name: 'get',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor' }),
    trpc: () => ({ kind: 'query', path: 'integrations.get', input: { key: 'testvendor' } }),
    expect: read,
    shows: () => canaries.a.subdomain,
  },
  {
    name: 'audit',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor/audit' }),
    trpc: () => ({ kind: 'query', path: 'integrations.audit', input: { key: 'testvendor' } }),
    expect: read,
    shows: (email) => email,
  },
  {
    name: 'configure',
    rest: () => ({ method: 'POST', url: '/api/integrations/otherbackup/configure', body: { settings: { login: 'x', password: 'pw-for-matrix-1' } } }),
    trpc: () => ({ kind: 'mutation', path: 'integrations.configure', input: { key: 'otherbackup', settings: { login: 'x', password: 'pw-for-matrix-1' } } }),
    // Each partner configures its own row; the dev partner is a partner too.
    expect: { ownAdmin: 201, ownTech: 403, otherAdmin: 201, dev: 201, none: 401 },
    mutates: true,
  },
  {
    name: 'reconfigure',
    rest: () => ({ method: 'POST', url: '/api/integrations/testvendor/reconfigure', body: { settings: { subdomain: 'changed', region: 'eu' } } }),
    trpc: () => ({ kind: 'mutation', path: 'integrations.reconfigure', input: { key: 'testvendor', settings: { subdomain: 'changed', region: 'eu' } } }),
    expect: writeOwnRow,
    mutates: true,
  },
  {
    // The saved configuration: every user of the partner may test it (it changes no setting).
    name: 'test',
    rest: () => ({ method: 'POST', url: '/api/integrations/testvendor/test' }),
    trpc: () => ({ kind: 'mutation', path: 'integrations.test', input: { key: 'testvendor' } }),
    expect: { ...writeOwnRow, ownTech: 200 },
    shows: () => canaries.a.subdomain,
    mutates: true,
    ownTechRecords: true,
  },
  {
    // Unsaved settings: partner admins only. The dev partner tests them against its own partner.
    name: 'test (unsaved settings)',
    rest: () => ({ method: 'POST', url: '/api/integrations/testvendor/test', body: { settings: probeSettings } }),
    trpc: () => ({ kind: 'mutation', path: 'integrations.test', input: { key: 'testvendor', settings: probeSettings } }),
    expect: { ownAdmin: 200, ownTech: 403, otherAdmin: 200, dev: 200, none: 401 },
    mutates: true,
  },
  {
    // Issue 18: each partner's own saved versions (the dev partner has no configuration here).
    name: 'versions',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor/versions' }),
    trpc: () => ({ kind: 'query', path: 'integrations.versions', input: { key: 'testvendor' } }),
    expect: { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 404, none: 401 },
    shows: () => canaries.a.subdomain,
  },
  {
    // Issue 18 §2: ages of each partner's own secrets (no canary text: the answer holds dates and
    // labels only; credentialAge.test.ts proves each partner gets its own).
    name: 'credential age',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor/credential-age' }),
    trpc: () => ({ kind: 'query', path: 'integrations.credentialAge', input: { key: 'testvendor' } }),
    expect: { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 404, none: 401 },
  },
  {
    name: 'rollback',
    rest: () => ({ method: 'POST', url: '/api/integrations/testvendor/rollback', body: { toVersion: 1, baseVersion: 2 } }),
    trpc: () => ({ kind: 'mutation', path: 'integrations.rollback', input: { key: 'testvendor', toVersion: 1, baseVersion: 2 } }),
    expect: writeOwnRow,
    mutates: true,
  },
  {
    name: 'delete',
    rest: () => ({ method: 'DELETE', url: '/api/integrations/testvendor' }),
    trpc: () => ({ kind: 'mutation', path: 'integrations.delete', input: { key: 'testvendor' } }),
    expect: writeOwnRow,
    mutates: true,
  },
  { name: 'dev.partners', rest: () => ({ method: 'GET', url: '/api/dev/partners' }), trpc: () => ({ kind: 'query', path: 'dev.partners' }), expect: devOnly },
  {
    name: 'dev.integrations',
    rest: ({ a }) => ({ method: 'GET', url: `/api/dev/partners/${a}/integrations` }),
    trpc: ({ a }) => ({ kind: 'query', path: 'dev.integrations', input: { partnerId: a } }),
    expect: devOnly,
    devReadsA: true,
  },
  {
    name: 'dev.integration',
    rest: ({ a }) => ({ method: 'GET', url: `/api/dev/partners/${a}/integrations/testvendor` }),
    trpc: ({ a }) => ({ kind: 'query', path: 'dev.integration', input: { partnerId: a, key: 'testvendor' } }),
    expect: devOnly,
    devReadsA: true,
    shows: () => canaries.a.subdomain,
  },
  {
    name: 'dev.audit',
    rest: ({ a }) => ({ method: 'GET', url: `/api/dev/partners/${a}/integrations/testvendor/audit` }),
    trpc: ({ a }) => ({ kind: 'query', path: 'dev.audit', input: { partnerId: a, key: 'testvendor' } }),
    expect: devOnly,
    devReadsA: true,
    shows: (email) => email,
  },
];

const canaries = {
  a: { subdomain: 'alpha-canary-sub', notes: 'alpha notes canary text', token: 'tok_alpha_canary_secret_Q7aZ' },
  b: { subdomain: 'bravo-canary-sub', notes: 'bravo notes canary text', token: 'tok_bravo_canary_secret_W3bX' },
};
// What each partner's responses may legitimately show of its own rows, and nobody else's may.
const visible = (c: typeof canaries.a, email: string) => [c.subdomain, c.notes, c.token.slice(-4), email];

describe('tenant isolation matrix', () => {
  let w: CatalogWorld;
  let ids: { a: number; b: number };
  beforeAll(async () => {
    w = await createCatalogWorld();
    ids = { a: w.a.id, b: w.b.id };
    await seed();
  });
  afterAll(() => w.close());

  async function seed() {
    await w.server.deps.db.pool.query('DELETE FROM integration_configurations; DELETE FROM integration_audit_logs');
    for (const [p, c] of [[w.a, canaries.a], [w.b, canaries.b]] as const) {
      const settings = { subdomain: c.subdomain, notes: c.notes, api_token: c.token, region: 'us' };
      expect((await w.request('POST', '/api/integrations/testvendor/configure', p.admin, { settings })).statusCode).toBe(201);
      // A second version, so there is one to roll back to.
      expect((await w.request('POST', '/api/integrations/testvendor/reconfigure', p.admin, { settings: { ...settings, api_token: '', region: 'eu' } })).statusCode).toBe(200);
      expect((await w.request('POST', '/api/integrations/testvendor/test', p.admin)).statusCode).toBe(200);
    }
  }

  function emails() {
    return { a: [w.a.admin, w.a.tech], b: [w.b.admin, w.b.tech] };
  }

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        await seed();
        const { rows: users } = await w.server.deps.db.pool.query<{ id: number; email: string }>('SELECT id, email FROM users');
        const email = (u: WorldUser) => users.find((r) => r.id === u.id)?.email as string;
        const aBytes = [...visible(canaries.a, email(emails().a[0] as WorldUser)), canaries.a.token];
        const bBytes = [...visible(canaries.b, email(emails().b[0] as WorldUser)), canaries.b.token];
        for (const caller of callers) {
          if (op.mutates) await seed();
          const aRowBefore = await w.server.deps.db.pool.query('SELECT * FROM integration_configurations WHERE partner_id = $1', [ids.a]);
          const res = await sendMatrixCall(w, transport, { rest: op.rest?.(ids), trpc: op.trpc(ids) }, matrixUser(w, caller));
          const expected = transport === 'trpc' && op.expect[caller] === 201 ? 200 : op.expect[caller];
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(expected);

          const mayShowA = caller === 'ownAdmin' || caller === 'ownTech' || (caller === 'dev' && op.devReadsA === true);
          const mayShowB = caller === 'otherAdmin';
          for (const bytes of mayShowA ? [] : aBytes) expect(res.body, `${op.name} as ${caller} leaks A`).not.toContain(bytes);
          for (const bytes of mayShowB ? [] : bBytes) expect(res.body, `${op.name} as ${caller} leaks B`).not.toContain(bytes);
          // Nobody ever sees a whole secret, not even its owner.
          expect(res.body).not.toContain(canaries.a.token);
          expect(res.body).not.toContain(canaries.b.token);
          // Positive control: the owner (or the dev partner) does get A's data where the operation shows it.
          const shows = op.shows?.(email(w.a.admin));
          if (mayShowA && shows && res.statusCode < 300) expect(res.body, `${op.name} as ${caller}`).toContain(shows);
          // No caller other than A's admin changes A's row.
          if (caller !== 'ownAdmin' && !(caller === 'ownTech' && op.ownTechRecords)) {
            const aRowAfter = await w.server.deps.db.pool.query('SELECT * FROM integration_configurations WHERE partner_id = $1', [ids.a]);
            expect(aRowAfter.rows, `${op.name} as ${caller} changed A`).toEqual(aRowBefore.rows);
          }
        }
      });
    }
  }

  it('has a row for every integrations.* and dev.* procedure and REST route', () => {
    expect(uncovered(operations, matrixNamespaces.catalog, {}, ids)).toEqual([]);
  });

  it('never takes the partner from a query, body field or header', async () => {
    await seed();
    const attacks = [
      { method: 'GET', url: `/api/integrations?partnerId=${ids.b}` },
      { method: 'GET', url: `/api/integrations/testvendor?partner_id=${ids.b}` },
      { method: 'GET', url: `/api/integrations/testvendor/audit?partnerId=${ids.b}` },
      { method: 'POST', url: '/api/integrations/testvendor/reconfigure', body: { partnerId: ids.b, settings: { subdomain: 'x', region: 'us' } } },
      { method: 'POST', url: '/api/integrations/testvendor/test', body: { partnerId: ids.b } },
      { method: 'DELETE', url: `/api/integrations/testvendor?partnerId=${ids.b}` },
      { method: 'POST', url: '/api/integrations/otherbackup/configure', body: { partner_id: ids.b, settings: { login: 'x', password: 'pw-xxxxxx' } } },
    ];
    for (const attack of attacks) {
      const res = await w.request(attack.method, attack.url, w.a.admin, attack.body);
      expect(res.statusCode, `${attack.method} ${attack.url}`).toBe(400);
      expect(res.body).not.toContain(canaries.b.subdomain);
    }
    const viaHeader = await w.server.app.inject({
      url: '/api/integrations/testvendor',
      headers: { authorization: w.a.admin.auth, 'x-partner-id': String(ids.b), 'x-partner': String(ids.b) },
    });
    expect(viaHeader.json().settings.subdomain).toBe(canaries.a.subdomain);
    const { rows } = await w.server.deps.db.pool.query<{ settings: { subdomain: string } }>('SELECT settings FROM integration_configurations WHERE partner_id = $1', [ids.b]);
    expect(rows[0]?.settings.subdomain).toBe(canaries.b.subdomain);
  });

  it('lets the dev partner read any partner but write none, and 404s unknown partners', async () => {
    await seed();
    const partners = (await w.request('GET', '/api/dev/partners', w.dev.admin)).json();
    expect(partners.items.find((p: { id: number }) => p.id === ids.a)).toMatchObject({ configuredCount: 1, errorCount: 0 });
    expect((await w.request('GET', '/api/dev/partners/999999/integrations', w.dev.admin)).statusCode).toBe(404);
    expect((await w.request('GET', '/api/dev/partners/abc/integrations', w.dev.admin)).statusCode).toBe(400);
    const bDetail = (await w.request('GET', `/api/dev/partners/${ids.b}/integrations/testvendor`, w.dev.admin)).json();
    expect(bDetail.settings.subdomain).toBe(canaries.b.subdomain);
    // Row-level security itself refuses the dev partner's writes to another partner.
    const changed = await withPartner(w.server.deps.db, w.dev.id, async (tx) => {
      const update = await tx.query(`UPDATE integration_configurations SET error_message = 'x' WHERE partner_id = $1`, [ids.a]);
      const del = await tx.query('DELETE FROM integration_configurations WHERE partner_id = $1', [ids.a]);
      return (update.rowCount ?? 0) + (del.rowCount ?? 0);
    });
    expect(changed).toBe(0);
  });

  it('row-level security hides other partners from a query that forgets its partner filter', async () => {
    await seed();
    const seen = await withPartner(w.server.deps.db, ids.a, async (tx) => {
      const configs = await tx.query<{ partner_id: number; settings: unknown }>('SELECT partner_id, settings FROM integration_configurations');
      const audit = await tx.query<{ partner_id: number }>('SELECT partner_id FROM integration_audit_logs');
      return { partners: [...configs.rows, ...audit.rows].map((r) => r.partner_id), text: JSON.stringify(configs.rows) };
    });
    expect(seen.partners.length).toBeGreaterThan(0);
    expect(new Set(seen.partners)).toEqual(new Set([ids.a]));
    expect(seen.text).not.toContain(canaries.b.subdomain);
  });
});
