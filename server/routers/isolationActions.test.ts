import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matrixCallers, matrixUser, sendMatrixCall, type MatrixCaller, type RestCall, type TrpcCall } from '../test/isolationMatrix.js';
import { createActionWorld, type ActionWorld } from '../test/actionWorld.js';
import { matrixNamespaces, proceduresOf, uncovered } from '../test/isolationCoverage.js';

/**
 * The tenant isolation matrix for actions and ticket links (issue 15), the sibling of
 * isolationClients.test.ts: every procedure, over REST and tRPC, by every kind of caller, aimed
 * at partner A's client and ticket link, which carry canary text. Nobody but A's own users sees a
 * byte of A's; nobody but A's admin changes A's rows (a refresh, a read at the vendor, is A's
 * technicians' too); the vendor is called only for A's own callers.
 */
type Caller = MatrixCaller;

interface Operation {
  name: string;
  rest: () => RestCall;
  trpc: () => TrpcCall;
  expect: Record<Caller, number>;
  /** Callers whose successful call changes A's rows. */
  changesA?: Caller[];
  devReadsA?: boolean;
  showsA?: boolean;
}

const canaries = {
  a: { client: 'Alpha Canary Clinic', subject: 'Alpha Ticket Canary Subject' },
  b: { client: 'Bravo Canary Bakery', subject: 'Bravo Ticket Canary Subject' },
};
const bytesOf = (c: typeof canaries.a) => [c.client, c.subject];

let w: ActionWorld;
let aClient = 0;
let aLink = 0;
let run = 0;
const rows = async (sql: string, params: unknown[]) => (await w.server.deps.db.pool.query(sql, params)).rows;

const read = { ownAdmin: 200, ownTech: 200, otherAdmin: 200, dev: 200, none: 401 };
const readAs = { ownAdmin: 200, ownTech: 200, otherAdmin: 404, dev: 404, none: 401 };
const writeA = { ownAdmin: 200, ownTech: 403, otherAdmin: 404, dev: 404, none: 401 };
const devOnly = { ownAdmin: 403, ownTech: 403, otherAdmin: 403, dev: 200, none: 401 };
const key = () => `matrix-key-${++run}`;

const operations: Operation[] = [
  { name: 'actions.list', rest: () => ({ method: 'GET', url: `/api/actions?clientId=${aClient}` }), trpc: () => ({ kind: 'query', path: 'actions.list', input: { clientId: aClient } }), expect: read },
  {
    name: 'actions.run',
    rest: () => ({ method: 'POST', url: '/api/actions/ticketdesk.tickets.comment/run', body: { input: { clientId: aClient, ticketId: '101', body: 'matrix' }, idempotencyKey: key(), linkTicket: 'related' } }),
    trpc: () => ({ kind: 'mutation', path: 'actions.run', input: { actionId: 'ticketdesk.tickets.comment', input: { clientId: aClient, ticketId: '101', body: 'matrix' }, idempotencyKey: key(), linkTicket: 'related' } }),
    // B's admin names A's client: to B it has no mapping (B cannot tell it exists).
    expect: { ownAdmin: 200, ownTech: 403, otherAdmin: 409, dev: 403, none: 401 },
    changesA: ['ownAdmin'],
  },
  {
    name: 'ticketLinks.byClient',
    rest: () => ({ method: 'GET', url: `/api/clients/${aClient}/ticket-links` }),
    trpc: () => ({ kind: 'query', path: 'ticketLinks.byClient', input: { clientId: aClient } }),
    expect: readAs,
    showsA: true,
  },
  {
    name: 'ticketLinks.create',
    rest: () => ({ method: 'POST', url: `/api/clients/${aClient}/ticket-links`, body: { integrationKey: 'ticketdesk', ticketId: '102' } }),
    trpc: () => ({ kind: 'mutation', path: 'ticketLinks.create', input: { clientId: aClient, integrationKey: 'ticketdesk', ticketId: '102' } }),
    expect: { ...writeA, ownAdmin: 201 },
    changesA: ['ownAdmin'],
  },
  {
    name: 'ticketLinks.delete',
    rest: () => ({ method: 'DELETE', url: `/api/ticket-links/${aLink}` }),
    trpc: () => ({ kind: 'mutation', path: 'ticketLinks.delete', input: { id: aLink } }),
    expect: writeA,
    changesA: ['ownAdmin'],
  },
  {
    name: 'ticketLinks.refresh',
    rest: () => ({ method: 'POST', url: `/api/clients/${aClient}/ticket-links/refresh` }),
    trpc: () => ({ kind: 'mutation', path: 'ticketLinks.refresh', input: { clientId: aClient } }),
    expect: readAs,
    changesA: ['ownAdmin', 'ownTech'],
  },
  {
    name: 'ticketLinks.devByClient',
    rest: () => ({ method: 'GET', url: `/api/dev/partners/${w.a.id}/clients/${aClient}/ticket-links` }),
    trpc: () => ({ kind: 'query', path: 'ticketLinks.devByClient', input: { partnerId: w.a.id, clientId: aClient } }),
    expect: devOnly,
    devReadsA: true,
  },
];

describe('tenant isolation matrix: actions and ticket links', () => {
  beforeAll(async () => {
    w = await createActionWorld();
    await w.configure(w.a.admin);
    await w.configure(w.b.admin);
  });
  afterAll(() => w.close());

  async function seed() {
    await w.server.deps.db.pool.query('DELETE FROM action_runs; DELETE FROM ticket_links; DELETE FROM integration_mappings; DELETE FROM clients');
    for (const [p, c, org] of [[w.a, canaries.a, 'org-1'], [w.b, canaries.b, 'org-2']] as const) {
      const client = await w.client(p.admin, c.client, [org]);
      const [link] = await rows(
        `INSERT INTO ticket_links (partner_id, client_id, integration_key, ticket_id, number, subject, status, link_type) VALUES ($1, $2, 'ticketdesk', '101', 'T-101', $3, 'Open', 'related') RETURNING id`,
        [p.id, client, c.subject],
      );
      if (p === w.a) {
        aClient = client;
        aLink = link?.id as number;
      }
    }
    w.desk.calls.clear();
  }

  const aRows = async () => ({
    runs: await rows('SELECT * FROM action_runs WHERE partner_id = $1 ORDER BY id', [w.a.id]),
    links: await rows('SELECT * FROM ticket_links WHERE partner_id = $1 ORDER BY id', [w.a.id]),
  });

  for (const transport of ['rest', 'trpc'] as const) {
    for (const op of operations) {
      it(`${transport} ${op.name}`, async () => {
        for (const caller of matrixCallers) {
          await seed();
          const before = await aRows();
          const who = matrixUser(w, caller);
          const res = await sendMatrixCall(w, transport, { rest: op.rest(), trpc: op.trpc() }, who);
          const expected = transport === 'trpc' && op.expect[caller] === 201 ? 200 : op.expect[caller];
          expect(res.statusCode, `${transport} ${op.name} as ${caller}: ${res.body}`).toBe(expected);
          const isA = caller === 'ownAdmin' || caller === 'ownTech';
          const mayShowA = isA || (caller === 'dev' && op.devReadsA === true);
          for (const bytes of mayShowA ? [] : bytesOf(canaries.a)) expect(res.body, `${op.name} as ${caller} leaks A`).not.toContain(bytes);
          for (const bytes of caller === 'otherAdmin' ? [] : bytesOf(canaries.b)) expect(res.body, `${op.name} as ${caller} leaks B`).not.toContain(bytes);
          if (res.statusCode < 300 && (op.showsA && isA || op.devReadsA && caller === 'dev')) expect(res.body).toContain(canaries.a.subject);
          // Only A's own callers make the vendor work on A's behalf.
          if (!isA) expect(w.desk.calls.size, `${op.name} as ${caller} called the vendor`).toBe(0);
          const after = await aRows();
          if (op.changesA?.includes(caller)) expect(after, `${op.name} as ${caller} changed nothing`).not.toEqual(before);
          else expect(after, `${op.name} as ${caller} changed A`).toEqual(before);
        }
      });
    }
  }

  it('has a row for every procedure and REST route of its routers', () => {
    expect(uncovered(operations, matrixNamespaces.actions, {}, { a: 1, b: 2 })).toEqual([]);
    expect(proceduresOf(matrixNamespaces.actions)).toHaveLength(operations.length);
  });
});
