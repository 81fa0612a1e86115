import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/pool.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { makePartner, makeUser } from '../test/factories.js';

/**
 * Issue 20 §3: while PostgreSQL is down, every request got a 500 with a stack at error level.
 * Here the app's database is swapped for one nobody listens on (what a stopped PostgreSQL looks
 * like to the pool); token checks keep their own pool, so the request reaches the procedure.
 */
describe('requests while the database cannot be reached', () => {
  let server: TestServer;
  let token: string;
  let realDb: Db;
  const deadDb = createDb('postgres://nobody:nothing@127.0.0.1:1/none');

  beforeAll(async () => {
    server = await createTestServer();
    const partner = await makePartner(server.deps.db);
    const user = await makeUser(server.deps.db, partner.id, 'partner_admin');
    const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: user.password } });
    token = login.json().token;
    realDb = server.deps.db;
    server.deps.db = deadDb;
  });
  afterAll(async () => {
    server.deps.db = realDb;
    await deadDb.close();
    await server.close();
  });

  it('answers 503 UNAVAILABLE with Retry-After on REST and tRPC, and logs a warning without a stack', async () => {
    const before = server.logs.lines.length;
    const auth = { authorization: `Bearer ${token}` };
    const calls = [
      server.app.inject({ url: '/api/integrations', headers: auth }),
      server.app.inject({ url: '/trpc/integrations.list', headers: auth }),
      server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'someone@example.test', password: 'whatever-it-is' } }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toContain('cannot reach its database');
      expect(res.body).not.toContain('ECONNREFUSED');
    }
    const lines = server.logs.lines.slice(before).map((l) => JSON.parse(l) as { level: number; msg: string; err?: unknown });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.some((l) => l.level === 40 && l.msg.includes('database unreachable'))).toBe(true);
    expect(lines.some((l) => l.err !== undefined)).toBe(false);
  });

  it("logs a sync pull that cannot reach the database as a warning too (it was logged at error level: the 503 said nothing of its cause)", async () => {
    const before = server.logs.lines.length;
    const input = encodeURIComponent(JSON.stringify({ clientId: '00000000-0000-4000-8000-000000000001', cursor: null }));
    const res = await server.app.inject({ url: `/trpc/sync.pull?input=${input}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).not.toContain('ECONNREFUSED');
    const lines = server.logs.lines.slice(before).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.some((l) => l.level === 40 && l.msg.includes('database unreachable'))).toBe(true);
  });

  it('turns /readyz not-ready and back when the database returns', async () => {
    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    server.deps.db = realDb;
    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await server.app.inject({ url: '/api/integrations', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
  });
});
