import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePartner, makeUser } from '../test/factories.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { trpcOptions } from './app.js';
import { registerTrpcRoute } from './trpcRoute.js';

/**
 * The direct route must answer exactly as tRPC's own adapter does: each request goes to an app
 * with the shipped route and to one with tRPC's Fastify plugin, over the same dependencies and
 * options, and the two answers are compared.
 */
describe('tRPC route (direct single calls)', () => {
  let server: TestServer;
  let shipped: FastifyInstance;
  let reference: FastifyInstance;
  const errors: { app: string; code: string }[] = [];
  let admin = '';
  let technician = '';

  beforeAll(async () => {
    server = await createTestServer();
    const options = (app: string) => {
      const base = trpcOptions(server.deps);
      return { ...base, onError: (o: Parameters<typeof base.onError>[0]) => void errors.push({ app, code: o.error.code }) };
    };
    shipped = Fastify();
    await registerTrpcRoute(shipped, '/trpc', options('shipped'));
    reference = Fastify();
    await reference.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: options('reference') });
    const partner = await makePartner(server.deps.db);
    admin = `Bearer ${await server.tokenFor(await makeUser(server.deps.db, partner.id, 'partner_admin'))}`;
    technician = `Bearer ${await server.tokenFor(await makeUser(server.deps.db, partner.id, 'partner_user'))}`;
  });
  afterAll(async () => {
    await Promise.all([shipped?.close(), reference?.close()]);
    await server.close();
  });

  const json = { 'content-type': 'application/json' };
  const cases: { name: string; request: () => InjectOptions; status: number; direct?: false }[] = [
    { name: 'a query', request: () => ({ url: '/trpc/auth.me', headers: { authorization: admin } }), status: 200 },
    { name: 'a query with input', request: () => ({ url: `/trpc/integrations.get?input=${encodeURIComponent('{"key":"syncro"}')}`, headers: { authorization: admin } }), status: 200 },
    { name: 'no token', request: () => ({ url: '/trpc/auth.me' }), status: 401 },
    { name: 'a bad token', request: () => ({ url: '/trpc/auth.me', headers: { authorization: 'Bearer nope' } }), status: 401 },
    { name: 'input that fails validation', request: () => ({ url: `/trpc/integrations.get?input=${encodeURIComponent('{"key":42}')}`, headers: { authorization: admin } }), status: 400 },
    { name: 'input that is not JSON', request: () => ({ url: '/trpc/integrations.get?input=%7B', headers: { authorization: admin } }), status: 400 },
    { name: 'an unknown integration', request: () => ({ url: `/trpc/integrations.get?input=${encodeURIComponent('{"key":"nope"}')}`, headers: { authorization: admin } }), status: 404 },
    { name: 'a mutation refused by role', request: () => ({ method: 'POST', url: '/trpc/clients.create', headers: { ...json, authorization: technician }, payload: '{"name":"Fabrikam"}' }), status: 403 },
    { name: 'a mutation with invalid fields', request: () => ({ method: 'POST', url: '/trpc/clients.create', headers: { ...json, authorization: admin }, payload: '{"name":""}' }), status: 400 },
    { name: 'a mutation body that is not JSON', request: () => ({ method: 'POST', url: '/trpc/clients.create', headers: { ...json, authorization: admin }, payload: '{"name":' }), status: 400 },
    { name: 'a mutation with no content type (handed to tRPC)', request: () => ({ method: 'POST', url: '/trpc/clients.create', headers: { authorization: admin } }), status: 400, direct: false },
    { name: 'a mutation with an empty JSON body', request: () => ({ method: 'POST', url: '/trpc/clients.create', headers: { ...json, authorization: admin }, payload: '' }), status: 400 },
    { name: 'a refused login', request: () => ({ method: 'POST', url: '/trpc/auth.login', headers: json, payload: '{"email":"nobody@example.test","password":"wrong password"}' }), status: 401 },
    { name: 'a mutation by GET (handed to tRPC)', request: () => ({ url: '/trpc/clients.create', headers: { authorization: admin } }), status: 404, direct: false },
    { name: 'a query by POST (handed to tRPC)', request: () => ({ method: 'POST', url: '/trpc/auth.me', headers: { ...json, authorization: admin }, payload: '{}' }), status: 404, direct: false },
    { name: 'an unknown procedure', request: () => ({ url: '/trpc/nothing.here', headers: { authorization: admin } }), status: 404, direct: false },
    { name: 'a batch (handed to tRPC)', request: () => ({ url: `/trpc/auth.me,integrations.list?batch=1&input=${encodeURIComponent('{}')}`, headers: { authorization: admin } }), status: 200, direct: false },
  ];

  it.each(cases)('answers $name as tRPC does', async ({ request, status, direct }) => {
    errors.length = 0;
    const [ours, theirs] = [await shipped.inject(request()), await reference.inject(request())];
    expect([ours.statusCode, theirs.statusCode]).toEqual([status, status]);
    expect(ours.json()).toEqual(theirs.json());
    // Fastify names the charset of a text body; tRPC's client reads either.
    const mediaType = (value: unknown) => String(value).split(';')[0];
    expect(mediaType(ours.headers['content-type'])).toBe(mediaType(theirs.headers['content-type']));
    for (const header of ['vary', 'retry-after']) expect([header, ours.headers[header]]).toEqual([header, theirs.headers[header]]);
    // One onError per failed call, with the same code, whichever route answered.
    expect(errors.filter((e) => e.app === 'shipped').map((e) => e.code)).toEqual(errors.filter((e) => e.app === 'reference').map((e) => e.code));
    // A call answered directly is buffered: a content-length, never a chunked body.
    if (direct !== false) expect(ours.headers['content-length']).toBe(String(Buffer.byteLength(ours.body)));
  });

  it('names Retry-After on a refusal that carries one (login attempts over the limit)', async () => {
    const login = { method: 'POST' as const, url: '/trpc/auth.login', headers: json, payload: '{"email":"limited@example.test","password":"wrong password"}' };
    for (let i = 0; i < 10; i++) await reference.inject(login);
    const [ours, theirs] = [await shipped.inject(login), await reference.inject(login)];
    expect([ours.statusCode, theirs.statusCode]).toEqual([429, 429]);
    expect(ours.json()).toEqual(theirs.json());
    expect(Number(ours.headers['retry-after'])).toBeGreaterThan(0);
    expect(Math.abs(Number(ours.headers['retry-after']) - Number(theirs.headers['retry-after']))).toBeLessThanOrEqual(1);
  });

  it('answers a successful mutation in the same shape', async () => {
    const call = (name: string) => ({ method: 'POST' as const, url: '/trpc/clients.create', headers: { ...json, authorization: admin }, payload: JSON.stringify({ name }) });
    const [ours, theirs] = [await shipped.inject(call('Contoso One')), await reference.inject(call('Contoso Two'))];
    expect([ours.statusCode, theirs.statusCode]).toEqual([200, 200]);
    const shape = (body: { result: { data: Record<string, unknown> } }) => Object.keys(body.result.data).sort();
    expect(shape(ours.json())).toEqual(shape(theirs.json()));
    expect(ours.json().result.data.name).toBe('Contoso One');
  });
});
