import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { launchFragmentKey, launchTokenHeader } from '../../../shared/localApi.js';
import type { LocalServices } from '../api/contract.js';
import { localRouter } from '../api/router.js';
import { baseSecurityHeaders, rendererCsp } from './securityHeaders.js';
import { loadStatic } from './staticFiles.js';

// The token travels in a header, never a cookie: a cookie would be ambient authority any page could use.
export { launchTokenHeader };

export interface LocalHostOptions {
  services: LocalServices;
  /** Random per launch; the renderer gets it in the URL fragment. */
  launchToken: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer); null serves the API only. */
  staticDir: string | null;
}

export interface LocalHost {
  port: number;
  /** The URL to open, with the launch token in the fragment (never sent to a server). */
  url: string;
  close(): Promise<void>;
}

/**
 * Browser mode's host: the local API over HTTP plus the built renderer, on 127.0.0.1 only.
 * Every request must name us in its Host header (a page on another site that rebinds its DNS
 * name to 127.0.0.1 sends its own name), and every API call must carry the launch token, so
 * neither a website nor another local user can drive the core.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const expectedToken = Buffer.from(options.launchToken);
  let allowedHosts = new Set<string>();
  const trpc = createHTTPHandler({
    router: localRouter,
    basePath: '/trpc/',
    maxBodySize: 1_000_000,
    // The token was checked before tRPC ran; nothing more to check per call.
    createContext: () => ({ services: options.services, checkCaller: () => undefined }),
  });

  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(baseSecurityHeaders)) res.setHeader(name, value);
    if (!allowedHosts.has(req.headers.host ?? '')) return refuse(res, 421, 'FORBIDDEN', 'This address is not served here');
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname.startsWith('/trpc/')) {
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) return refuse(res, 403, 'FORBIDDEN', 'Cross-origin calls are refused');
      if (!tokenMatches(req.headers[launchTokenHeader], expectedToken)) return refuse(res, 401, 'UNAUTHORIZED', 'Missing or wrong launch token');
      res.setHeader('cache-control', 'no-store');
      return void trpc(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'BAD_REQUEST', 'Method not allowed');
    if (!options.staticDir) return refuse(res, 404, 'NOT_FOUND', 'No renderer is served here');
    void serveStatic(options.staticDir, url.pathname, req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    port,
    url: `http://127.0.0.1:${port}/#${launchFragmentKey}=${encodeURIComponent(options.launchToken)}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function tokenMatches(header: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuse(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}

async function serveStatic(root: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const file = await loadStatic(root, pathname);
  if (!file) return refuse(res, 404, 'NOT_FOUND', 'Not found');
  const headers: Record<string, string> = { 'content-type': file.contentType, 'content-length': String(file.body.length) };
  if (file.isHtml) {
    headers['content-security-policy'] = rendererCsp;
    headers['cache-control'] = 'no-store';
  } else {
    headers['cache-control'] = 'no-cache';
  }
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
