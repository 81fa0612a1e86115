import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { startBudget } from './budget.js';
import { VendorError } from './errors.js';
import { withInteraction, type InteractionEntry, type InteractionScope } from './interactionScope.js';
import { createVendorClient, htmlBodyReason, type VendorRequest } from './vendorClient.js';

// A real loopback server whose behaviour each test picks by path.
const seen = new Map<string, number>();
let server: http.Server;
let origin: string;
const token = 'tok_0123456789abcdef';
const logs = captureLogs('trace');

function hit(path: string): number {
  const n = (seen.get(path) ?? 0) + 1;
  seen.set(path, n);
  return n;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const n = hit(path);
    switch (path) {
      case '/ok':
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"fine":true}');
      case '/reset-once':
        if (n === 1) return req.socket.destroy();
        return res.writeHead(200).end('{"fine":true}');
      case '/declared-huge':
        res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
        return res.write('{"a":');
      case '/dated-retry':
        if (n === 1) return res.writeHead(429, { 'retry-after': new Date(Date.now() + 1_500).toUTCString() }).end();
        return res.writeHead(200).end('[]');
      case '/post-500':
        return res.writeHead(500, { 'content-type': 'application/json' }).end('{"Message":"An error has occurred."}');
      case '/redirect':
        return res.writeHead(302, { location: '/elsewhere' }).end();
      case '/echo-token':
        return res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `Invalid token ${token} for this account` }));
      case '/spa-index':
        // A single-page app's server answering index.html, 200, for any path.
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>App</title></head><body></body></html>');
      case '/broken-json':
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"cut":');
      case '/patch-echo':
        if (req.method !== 'PATCH') return res.writeHead(405).end();
        return void req.pipe(res.writeHead(200, { 'content-type': 'application/json' }));
      case '/html-error':
        return res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
      case '/slow-headers':
        return void setTimeout(() => res.writeHead(200).end('{}'), 2_000);
      default:
        return res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = createVendorClient({
  vendor: 'Test',
  rateLimit: { perMinute: 6_000, burst: 50 },
  requestTimeoutMs: 500,
  maxResponseBytes: 1024,
  retry: { baseDelayMs: 20, maxDelayMs: 50, maxRetryAfterMs: 5_000 },
});

function req(path: string, extra: Partial<VendorRequest> = {}): VendorRequest {
  return {
    method: 'GET',
    url: new URL(path, origin),
    operation: `GET ${path}`,
    headers: { authorization: `Bearer ${token}` },
    budget: startBudget(new AbortController().signal, 4_000),
    log: logs.log,
    secrets: [token],
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<VendorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VendorError);
  return error as VendorError;
}

describe('vendor client', () => {
  it('parses JSON answers', async () => {
    await expect(client.request(req('/ok'))).resolves.toMatchObject({ status: 200, data: { fine: true } });
  });

  it('sends PATCH with its JSON body', async () => {
    await expect(client.request(req('/patch-echo', { method: 'PATCH', operation: 'PATCH /patch-echo', json: { resolvedFilter: false } }))).resolves.toMatchObject({
      status: 200,
      data: { resolvedFilter: false },
    });
  });

  it('tells an HTML 200 apart from broken JSON', async () => {
    const html = await failure(client.request(req('/spa-index')));
    expect(html).toMatchObject({ kind: 'invalid_response', details: { reason: htmlBodyReason } });
    const broken = await failure(client.request(req('/broken-json')));
    expect(broken).toMatchObject({ kind: 'invalid_response', details: { reason: 'not valid JSON' } });
  });

  it('retries a dropped connection on a read and succeeds', async () => {
    await expect(client.request(req('/reset-once'))).resolves.toMatchObject({ data: { fine: true } });
    expect(seen.get('/reset-once')).toBe(2);
  });

  it('refuses a declared Content-Length above the cap without reading it', async () => {
    const error = await failure(client.request(req('/declared-huge')));
    expect(error.kind).toBe('too_large');
    expect(error.details.limitBytes).toBe(1024);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const started = Date.now();
    await expect(client.request(req('/dated-retry'))).resolves.toMatchObject({ data: [] });
    // The date has one-second resolution, so the wait is between 0.5 and 1.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('does not repeat a POST after a 500 (it may have been applied), and keeps the vendor message', async () => {
    const error = await failure(client.request(req('/post-500', { method: 'POST', operation: 'POST /post-500', json: { a: 1 } })));
    expect(error).toMatchObject({ kind: 'server_error', details: { status: 500, vendorMessage: 'An error has occurred.' } });
    expect(seen.get('/post-500')).toBe(1);
  });

  it('never follows a redirect', async () => {
    const error = await failure(client.request(req('/redirect')));
    expect(error.kind).toBe('redirect');
    expect(seen.get('/elsewhere')).toBeUndefined();
  });

  it('strips a credential the vendor echoes back, and ignores HTML error pages', async () => {
    const echoed = await failure(client.request(req('/echo-token')));
    expect(echoed.details.vendorMessage).toBe('Invalid token [redacted] for this account');
    const html = await failure(client.request(req('/html-error')));
    expect(html.details.vendorMessage).toBeUndefined();
  });

  it('bounds an attempt by the request timeout', async () => {
    const error = await failure(client.request(req('/slow-headers')));
    expect(error).toMatchObject({ kind: 'timeout', details: { timeoutMs: 500 } });
  });

  it('reports a refused connection as a network error after the retries', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(client.request(req(`http://127.0.0.1:${port}/`)));
    expect(error).toMatchObject({ kind: 'network', details: { code: 'ECONNREFUSED' } });
  });

  it('logs without credentials, query strings or bodies', async () => {
    await client.request(req('/ok?api_key=should-not-appear'));
    const text = logs.text();
    expect(text).toContain('"path":"/ok"');
    expect(text).not.toContain(token);
    expect(text).not.toContain('should-not-appear');
    expect(text).not.toContain('An error has occurred');
  });
});

describe('vendor client: the interaction log', () => {
  const entries: InteractionEntry[] = [];
  const scope: InteractionScope = { partnerId: 7, integrationKey: 'test', kind: 'action', actionId: 'test.things.get', userId: 3, recorder: { record: (_s, e) => entries.push(e) } };
  const recorded = async (run: () => Promise<unknown>) => {
    entries.length = 0;
    await withInteraction(scope, run).catch(() => undefined);
    expect(entries).toHaveLength(1);
    return entries[0] as InteractionEntry;
  };

  it('hands the scope one entry per finished call: path without the query, the bodies, the secrets', async () => {
    const ok = await recorded(() => client.request(req('/ok?api_key=should-not-appear', { method: 'POST', operation: 'POST /ok', json: { subject: 'hi' } })));
    expect(ok).toMatchObject({ vendor: 'Test', method: 'POST', path: '/ok', status: 200, retries: 0, outcome: 'ok', requestBody: { subject: 'hi' }, responseBody: { fine: true }, secrets: [token] });
    expect(JSON.stringify(ok)).not.toContain('should-not-appear');
  });

  it('counts retries, and records a vendor error with its answer and a failure without one', async () => {
    seen.delete('/reset-once');
    expect(await recorded(() => client.request(req('/reset-once')))).toMatchObject({ outcome: 'ok', retries: 1 });
    const refused = await recorded(() => client.request(req('/echo-token')));
    // The raw answer goes to the recorder, which scrubs `secrets` before storing anything.
    expect(refused).toMatchObject({ outcome: 'vendor_error', status: 401, errorKind: 'unauthorized', responseBody: { error: `Invalid token ${token} for this account` } });
    const slow = await recorded(() => client.request(req('/slow-headers')));
    expect(slow).toMatchObject({ outcome: 'failed', status: null, errorKind: 'timeout' });
    expect(slow.durationMs).toBeGreaterThanOrEqual(400);
  });

  it('lets an action pass health checks queued on the same bucket (actions first)', async () => {
    const tight = createVendorClient({ vendor: 'Tight', rateLimit: { perMinute: 1_200, burst: 1 } });
    try {
      const done: string[] = [];
      const health = { ...scope, kind: 'health' as const, actionId: 'health', recorder: undefined };
      const sweep = Array.from({ length: 8 }, (_, i) => withInteraction(health, () => tight.request(req('/ok'))).then(() => done.push(`health ${i}`)));
      await new Promise((resolve) => setTimeout(resolve, 10));
      await withInteraction({ ...scope, recorder: undefined }, () => tight.request(req('/ok')));
      done.push('action');
      await Promise.all(sweep);
      // One check had the only token; at 50 ms a token, in arrival order the action would be ninth.
      expect(done.indexOf('action')).toBeLessThanOrEqual(2);
    } finally {
      await tight.close();
    }
  });

  it('keeps a credential that travels in the path (a webhook token) out of log lines, errors and the entry', async () => {
    const hook = 'whk_secret_0123456789';
    const before = logs.lines.length;
    const entry = await recorded(() => client.request(req(`/hooks/${hook}`, { method: 'POST', operation: 'POST /hooks/{token}', json: {}, secrets: [token, hook] })));
    expect(entry).toMatchObject({ path: '/hooks/[redacted]', status: 404 });
    const error = await failure(client.request(req(`/hooks/${hook}`, { operation: 'GET /hooks/{token}', secrets: [token, hook] })));
    expect(JSON.stringify(error.details)).not.toContain(hook);
    const text = logs.lines.slice(before).join('\n');
    expect(text).toContain('/hooks/[redacted]');
    expect(text).not.toContain(hook);
  });

  it('records nothing outside a scope or without a recorder', async () => {
    entries.length = 0;
    await client.request(req('/ok'));
    await withInteraction({ ...scope, recorder: undefined }, () => client.request(req('/ok')));
    expect(entries).toEqual([]);
  });
});
