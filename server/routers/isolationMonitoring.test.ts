import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMsp360Plugin, type Msp360Plugin } from '../integrations/msp360/index.js';
import { startFakeMsp360, type FakeMsp360 } from '../integrations/msp360/fakeServer.js';
import { withPartner } from '../db/pool.js';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller } from '../test/isolationMatrix.js';
import { createCatalogWorld, type CatalogWorld, type WorldUser } from '../test/catalogWorld.js';
import { matrixNamespaces, proceduresOf, routerNamespaces, uncovered } from '../test/isolationCoverage.js';

/**
 * The tenant isolation matrix for monitoring (health history, alerts, the alert webhook, the
 * fleet), the legacy MSPBackups API, sync pull/push and auth.me — the sibling of
 * isolation.test.ts (catalog and dev views). Every procedure, over REST where it has a route and
 * over tRPC, by every kind of caller, against real rows of partners A and B that carry canary
 * values: an answer to anyone but A (or the dev partner where it reads A) must not contain one
 * byte of A's, and vice versa; nobody but A's admin changes A's rows.
 */

type Caller = MatrixCaller;
const callers = matrixCallers;
type Ids = { a: number; b: number };

interface CheckContext {
  caller: Caller;
  who: WorldUser | undefined;
  body: unknown;
  /** The partner of the caller (undefined without a token). */
  partnerId: number | undefined;
}

interface Operation {
  name: string;
  rest?: (ids: Ids) => { method: string; url: string; body?: unknown };
  trpc: (ids: Ids) => { kind: 'query' | 'mutation'; path: string; input?: unknown };
  expect: Record<Caller, number>;
  mutates?: boolean;
  /** What the dev partner may see of other partners here: A's rows, or everyone's. */
  devSees?: 'a' | 'all';
  /** A value of A's that a successful answer to A's callers (or the dev partner reading A) must contain. */
  shows?: (c: Canary) => string;
  /** Further checks of a successful answer. */
  check?: (ctx: CheckContext) => Promise<void>;
}

const canaries = {
  a: {
    subdomain: 'alpha-canary-sub', notes: 'alpha notes canary text', token: 'tok_alpha_canary_secret_Q7aZ', health: 'alpha health canary words',
    hook: 'alpha-hook-canary', hookSecret: 'whsec_alpha_canary_secret_K2pV', mspLogin: 'alpha-msp-canary', mspPassword: 'alpha-msp-password-J5tR', companies: 2,
    hookStatus: 'alpha delivery canary error',
  },
  b: {
    subdomain: 'bravo-canary-sub', notes: 'bravo notes canary text', token: 'tok_bravo_canary_secret_W3bX', health: 'bravo health canary words',
    hook: 'bravo-hook-canary', hookSecret: 'whsec_bravo_canary_secret_M8cY', mspLogin: 'bravo-msp-canary', mspPassword: 'bravo-msp-password-L4uS', companies: 4,
    hookStatus: 'bravo delivery canary error',
  },
};
type Canary = typeof canaries.a;
// What each partner's answers may legitimately show of its own rows, and nobody else's may.
const visible = (c: Canary, emails: string[]) => [c.subdomain, c.notes, c.token.slice(-4), c.health, c.hook, c.hookSecret.slice(-4), c.mspLogin, c.mspPassword.slice(-4), c.hookStatus, ...emails];
// Nobody ever sees these whole, not even their owner.
const secrets = [canaries.a.token, canaries.a.hookSecret, canaries.a.mspPassword, canaries.b.token, canaries.b.hookSecret, canaries.b.mspPassword];

const read = { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 };
const adminOwn = { ownAdmin: 200, ownTech: 403, otherAdmin: 200, dev: 200, none: 401 };
const devOnly = { ownAdmin: 403, ownTech: 403, otherAdmin: 403, dev: 200, none: 401 };
// The dev partner configured nothing of its own, so reads of its own legacy settings are 404.
const readOwnMsp = { ...read, dev: 404 };

let w: CatalogWorld;
let receiver: { server: Server; url: string; paths: string[] };
const pullInput = () => ({ clientId: randomUUID(), cursor: null, limit: 500, auditWindow: 500 });
const rows = async (sql: string, params: unknown[]) => (await w.server.deps.db.pool.query(sql, params)).rows;

const operations: Operation[] = [
  {
    name: 'health.history',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor/health-history' }),
    trpc: () => ({ kind: 'query', path: 'health.history', input: { key: 'testvendor' } }),
    expect: read,
    shows: (c) => c.health,
    async check({ body, partnerId }) {
      const own = await rows('SELECT 1 FROM integration_health_history WHERE partner_id = $1', [partnerId]);
      expect((body as { points: unknown[] }).points).toHaveLength(own.length);
    },
  },
  {
    name: 'health.alerts',
    rest: () => ({ method: 'GET', url: '/api/alerts' }),
    trpc: () => ({ kind: 'query', path: 'health.alerts' }),
    expect: read,
    shows: (c) => c.health,
    async check({ body, partnerId }) {
      const own = await rows('SELECT id FROM integration_alerts WHERE partner_id = $1 ORDER BY id DESC', [partnerId]);
      expect((body as { items: { id: number }[] }).items.map((i) => i.id)).toEqual(own.map((r) => r.id));
    },
  },
  {
    // Issue 18 §2: each partner's own limit (a number: the check proves whose).
    name: 'health.credentialPolicy',
    rest: () => ({ method: 'GET', url: '/api/alerts/credential-policy' }),
    trpc: () => ({ kind: 'query', path: 'health.credentialPolicy' }),
    expect: read,
    async check({ body, partnerId }) {
      expect(body).toEqual({ maxAgeDays: (await rows('SELECT credential_max_age_days AS d FROM partners WHERE id = $1', [partnerId]))[0].d });
    },
  },
  {
    name: 'health.setCredentialPolicy',
    rest: () => ({ method: 'PUT', url: '/api/alerts/credential-policy', body: { maxAgeDays: 45 } }),
    trpc: () => ({ kind: 'mutation', path: 'health.setCredentialPolicy', input: { maxAgeDays: 45 } }),
    expect: adminOwn,
    mutates: true,
    async check({ partnerId }) {
      expect(await rows('SELECT credential_max_age_days AS d FROM partners WHERE id = $1', [partnerId])).toEqual([{ d: 45 }]);
    },
  },
  {
    name: 'health.webhook',
    rest: () => ({ method: 'GET', url: '/api/alerts/webhook' }),
    trpc: () => ({ kind: 'query', path: 'health.webhook' }),
    expect: adminOwn,
    shows: (c) => c.hook,
  },
  {
    name: 'health.setWebhook',
    rest: () => ({ method: 'PUT', url: '/api/alerts/webhook', body: { url: `${receiver.url}/hook/replaced`, secret: 'whsec_replacement_secret_0000' } }),
    trpc: () => ({ kind: 'mutation', path: 'health.setWebhook', input: { url: `${receiver.url}/hook/replaced`, secret: 'whsec_replacement_secret_0000' } }),
    expect: adminOwn,
    mutates: true,
    async check({ partnerId }) {
      expect(await rows('SELECT url FROM partner_webhooks WHERE partner_id = $1', [partnerId])).toEqual([{ url: `${receiver.url}/hook/replaced` }]);
    },
  },
  {
    name: 'health.clearWebhook',
    rest: () => ({ method: 'DELETE', url: '/api/alerts/webhook' }),
    trpc: () => ({ kind: 'mutation', path: 'health.clearWebhook', input: {} }),
    expect: adminOwn,
    mutates: true,
    async check({ partnerId }) {
      expect(await rows('SELECT 1 FROM partner_webhooks WHERE partner_id = $1', [partnerId])).toEqual([]);
    },
  },
  {
    name: 'health.testWebhook',
    rest: () => ({ method: 'POST', url: '/api/alerts/webhook/test' }),
    trpc: () => ({ kind: 'mutation', path: 'health.testWebhook', input: {} }),
    // The dev partner has no webhook of its own and cannot reach anyone else's.
    expect: { ...adminOwn, dev: 404 },
    async check({ caller }) {
      expect(receiver.paths).toEqual([`/hook/${caller === 'ownAdmin' ? canaries.a.hook : canaries.b.hook}`]);
    },
  },
  {
    name: 'health.checks',
    rest: () => ({ method: 'GET', url: '/api/integrations/testvendor/checks' }),
    trpc: () => ({ kind: 'query', path: 'health.checks', input: { key: 'testvendor' } }),
    expect: read,
    shows: (c) => c.health,
    async check({ body, partnerId }) {
      const own = await rows('SELECT id FROM integration_health_history WHERE partner_id = $1 ORDER BY id DESC', [partnerId]);
      expect((body as { items: { id: number }[] }).items.map((i) => i.id)).toEqual(own.map((r) => r.id));
    },
  },
  {
    name: 'health.rotateWebhookSecret',
    rest: () => ({ method: 'POST', url: '/api/alerts/webhook/rotate-secret' }),
    trpc: () => ({ kind: 'mutation', path: 'health.rotateWebhookSecret', input: {} }),
    // The dev partner has no webhook of its own and cannot reach anyone else's.
    expect: { ...adminOwn, dev: 404 },
    mutates: true,
    async check({ body, partnerId }) {
      const [row] = await rows(`SELECT secret->>'kid' AS kid FROM partner_webhooks WHERE partner_id = $1`, [partnerId]);
      expect(row).toBeDefined();
      expect((body as { revealedSecret: string }).revealedSecret).toMatch(/^whsec_/);
    },
  },
  {
    name: 'health.webhookDeliveries',
    rest: () => ({ method: 'GET', url: '/api/alerts/webhook/deliveries' }),
    trpc: () => ({ kind: 'query', path: 'health.webhookDeliveries' }),
    expect: adminOwn,
    // A's delivery log carries A's canary status code (seeded): nobody else's answer may.
    shows: (c) => c.hookStatus,
    async check({ body, partnerId }) {
      const own = await rows('SELECT id FROM webhook_deliveries WHERE partner_id = $1 ORDER BY id DESC', [partnerId]);
      expect((body as { items: { id: number }[] }).items.map((i) => i.id)).toEqual(own.map((r) => r.id));
    },
  },
  {
    name: 'health.fleet',
    rest: () => ({ method: 'GET', url: '/api/dev/fleet' }),
    trpc: () => ({ kind: 'query', path: 'health.fleet' }),
    expect: devOnly,
    devSees: 'all',
    shows: (c) => c.health,
  },
  {
    name: 'mspbackups.config',
    rest: () => ({ method: 'GET', url: '/api/mspbackups/config' }),
    trpc: () => ({ kind: 'query', path: 'mspbackups.config' }),
    expect: readOwnMsp,
    shows: (c) => c.mspLogin,
  },
  {
    name: 'mspbackups.saveConfig',
    rest: () => ({ method: 'PUT', url: '/api/mspbackups/config', body: { apiLogin: 'replaced-msp-login', apiPassword: 'replaced-msp-password' } }),
    trpc: () => ({ kind: 'mutation', path: 'mspbackups.saveConfig', input: { apiLogin: 'replaced-msp-login', apiPassword: 'replaced-msp-password' } }),
    expect: adminOwn,
    mutates: true,
    async check({ partnerId }) {
      expect(await rows('SELECT api_login FROM mspbackups_config WHERE partner_id = $1', [partnerId])).toEqual([{ api_login: 'replaced-msp-login' }]);
    },
  },
  {
    name: 'mspbackups.companies',
    rest: () => ({ method: 'GET', url: '/api/mspbackups/companies' }),
    trpc: () => ({ kind: 'query', path: 'mspbackups.companies' }),
    expect: readOwnMsp,
    async check({ body, partnerId }) {
      // Each partner's saved login lists its own MSP360 account's companies.
      const own = partnerId === w.a.id ? canaries.a : canaries.b;
      expect(JSON.stringify(body).match(/"Company \d+"/g)).toHaveLength(own.companies);
    },
  },
  {
    name: 'sync.pull',
    trpc: () => ({ kind: 'query', path: 'sync.pull', input: pullInput() }),
    expect: read,
    shows: (c) => c.subdomain,
  },
  {
    name: 'sync.pullPartner',
    trpc: ({ a }) => ({ kind: 'query', path: 'sync.pullPartner', input: { partnerId: a, ...pullInput() } }),
    expect: devOnly,
    devSees: 'a',
    shows: (c) => c.subdomain,
  },
  {
    name: 'sync.push',
    trpc: () => ({
      kind: 'mutation',
      path: 'sync.push',
      input: { clientId: randomUUID(), mutations: [{ id: 1, kind: 'configure', integrationKey: 'otherbackup', baseVersion: null, settings: { login: 'pushed', password: 'pw-pushed-123' } }] },
    }),
    // Members may push; a technician's mutation comes back rejected, so its queue moves on.
    expect: read,
    mutates: true,
    async check({ caller, body, partnerId }) {
      const [result] = (body as { results: { result: string; code?: string }[] }).results;
      const configured = await rows(`SELECT 1 FROM integration_configurations WHERE partner_id = $1 AND integration_key = 'otherbackup'`, [partnerId]);
      if (caller === 'ownTech') {
        expect(result).toMatchObject({ result: 'rejected', code: 'FORBIDDEN' });
        expect(configured).toEqual([]);
      } else {
        expect(result).toMatchObject({ result: 'applied' });
        expect(configured).toHaveLength(1);
      }
    },
  },
  {
    name: 'auth.me',
    rest: () => ({ method: 'GET', url: '/api/auth/me' }),
    trpc: () => ({ kind: 'query', path: 'auth.me' }),
    expect: read,
    async check({ body, who }) {
      expect(body).toMatchObject({ id: who?.id, partnerId: who?.partnerId });
    },
  },
];

// Left out of this matrix on purpose, each tested for isolation where named.
const exempt = {
  'auth.login': 'public: no token, no partner yet (server/auth/login.test.ts)',
  'sync.changes': 'SSE subscription (server/services/sync/feed.test.ts streams it to members and refuses others)',
  'sync.changesPartner': 'SSE subscription (server/services/sync/feed.test.ts)',
};

describe('tenant isolation matrix: monitoring, MSPBackups, sync, auth', () => {
  let fake: FakeMsp360;
  let msp360: Msp360Plugin;
  let ids: Ids;
  let emails: { a: string[]; b: string[] };
  beforeAll(async () => {
    fake = await startFakeMsp360();
    for (const c of [canaries.a, canaries.b]) fake.addAccount({ login: c.mspLogin, password: c.mspPassword, companies: c.companies });
    fake.addAccount({ login: 'replaced-msp-login', password: 'replaced-msp-password', companies: 1 });
    msp360 = createMsp360Plugin({ checkTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 10, maxDelayMs: 20 } } });
    // The webhook receiver is on loopback, which partner URLs may reach only with this switch.
    w = await createCatalogWorld({ plugins: [msp360], env: { MSP360_BASE_URL: fake.baseUrl, INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' } });
    ids = { a: w.a.id, b: w.b.id };
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      req.resume().on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
    const users = await rows('SELECT id, email FROM users', []);
    const emailOf = (u: WorldUser) => users.find((r) => r.id === u.id)?.email as string;
    emails = { a: [emailOf(w.a.admin), emailOf(w.a.tech)], b: [emailOf(w.b.admin), emailOf(w.b.tech)] };
  });
  afterAll(async () => {
    await w.close();
    await msp360.close();
    await fake.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  async function seed() {
    await w.server.deps.db.pool.query(
      'DELETE FROM integration_configurations; DELETE FROM integration_audit_logs; DELETE FROM integration_health_history; DELETE FROM integration_alerts; DELETE FROM partner_webhooks; DELETE FROM webhook_deliveries; DELETE FROM mspbackups_config; UPDATE partners SET credential_max_age_days = 90',
    );
    for (const [p, c] of [[w.a, canaries.a], [w.b, canaries.b]] as const) {
      const settings = { subdomain: c.subdomain, notes: c.notes, api_token: c.token, region: 'us' };
      expect((await w.request('POST', '/api/integrations/testvendor/configure', p.admin, { settings })).statusCode).toBe(201);
      // Degraded with a message of this partner's: it lands in history, alerts and the fleet.
      Object.assign(w.vendor, { outcome: 'degraded', message: c.health });
      expect((await w.request('POST', '/api/integrations/testvendor/test', p.admin)).statusCode).toBe(200);
      expect((await w.request('PUT', '/api/alerts/webhook', p.admin, { url: `${receiver.url}/hook/${c.hook}`, secret: c.hookSecret })).statusCode).toBe(200);
      expect((await w.request('PUT', '/api/mspbackups/config', p.admin, { apiLogin: c.mspLogin, apiPassword: c.mspPassword })).statusCode).toBe(200);
      // One recorded delivery attempt whose reason carries this partner's canary.
      await rows(
        `INSERT INTO webhook_deliveries (partner_id, kind, event, delivered, http_status, error, duration_ms) VALUES ($1, 'test', 'webhook.test', false, 500, $2, 12)`,
        [p.id, c.hookStatus],
      );
    }
    receiver.paths.length = 0;
  }

  /** A's rows that only A's admin may change. */
  const aRows = async () => ({
    configs: await rows('SELECT * FROM integration_configurations WHERE partner_id = $1 ORDER BY integration_key', [ids.a]),
    webhook: await rows('SELECT * FROM partner_webhooks WHERE partner_id = $1', [ids.a]),
    deliveries: await rows('SELECT * FROM webhook_deliveries WHERE partner_id = $1 ORDER BY id', [ids.a]),
    msp: await rows('SELECT * FROM mspbackups_config WHERE partner_id = $1', [ids.a]),
    credentialLimit: await rows('SELECT credential_max_age_days FROM partners WHERE id = $1', [ids.a]),
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations.filter((o) => transport === 'trpc' || o.rest)) {
      it(`${transport} ${op.name}`, async () => {
        await seed();
        const aBytes = visible(canaries.a, emails.a);
        const bBytes = visible(canaries.b, emails.b);
        for (const caller of callers) {
          if (op.mutates) await seed();
          receiver.paths.length = 0;
          const before = await aRows();
          const who = matrixUser(w, caller);
          const res = await sendMatrixCall(w, transport, { rest: op.rest?.(ids), trpc: op.trpc(ids) }, who);
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(op.expect[caller]);

          const mayShowA = caller === 'ownAdmin' || caller === 'ownTech' || (caller === 'dev' && op.devSees !== undefined);
          const mayShowB = caller === 'otherAdmin' || (caller === 'dev' && op.devSees === 'all');
          for (const bytes of mayShowA ? [] : aBytes) expect(res.body, `${op.name} as ${caller} leaks A`).not.toContain(bytes);
          for (const bytes of mayShowB ? [] : bBytes) expect(res.body, `${op.name} as ${caller} leaks B`).not.toContain(bytes);
          for (const secret of secrets) expect(res.body, `${op.name} as ${caller} shows a whole secret`).not.toContain(secret);
          if (res.statusCode < 300) {
            // Positive control: A's callers (or the dev partner reading A) do get A's data.
            if (mayShowA && op.shows) expect(res.body, `${op.name} as ${caller}`).toContain(op.shows(canaries.a));
            const body: unknown = transport === 'trpc' ? (res.json() as { result: { data: unknown } }).result.data : res.json();
            await op.check?.({ caller, who, body, partnerId: who?.partnerId });
          } else if (op.name === 'health.testWebhook') {
            expect(receiver.paths, `${op.name} as ${caller} sent a webhook`).toEqual([]);
          }
          if (caller !== 'ownAdmin') expect(await aRows(), `${op.name} as ${caller} changed A`).toEqual(before);
        }
      });
    }
  }

  it('row-level security alone keeps webhook deliveries to their partner (a query without WHERE)', async () => {
    await seed();
    for (const partnerId of [ids.a, ids.b]) {
      const seen = await withPartner(w.server.deps.db, partnerId, async (tx) => (await tx.query<{ partner_id: number }>('SELECT partner_id FROM webhook_deliveries')).rows);
      expect(seen.map((r) => Number(r.partner_id))).toEqual([partnerId]);
      // Nor can a partner write a row of another's.
      const other = partnerId === ids.a ? ids.b : ids.a;
      await expect(
        withPartner(w.server.deps.db, partnerId, (tx) => tx.query(`INSERT INTO webhook_deliveries (partner_id, kind, event, delivered, duration_ms) VALUES ($1, 'test', 'webhook.test', true, 1)`, [other])),
      ).rejects.toThrow(/row-level security/);
    }
  });

  it('puts every router in exactly one isolation matrix', () => {
    const owned: string[] = Object.values(matrixNamespaces).flat();
    expect(new Set(owned).size).toBe(owned.length);
    expect(routerNamespaces()).toEqual([...owned].sort());
  });

  it('has a row for every procedure and REST route of its routers, and exempts only real procedures', () => {
    expect(uncovered(operations, matrixNamespaces.monitoring, exempt, ids)).toEqual([]);
    const known = proceduresOf(matrixNamespaces.monitoring).map((p) => p.path);
    expect(known).toEqual(expect.arrayContaining(Object.keys(exempt)));
  });
});
