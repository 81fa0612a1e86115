import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePartner, makeUser } from '../../../server/test/factories.js';
import { createTestServer, type TestServer } from '../../../server/test/harness.js';
import { TransportError } from '../sync/transport.js';
import { callServer, subscriptionPath } from './serverApi.js';

/** Whatever callServer threw, which must be a TransportError. */
async function failure(run: Promise<unknown>): Promise<TransportError> {
  const error: unknown = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

/** A loopback HTTP server answering every request with `handler`, for answers the real server never gives. */
async function loopback(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('callServer against the real server', () => {
  let server: TestServer;
  let url: string;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  beforeAll(async () => {
    // One failed sign-in per account, so the second is refused with a Retry-After.
    server = await createTestServer({ deps: { loginLimits: { perIp: { limit: 100, windowMs: 60_000 }, perAccountAddress: { limit: 1, windowMs: 60_000 } } } });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    admin = await makeUser(server.deps.db, (await makePartner(server.deps.db)).id, 'partner_admin');
  });
  afterAll(() => server.close());

  it('returns the typed answer of a procedure, with the token of the call', async () => {
    const token = await server.tokenFor(admin);
    const me = await callServer({ serverUrl: url }, { token }, (api) => api.auth.me.query());
    expect(me).toMatchObject({ id: admin.id, email: admin.email, partnerId: admin.partnerId });
    const signedOut = await failure(callServer({ serverUrl: url }, {}, (api) => api.auth.me.query()));
    expect(signedOut).toMatchObject({ kind: 'unauthorized', extra: { status: 401, code: 'UNAUTHORIZED' } });
  });

  it("reads a refusal back with the server's code, field errors and Retry-After", async () => {
    const wrong = await failure(callServer({ serverUrl: url }, {}, (api) => api.auth.login.mutate({ email: admin.email, password: 'wrong-password' })));
    expect(wrong).toMatchObject({ kind: 'unauthorized', message: 'Email or password is incorrect', extra: { code: 'UNAUTHORIZED' } });
    const limited = await failure(callServer({ serverUrl: url }, {}, (api) => api.auth.login.mutate({ email: admin.email, password: 'wrong-again' })));
    expect(limited).toMatchObject({ kind: 'transient', extra: { status: 429, code: 'RATE_LIMITED' } });
    expect(limited.extra.retryAfterMs).toBeGreaterThan(0);

    const token = await server.tokenFor(admin);
    const invalid = await failure(callServer({ serverUrl: url }, { token }, (api) => api.health.history.query({ key: '' })));
    expect(invalid).toMatchObject({ kind: 'fatal', extra: { code: 'VALIDATION_FAILED' } });
    expect(Object.keys(invalid.extra.fields ?? {})).toContain('key');
  });

  it("reads Fastify's own REST-shaped refusal (a body over the limit) too", async () => {
    const token = await server.tokenFor(admin);
    const huge = { clientId: 'c'.repeat(300 * 1024), mutations: [] };
    const refused = await failure(callServer({ serverUrl: url }, { token }, (api) => api.sync.push.mutate(huge)));
    expect(refused).toMatchObject({ kind: 'fatal', extra: { status: 413, code: 'PAYLOAD_TOO_LARGE' } });
  });
});

describe('callServer when there is no usable answer', () => {
  it('is offline when nothing listens, or when the answer takes longer than the timeout', async () => {
    const closed = await loopback(() => undefined);
    closed.server.close();
    expect(await failure(callServer({ serverUrl: closed.url }, {}, (api) => api.auth.me.query()))).toMatchObject({ kind: 'offline' });

    const silent = await loopback(() => undefined);
    try {
      const slow = await failure(callServer({ serverUrl: silent.url }, { timeoutMs: 200 }, (api) => api.auth.me.query()));
      expect(slow.kind).toBe('offline');
      expect(slow.message).toMatch(/^The server cannot be reached \(.*timeout/);
    } finally {
      silent.server.closeAllConnections();
      silent.server.close();
    }
  });

  it('classifies a proxy page by its status, and a 200 that is not tRPC as transient', async () => {
    let status = 502;
    const proxy = await loopback((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/html', 'retry-after': '7' });
      res.end('<html>Bad gateway</html>');
    });
    try {
      const gateway = await failure(callServer({ serverUrl: proxy.url }, {}, (api) => api.auth.me.query()));
      expect(gateway).toMatchObject({ kind: 'transient', message: 'The server answered 502', extra: { status: 502, retryAfterMs: 7000 } });
      status = 404;
      expect(await failure(callServer({ serverUrl: proxy.url }, {}, (api) => api.auth.me.query()))).toMatchObject({ kind: 'fatal', extra: { status: 404 } });
      status = 200;
      expect(await failure(callServer({ serverUrl: proxy.url }, {}, (api) => api.auth.me.query()))).toMatchObject({ kind: 'transient', extra: { status: 200 } });
    } finally {
      proxy.server.close();
    }
  });
});

describe('subscriptionPath', () => {
  it("names the change feed and its input the way tRPC's links send them", () => {
    expect(subscriptionPath((api) => api.sync.changes.subscribe(undefined, {}))).toBe('/trpc/sync.changes');
    expect(subscriptionPath((api) => api.sync.changesPartner.subscribe({ partnerId: 7 }, {}))).toBe(`/trpc/sync.changesPartner?input=${encodeURIComponent('{"partnerId":7}')}`);
  });
});
