import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserModeCore, type BrowserModeCore } from '../browserMode.js';
import { rawRequest } from '../test/httpClient.js';
import { dataTopics } from '../../../shared/localApi.js';
import { launchTokenHeader } from './httpHost.js';

let dir: string;
let core: BrowserModeCore;
let token: string;
let port: number;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-host-'));
  const staticDir = path.join(dir, 'renderer');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'outside.txt'), 'private');
  // Nothing listens on port 9 (discard): the core starts offline, which is fine here.
  core = await startBrowserModeCore({ serverUrl: 'http://127.0.0.1:9', dataDir: path.join(dir, 'data'), port: 0, staticDir });
  port = core.host.port;
  token = decodeURIComponent(new URL(core.host.url).hash.replace('#launch=', ''));
});
afterAll(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const status = '/trpc/session.status';

describe('browser-mode local API', () => {
  it('listens on 127.0.0.1 and prints a URL with the launch token in the fragment', () => {
    expect(core.host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#launch=.{40,}$`));
  });

  it('answers a call with the launch token', async () => {
    const res = await rawRequest(port, { path: status, headers: { [launchTokenHeader]: token } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ result: { data: { state: 'signedOut', tokenStorage: 'file' } } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a call without the token or with a wrong one', async () => {
    const missing = await rawRequest(port, { path: status });
    const wrong = await rawRequest(port, { path: status, headers: { [launchTokenHeader]: `${token.slice(0, -1)}x` } });
    const short = await rawRequest(port, { path: status, headers: { [launchTokenHeader]: 'x' } });
    for (const res of [missing, wrong, short]) {
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('refuses a foreign Host header even with the right token (DNS rebinding)', async () => {
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost.evil.example:${port}`]) {
      const res = await rawRequest(port, { path: status, headers: { host, [launchTokenHeader]: token } });
      expect(res.status, host).toBe(421);
    }
    const page = await rawRequest(port, { path: '/', headers: { host: `evil.example:${port}` } });
    expect(page.status).toBe(421);
    const local = await rawRequest(port, { path: status, headers: { host: `localhost:${port}`, [launchTokenHeader]: token } });
    expect(local.status).toBe(200);
  });

  it('refuses a cross-origin call even with the right token', async () => {
    const res = await rawRequest(port, { path: status, headers: { origin: 'https://evil.example', [launchTokenHeader]: token } });
    expect(res.status).toBe(403);
  });

  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const page = await rawRequest(port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await rawRequest(port, { path: '/integrations/syncro' })).body).toContain('id="root"');
    expect((await rawRequest(port, { path: '/assets/app.js' })).headers['content-type']).toMatch(/javascript/);
    for (const p of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt']) {
      const res = await rawRequest(port, { path: p });
      expect(res.body, p).not.toContain('private');
    }
  });

  it('streams change events (SSE) only to a caller with the launch token and our Host', async () => {
    const path = '/trpc/events.subscribe';
    expect((await rawRequest(port, { path })).status).toBe(401);
    expect((await rawRequest(port, { path, headers: { host: `evil.example:${port}`, [launchTokenHeader]: token } })).status).toBe(421);
    expect((await rawRequest(port, { path, headers: { origin: 'https://evil.example', [launchTokenHeader]: token } })).status).toBe(403);

    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { [launchTokenHeader]: token, accept: 'text/event-stream' }, signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('"hello":true')) text += new TextDecoder().decode((await reader.read()).value);
    // The first event names every topic, so a new subscriber refetches everything.
    expect(text).toContain(JSON.stringify({ topics: dataTopics, hello: true }));
    abort.abort();
  });

  it('answers a refused local call with an error body, never a hang', async () => {
    const res = await rawRequest(port, { path: '/trpc/catalog.list', headers: { [launchTokenHeader]: token } });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: { data: { error: { code: 'UNAUTHORIZED', message: 'Sign in to see your integrations' } } } });
  });
});
