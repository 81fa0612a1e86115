import net from 'node:net';
import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';
import { syncroPermissions } from './permissions.js';

/**
 * A loopback Syncro speaking what `shared/vendor-apis.md` §1 records: `/api/v1` paths, the token
 * as `Authorization: Bearer <t>` or `?api_key=<t>`, per-token permissions (403 when one is
 * missing), pages of 25 with `meta`, 429 over 180 requests a minute without Retry-After.
 *
 * Where the sources say **unknown**, this fake chose (and the plugin does not depend on it):
 * - bad token: 401 `{"error":"Unauthorized"}`; missing permission: 403 with an `error` text;
 * - unknown subdomain: 404 with an HTML page, as a wildcard host with no account plausibly answers;
 * - `/me` body: `{user_id, user_name, email}`.
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
}

export interface FakeSyncroOptions {
  port?: number;
  /**
   * Syncro's documented limit, enforced per subdomain in fixed one-minute windows; null turns it
   * off (benchmarks that deliberately push more).
   */
  rateLimitPerMinute?: number | null;
}

const pageSize = 25;
const allPermissions = Object.values(syncroPermissions);

interface Tenant {
  tokens: Map<string, string[]>;
  customers: number;
  tickets: number;
  window: { startedAt: number; count: number };
}

export async function startFakeSyncro(options: FakeSyncroOptions = {}): Promise<FakeSyncro> {
  const tenants = new Map<string, Tenant>();
  const limit = options.rateLimitPerMinute === undefined ? 180 : options.rateLimitPerMinute;

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
      return { status, json: { error: status === 503 ? 'Service Unavailable' : 'Internal Server Error' } };
    },
  });
  await http.start(options.port);

  function route(req: FakeRequest): FakeResponse {
    const tenant = tenants.get(req.tenant ?? '') as Tenant;
    if (limit !== null && overLimit(tenant, limit)) return { status: 429, json: { error: 'Rate limit exceeded' } };
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
        if (!permissions.includes(syncroPermissions.customers)) return forbidden();
        return { status: 200, json: paged('customers', tenant.customers, page, customer) };
      case '/tickets':
        if (!permissions.includes(syncroPermissions.tickets)) return forbidden();
        return { status: 200, json: paged('tickets', tenant.tickets, page, ticket) };
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
        window: { startedAt: 0, count: 0 },
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

function overLimit(tenant: Tenant, limit: number): boolean {
  const now = Date.now();
  if (now - tenant.window.startedAt >= 60_000) tenant.window = { startedAt: now, count: 0 };
  tenant.window.count += 1;
  return tenant.window.count > limit;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function forbidden(): FakeResponse {
  return { status: 403, json: { error: 'You do not have permission to perform this action' } };
}

function notFoundPage(): FakeResponse {
  return { status: 404, text: '<!DOCTYPE html><html><body><h1>The page you were looking for doesn\'t exist.</h1></body></html>' };
}

function paged<T>(key: string, total: number, page: number, make: (id: number) => T) {
  const start = (page - 1) * pageSize;
  const items: T[] = [];
  for (let id = start + 1; id <= Math.min(total, start + pageSize); id++) items.push(make(id));
  return { [key]: items, meta: { total_pages: Math.max(1, Math.ceil(total / pageSize)), total_entries: total, per_page: pageSize, page } };
}

const created = '2026-01-05T09:00:00.000Z';

function customer(id: number) {
  return { id, business_name: `Customer ${id} Ltd`, firstname: 'Ada', lastname: `Client${id}`, email: `it@customer${id}.example`, phone: '555-0100', disabled: false, created_at: created };
}

function ticket(id: number) {
  return { id, number: 1000 + id, subject: `Ticket ${id}`, customer_id: 1 + (id % 3), status: id % 2 ? 'New' : 'In Progress', problem_type: 'Other', created_at: created, updated_at: created, comments: [] };
}
