import { setMaxListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What a fake vendor can be told to do wrong. Set globally or per tenant (a tenant's switches
 * replace the global ones for its requests). Counted faults (`rateLimited`, `serverError`) are
 * used up request by request, so "429 once, then success" is `{ rateLimited: { times: 1 } }`.
 */
export interface FaultSwitches {
  /** Every credential is refused as the vendor refuses a bad one. */
  badCredentials: boolean;
  /** Permission names taken away from every credential. */
  missingPermissions: string[];
  /** The next `times` requests get 429; with `Retry-After` when `retryAfterSeconds` is set. */
  rateLimited: { times: number; retryAfterSeconds?: number } | null;
  /** The next `times` requests get `status` (default 503; any error status, e.g. 403, with the vendor's body for it). */
  serverError: { times: number; status?: number } | null;
  /** Waited before every answer (slow vendor). */
  delayMs: number;
  /** Requests are accepted and never answered (until the fake closes). */
  hang: boolean;
  /** Successful answers carry JSON cut off in the middle. */
  malformedJson: boolean;
  /** Successful answers stream this many bytes of JSON, chunked, without Content-Length; 0 = off. */
  hugeBodyBytes: number;
  /** Only requests to these paths (vendor paths such as "/me") are affected; empty = all. */
  paths: string[];
}

export const noFaults = (): FaultSwitches => ({
  badCredentials: false,
  missingPermissions: [],
  rateLimited: null,
  serverError: null,
  delayMs: 0,
  hang: false,
  malformedJson: false,
  hugeBodyBytes: 0,
  paths: [],
});

/** A request as a fake vendor's routes see it. */
export interface FakeRequest {
  method: string;
  /** The vendor path without any tenant prefix, e.g. "/me" or "/api/Companies". */
  path: string;
  /** The URL path as received. */
  rawPath: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  tenant: string | undefined;
  faults: FaultSwitches;
  /** The client's address, for a vendor that limits per source IP (Syncro). */
  remoteAddress: string;
}

export interface FakeResponse {
  status: number;
  json?: unknown;
  /** A non-JSON body (e.g. an HTML error page). */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface FakeVendorSpec {
  name: string;
  /**
   * Splits the raw request into tenant and vendor path, or answers it at once (e.g. the page an
   * unknown host gets). A tenant is whatever the fake keys its switches by.
   */
  identify(req: http.IncomingMessage, url: URL, body: string): { tenant?: string; path: string } | FakeResponse;
  /** Answers a request once the faults that come first (delay, hang, 429, 5xx) have passed. */
  route(req: FakeRequest): FakeResponse | Promise<FakeResponse>;
  /** The vendor's body for a 429 or 5xx it produces itself. */
  errorBody(status: number): FakeResponse;
}

/** The plumbing every fake vendor shares: loopback server, switches, counters, clean shutdown. */
export class FakeVendorHttp {
  private server?: http.Server;
  private readonly globalFaults: FaultSwitches = noFaults();
  private readonly tenantFaults = new Map<string, FaultSwitches>();
  private readonly counts = new Map<string, number>();
  private readonly closing = new AbortController();
  private port = 0;
  /** Bytes written for huge bodies, so a test can see the client stopped reading. */
  hugeBytesSent = 0;

  constructor(private readonly spec: FakeVendorSpec) {
    // Every delayed answer waits on this one signal (and stops listening when it is sent), so a
    // busy fake has as many listeners as requests in flight: not a leak, no warning wanted.
    setMaxListeners(0, this.closing.signal);
  }

  /** Starts on 127.0.0.1 (port 0 = any free port). */
  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Changes switches globally, or for one tenant (its own set, starting from no faults). */
  setFaults(patch: Partial<FaultSwitches>, tenant?: string): void {
    if (tenant === undefined) Object.assign(this.globalFaults, patch);
    else this.tenantFaults.set(tenant, Object.assign(this.tenantFaults.get(tenant) ?? noFaults(), patch));
  }

  /** Back to no faults everywhere. */
  resetFaults(): void {
    Object.assign(this.globalFaults, noFaults());
    this.tenantFaults.clear();
  }

  /** Requests received, optionally only for one vendor path and/or one tenant. */
  requestCount(filter: { path?: string; tenant?: string } = {}): number {
    let total = 0;
    for (const [key, n] of this.counts) {
      const [tenant, path] = key.split('\u0000');
      if (filter.path !== undefined && filter.path !== path) continue;
      if (filter.tenant !== undefined && filter.tenant !== tenant) continue;
      total += n;
    }
    return total;
  }

  resetCounts(): void {
    this.counts.clear();
    this.hugeBytesSent = 0;
  }

  /** Stops accepting, drops every open connection (hanging ones included) and waits. */
  async close(): Promise<void> {
    this.closing.abort();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private faultsFor(tenant: string | undefined, path: string): FaultSwitches {
    const faults = (tenant !== undefined && this.tenantFaults.get(tenant)) || this.globalFaults;
    if (faults.paths.length && !faults.paths.includes(path)) return noFaults();
    return faults;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const body = await readBody(req);
    const who = this.spec.identify(req, url, body);
    if ('status' in who) return this.send(res, who, noFaults());
    const key = `${who.tenant ?? ''}\u0000${who.path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);

    const faults = this.faultsFor(who.tenant, who.path);
    if (faults.delayMs > 0) await sleep(faults.delayMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
    if (faults.hang || this.closing.signal.aborted) return; // never answered; close() drops the socket
    if (faults.rateLimited && faults.rateLimited.times > 0) {
      faults.rateLimited.times -= 1;
      const answer = this.spec.errorBody(429);
      if (faults.rateLimited.retryAfterSeconds !== undefined) {
        answer.headers = { ...answer.headers, 'retry-after': String(faults.rateLimited.retryAfterSeconds) };
      }
      return this.send(res, answer, faults);
    }
    if (faults.serverError && faults.serverError.times > 0) {
      faults.serverError.times -= 1;
      return this.send(res, this.spec.errorBody(faults.serverError.status ?? 503), faults);
    }
    const answer = await this.spec.route({ method: req.method ?? 'GET', path: who.path, rawPath: url.pathname, query: url.searchParams, headers: req.headers, body, tenant: who.tenant, faults, remoteAddress: req.socket.remoteAddress ?? '' });
    return this.send(res, answer, faults);
  }

  private send(res: http.ServerResponse, answer: FakeResponse, faults: FaultSwitches): void {
    const ok = answer.status >= 200 && answer.status < 300;
    if (ok && faults.hugeBodyBytes > 0) return this.streamHuge(res, faults.hugeBodyBytes);
    let text = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
    if (ok && faults.malformedJson) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    const contentType = answer.contentType ?? (answer.text !== undefined ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8');
    res.writeHead(answer.status, { 'content-type': contentType, ...answer.headers });
    res.end(text);
  }

  /** An endless-looking JSON array, written with backpressure and stopped when the client leaves. */
  private streamHuge(res: http.ServerResponse, total: number): void {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    const item = Buffer.from(`{"id":1,"name":"${'x'.repeat(1000)}"},`);
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed) {
        const chunk = sent === 0 ? Buffer.concat([Buffer.from('['), item]) : item;
        sent += chunk.length;
        this.hugeBytesSent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('{"id":0}]');
    };
    pump();
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
