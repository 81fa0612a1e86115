import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimitBytes } from './app.js';
import { makePartner, makeUser } from '../test/factories.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { unstorableTextMessage } from '../trpc/errors.js';

describe('HTTP surface', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(() => server.close());

  it('answers /healthz and /readyz, and /readyz reports pending migrations', async () => {
    expect((await server.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const { rows } = await server.deps.db.pool.query<{ name: string }>('DELETE FROM pgmigrations WHERE id = (SELECT max(id) FROM pgmigrations) RETURNING name');
    const notReady = await server.app.inject({ url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().error.message).toContain(rows[0]?.name);
    await server.deps.db.pool.query(`INSERT INTO pgmigrations (name, run_on) VALUES ($1, now())`, [rows[0]?.name]);
  });

  it('serves an OpenAPI 3.1 document covering the REST routes, and the docs page', async () => {
    const doc = (await server.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
    expect(doc.paths['/api/auth/me'].get.security).toEqual([{ bearerAuth: [] }]);
    const docs = await server.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
  });

  it('answers malformed and oversized bodies and unknown routes with the error shape', async () => {
    const malformed = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('BAD_REQUEST');

    const huge = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(bodyLimitBytes) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');

    const missing = await server.app.inject({ url: '/api/nothing-here?secret=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route GET /api/nothing-here' } });
  });

  it('answers tRPC calls in a wrong content type or method with a 4xx in the error shape, logging no error', async () => {
    const before = server.logs.lines.length;
    const cases = [
      { method: 'POST' as const, url: '/trpc/auth.login', headers: { 'content-type': 'text/plain' }, payload: '{"email":"a@b.test","password":"x"}' },
      { method: 'POST' as const, url: '/trpc/integrations.list', headers: { 'content-type': 'text/plain' }, payload: 'hello' },
      { method: 'DELETE' as const, url: '/trpc/auth.me' },
      { method: 'PUT' as const, url: '/trpc/auth.me', headers: { 'content-type': 'application/json' }, payload: '{}' },
      // Found by the fuzz fault scenario (issue 20 §5): both were a 500 with a stack.
      // light-my-request's types list no TRACE, but it sends one.
      { method: 'TRACE' as unknown as 'GET', url: '/trpc/auth.me' },
      { method: 'POST' as const, url: '/trpc/clients.create', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '{}' },
      { method: 'DELETE' as const, url: '/trpc/clients.rename', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--' },
    ];
    for (const c of cases) {
      const res = await server.app.inject(c);
      expect(res.statusCode, `${c.method} ${c.url}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${c.method} ${c.url}`).toBeLessThan(500);
      const body = res.json();
      expect(body.error ?? body[0]?.error, `${c.method} ${c.url}`).toBeTruthy();
    }
    const errors = server.logs.lines.slice(before).filter((line) => JSON.parse(line).level >= 50);
    expect(errors).toEqual([]);
  });

  it('answers a path parameter over the router limit with 400 in the error shape, not echoing it', async () => {
    // Found by the fuzz fault scenario: Fastify's own 414 body ({ error: 'Bad Request', code: 'FST_ERR_…' }).
    const res = await server.app.inject({ url: `/api/integrations/${'x'.repeat(200)}/audit` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'A path parameter is longer than 100 characters' } });
  });

  it('answers text PostgreSQL cannot store (NUL, an unpaired surrogate) with 400, logging no error', async () => {
    // Found by the fuzz fault scenario: each was a 500 with the database's error logged.
    const partner = await makePartner(server.deps.db);
    const auth = `Bearer ${await server.tokenFor(await makeUser(server.deps.db, partner.id))}`;
    const before = server.logs.lines.length;
    const cases = [
      { method: 'POST' as const, url: '/api/clients', payload: '{"name":"a\\u0000b"}' },
      { method: 'PUT' as const, url: '/api/mspbackups/config', payload: '{"apiLogin":"a\\u0000b","apiPassword":"secret-password","enabled":true}' },
      { method: 'PUT' as const, url: '/api/mspbackups/config', payload: '{"apiLogin":"a\\ud800b","apiPassword":"secret-password","enabled":true}' },
      { method: 'POST' as const, url: '/trpc/clients.create', payload: '{"name":"\\u0000"}' },
    ];
    for (const c of cases) {
      const res = await server.app.inject({ ...c, headers: { authorization: auth, 'content-type': 'application/json' } });
      expect(res.statusCode, c.payload).toBe(400);
      expect(res.json().error.data?.error ?? res.json().error, c.payload).toEqual({ code: 'BAD_REQUEST', message: unstorableTextMessage });
    }
    expect(server.logs.lines.slice(before).filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });

  it('tags every response and log line with a request id, reusing a safe incoming one', async () => {
    const res = await server.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
    const unsafe = await server.app.inject({ url: '/healthz', headers: { 'x-request-id': 'evil\nline' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const line = server.logs.lines.map((l) => JSON.parse(l)).find((l) => l.reqId === 'abc-123');
    expect(line).toBeDefined();
  });

  it('logs request paths without their query string', async () => {
    await server.app.inject({ url: '/healthz?api_key=canary-query-value' });
    expect(server.logs.text()).not.toContain('canary-query-value');
  });
});
