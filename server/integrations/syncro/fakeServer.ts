import net from 'node:net';
import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';
import { syncroExamples } from './examples.js';
import { syncroPermissions } from './settings.js';

/**
 * A loopback Syncro speaking what `shared/vendor-apis.md` §1 records, with its sources:
 * - `/api/v1` paths; the token as `Authorization: Bearer <t>` [H: SYN-SW configuration.rb] or
 *   `?api_key=<t>` [M: N8N-SYN];
 * - per-token permissions: a list the token may not read answers **401**
 *   `{"error":"Not authorized. Please ask account admin to update your group permissions."}`
 *   [H: SYN-SW26, every list operation's example] (not 403, which only STITCH [L] claims);
 * - pages of 25, 1-based [H: SYN-SW: "each 'page' contains 25 results", repeated in SYN-SW26's
 *   parameter text]; customers' `meta` complete, tickets' `meta` only `{total_pages, page}` as in
 *   the published examples [H: SYN-SW26]. The customers example itself says `per_page: 100`
 *   [H: SYN-SW26], so `customersPerPage: 100` serves that reading; no `per_page` parameter is
 *   honoured (unconfirmed, vendor-apis.md §1);
 * - 180 requests a minute **per source IP address**, whatever the account [H: SYN-DOC, SYN-SW26],
 *   answered 429 without Retry-After [L: STITCH].
 *
 * Where the sources say **unknown**, this fake chose (and the plugin does not depend on it):
 * - bad token: 401 `{"error":"Unauthorized"}` (vendor-apis.md: "likely 401");
 * - a 429 or 5xx body: `{"error": …}` like Syncro's other errors;
 * - unknown subdomain: 404 with an HTML page, as a wildcard host with no account plausibly answers;
 * - `/me` body: `{user_id, user_name, email}`; `/me` needs no permission.
 *
 * Tenants are subdomains. Both URL forms work: the path form
 * `http://127.0.0.1:PORT/{subdomain}/api/v1` (what SYNCRO_BASE_URL points at in tests and the
 * demo) and the host form `http://{subdomain}.localhost:PORT/api/v1`.
 */
export interface FakeSyncro {
  /** A SYNCRO_BASE_URL template for this fake: `http://127.0.0.1:PORT/{subdomain}/api/v1`. */
  readonly baseUrl: string;
  readonly origin: string;
  /** Adds or replaces an account. Tokens get every permission unless `permissions` says otherwise. */
  addTenant(subdomain: string, spec: SyncroTenantSpec): void;
  setFaults(patch: Partial<FaultSwitches>, subdomain?: string): void;
  resetFaults(): void;
  /** Requests received, by vendor path ("/me", "/customers", "/tickets") and/or subdomain. */
  requestCount(filter?: { path?: string; tenant?: string }): number;
  resetCounts(): void;
  /** Bytes streamed for `hugeBodyBytes`, to see that a client stopped reading. */
  readonly hugeBytesSent: number;
  close(): Promise<void>;
}

export interface SyncroTenantSpec {
  tokens: { token: string; permissions?: string[] }[];
  /** How many customers and tickets the account holds (defaults 30 and 7: two pages, one page). */
  customers?: number;
  tickets?: number;
  /** Business names by customer id, replacing the generated ones (a rename at the vendor). */
  customerNames?: Record<number, string>;
}

export interface FakeSyncroOptions {
  port?: number;
  /**
   * Syncro's documented limit, enforced per client address (all subdomains together) in fixed
   * one-minute windows; null turns it off (benchmarks that deliberately push more).
   */
  rateLimitPerMinute?: number | null;
  /** Customers a page: 25 (the swagger's text, default) or 100 (its customers example). */
  customersPerPage?: number;
}

const pageSize = 25;
const allPermissions = Object.values(syncroPermissions);

interface Tenant {
  tokens: Map<string, string[]>;
  customers: number;
  tickets: number;
  customerNames: Record<number, string>;
}

export async function startFakeSyncro(options: FakeSyncroOptions = {}): Promise<FakeSyncro> {
  const tenants = new Map<string, Tenant>();
  /** Requests in the current minute, by client address. */
  const windows = new Map<string, { startedAt: number; count: number }>();
  const limit = options.rateLimitPerMinute === undefined ? 180 : options.rateLimitPerMinute;
  const customersPerPage = options.customersPerPage ?? pageSize;

  const http = new FakeVendorHttp({
    name: 'Syncro',
    identify(req, url) {
      const byPath = /^\/([^/]+)(\/api\/v1(?:\/.*)?)$/.exec(url.pathname);
      const hostName = (req.headers.host ?? '').replace(/:\d+$/, '');
      const byHost = !net.isIP(hostName) && hostName.includes('.') ? hostName.split('.')[0] : undefined;
      const subdomain = byPath?.[1] ? decodeURIComponent(byPath[1]).toLowerCase() : byHost?.toLowerCase();
      const apiPath = byPath?.[2] ?? url.pathname;
      if (!subdomain || !tenants.has(subdomain)) return notFoundPage();
      if (!apiPath.startsWith('/api/v1')) return notFoundPage();
      return { tenant: subdomain, path: apiPath.slice('/api/v1'.length) || '/' };
    },
    route: (req) => route(req),
    errorBody(status) {
      if (status === 429) return { status, json: { error: 'Rate limit exceeded' } };
      // A refusal forced by `serverError: {status: 401 | 403}` carries Syncro's documented body.
      if (status === 401 || status === 403) return { status, json: syncroExamples.permissionDenied };
      return { status, json: { error: status === 503 ? 'Service Unavailable' : 'Internal Server Error' } };
    },
  });
  await http.start(options.port);

  function route(req: FakeRequest): FakeResponse {
    const tenant = tenants.get(req.tenant ?? '') as Tenant;
    if (limit !== null && overLimit(windows, req.remoteAddress, limit)) return { status: 429, json: { error: 'Rate limit exceeded' } };
    const token = bearer(req.headers.authorization) ?? req.query.get('api_key') ?? undefined;
    const granted = token === undefined ? undefined : tenant.tokens.get(token);
    if (!granted || req.faults.badCredentials) return { status: 401, json: { error: 'Unauthorized' } };
    const permissions = granted.filter((p) => !req.faults.missingPermissions.includes(p));
    if (req.method !== 'GET') return { status: 404, json: { error: 'Not found' } };
    const page = Math.max(1, Number.parseInt(req.query.get('page') ?? '1', 10) || 1);
    switch (req.path) {
      case '/me':
        return { status: 200, json: { user_id: 1, user_name: `${req.tenant} admin`, email: `admin@${req.tenant}.example` } };
      case '/customers':
        if (!permissions.includes(syncroPermissions.customers)) return permissionDenied();
        return { status: 200, json: paged('customers', tenant.customers, page, (id) => customer(id, tenant.customerNames[id]), customersPerPage) };
      case '/tickets':
        if (!permissions.includes(syncroPermissions.tickets)) return permissionDenied();
        return { status: 200, json: ticketPage(tenant.tickets, page) };
      default:
        return { status: 404, json: { error: 'Not found' } };
    }
  }

  return {
    baseUrl: `${http.origin}/{subdomain}/api/v1`,
    origin: http.origin,
    addTenant(subdomain, spec) {
      tenants.set(subdomain.toLowerCase(), {
        tokens: new Map(spec.tokens.map((t) => [t.token, t.permissions ?? allPermissions])),
        customers: spec.customers ?? 30,
        tickets: spec.tickets ?? 7,
        customerNames: spec.customerNames ?? {},
      });
    },
    setFaults: (patch, subdomain) => http.setFaults(patch, subdomain?.toLowerCase()),
    resetFaults: () => http.resetFaults(),
    requestCount: (filter) => http.requestCount(filter),
    resetCounts: () => http.resetCounts(),
    get hugeBytesSent() {
      return http.hugeBytesSent;
    },
    close: () => http.close(),
  };
}

function overLimit(windows: Map<string, { startedAt: number; count: number }>, address: string, limit: number): boolean {
  const now = Date.now();
  let window = windows.get(address);
  if (!window || now - window.startedAt >= 60_000) windows.set(address, (window = { startedAt: now, count: 0 }));
  window.count += 1;
  return window.count > limit;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function permissionDenied(): FakeResponse {
  return { status: 401, json: syncroExamples.permissionDenied };
}

function notFoundPage(): FakeResponse {
  return { status: 404, text: '<!DOCTYPE html><html><body><h1>The page you were looking for doesn\'t exist.</h1></body></html>' };
}

function paged<T>(key: string, total: number, page: number, make: (id: number) => T, size = pageSize) {
  const start = (page - 1) * size;
  const items: T[] = [];
  for (let id = start + 1; id <= Math.min(total, start + size); id++) items.push(make(id));
  return { [key]: items, meta: { total_pages: Math.max(1, Math.ceil(total / size)), total_entries: total, per_page: size, page } };
}

/** Tickets' `meta` carries only what Syncro's example carries. */
function ticketPage(total: number, page: number) {
  const { tickets, meta } = paged('tickets', total, page, ticket);
  return { tickets, meta: { total_pages: meta.total_pages, page } };
}

const created = '2026-01-05T09:00:00.000Z';

function customer(id: number, name?: string) {
  return { id, business_name: name ?? `Customer ${id} Ltd`, firstname: 'Ada', lastname: `Client${id}`, email: `it@customer${id}.example`, phone: '555-0100', disabled: false, created_at: created };
}

function ticket(id: number) {
  return { id, number: 1000 + id, subject: `Ticket ${id}`, customer_id: 1 + (id % 3), status: id % 2 ? 'New' : 'In Progress', problem_type: 'Other', created_at: created, updated_at: created, comments: [] };
}
