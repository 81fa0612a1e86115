import net from 'node:net';
import { request } from 'undici';
import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';
import { syncroExamples } from './examples.js';
import { syncroActionPermissions, syncroPermissions } from './settings.js';

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
 * - ticket reads and writes (issue 15) [H: SYN-SW26, the operations' parameters and examples]:
 *   `GET /tickets` filters `customer_id`, `query`, `status` (plus "Not Closed"); `GET /tickets/{id}`
 *   answers `{ticket: {…, customer_business_then_name, comments: […]}}` (permission "Tickets -
 *   View Details"); `POST /tickets/{id}/comment` `{subject, body, hidden, do_not_email, tech,
 *   sms_body}` → `{comment: {id, created_at, updated_at, ticket_id, subject, body, tech, hidden,
 *   user_id}}`, or 422 `{success: false, message: ["Body can't be blank", …]}` ("Tickets - Edit");
 *   `POST /tickets/{id}/timer_entry` `{start_at, end_at, duration_minutes, user_id, notes,
 *   product_id}` → the bare timer `{id, ticket_id, user_id, start_time, end_time, notes, …}`
 *   ("Ticket Timers - Overview"); `POST /tickets/{id}/attach_file_url` `{files: [{url,
 *   filename}]}` → `{message: "Processing - refresh ticket in a moment to see if it worked."}`, or
 *   422 `{error: "Missing files param - …"}` ("Tickets - Edit"). Syncro fetches each URL itself
 *   [H: SYN-SW26 "Attach a file"]: so does this fake, before it answers (Syncro does it in the
 *   background), keeping what it fetched and marking the attachment failed when the fetch fails.
 *
 * Where the sources say **unknown**, this fake chose (and the plugin does not depend on it):
 * - the order of `GET /tickets`: ascending id (the plugin sorts what it merges itself);
 * - an unknown ticket id: 404 `{"message": "Not found"}` (the body of `DELETE /tickets/{id}`'s 404);
 * - what "Not Closed" leaves out: "Resolved" and "Closed";
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
  /** Requests received, by vendor path ("/me", "/customers", "/tickets", "/tickets/7/comment") and/or subdomain. */
  requestCount(filter?: { path?: string; tenant?: string }): number;
  /** Writes Syncro accepted (2xx), by route and/or subdomain: what exactly-once checks count. */
  writeCount(filter?: { route?: SyncroWriteRoute; tenant?: string }): number;
  /** A ticket as the fake holds it now (comments, timers and attachments included). */
  ticket(subdomain: string, id: number): FakeSyncroTicket | undefined;
  /** The tickets of an account, in id order. */
  tickets(subdomain: string): FakeSyncroTicket[];
  resetCounts(): void;
  /** Bytes streamed for `hugeBodyBytes`, to see that a client stopped reading. */
  readonly hugeBytesSent: number;
  close(): Promise<void>;
}

export type SyncroWriteRoute = 'comment' | 'timer_entry' | 'attach_file_url';

/** A ticket to seed beside the generated ones (the demo's tickets about real demo customers). */
export interface SyncroTicketSpec {
  customerId: number;
  subject: string;
  status?: string;
  problemType?: string;
  /** How long ago it was opened (so the demo's tickets stay recent). Default 24 h. */
  createdHoursAgo?: number;
  comments?: { subject?: string; body: string; hidden?: boolean; tech?: string; hoursAgo?: number }[];
}

export interface SyncroTenantSpec {
  tokens: { token: string; permissions?: string[] }[];
  /** How many customers and generated tickets the account holds (defaults 30 and 7: two pages, one page). */
  customers?: number;
  tickets?: number;
  /** Tickets added after the generated ones, with ids following theirs. */
  ticketSpecs?: SyncroTicketSpec[];
  /** Business names by customer id, replacing the generated ones (a rename at the vendor). */
  customerNames?: Record<number, string>;
}

export interface FakeSyncroComment {
  id: number;
  created_at: string;
  updated_at: string;
  ticket_id: number;
  subject: string;
  body: string;
  tech: string;
  hidden: boolean;
  user_id: number;
  do_not_email?: boolean;
}

export interface FakeSyncroAttachment {
  url: string;
  filename: string;
  /** `stored` when the fake fetched the URL with a 2xx; `failed` otherwise (with the status, if any). */
  state: 'stored' | 'failed';
  status: number | null;
  contentType: string | null;
  body: Buffer;
}

export interface FakeSyncroTicket {
  id: number;
  number: number;
  subject: string;
  customer_id: number;
  customer_business_then_name: string;
  status: string;
  problem_type: string;
  created_at: string;
  updated_at: string;
  comments: FakeSyncroComment[];
  ticket_timers: Record<string, unknown>[];
  attachments: FakeSyncroAttachment[];
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
const allPermissions = [...Object.values(syncroPermissions), ...Object.values(syncroActionPermissions)];
/** What the fake fetches of one attachment at most (Syncro's own limit is unknown). */
const maxAttachmentBytes = 10 * 1024 * 1024;

interface Tenant {
  tokens: Map<string, string[]>;
  customers: number;
  customerNames: Record<number, string>;
  tickets: FakeSyncroTicket[];
  nextCommentId: number;
  nextTimerId: number;
}

export async function startFakeSyncro(options: FakeSyncroOptions = {}): Promise<FakeSyncro> {
  const tenants = new Map<string, Tenant>();
  /** Requests in the current minute, by client address. */
  const windows = new Map<string, { startedAt: number; count: number }>();
  const writes = new Map<string, number>();
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

  async function route(req: FakeRequest): Promise<FakeResponse> {
    const tenant = tenants.get(req.tenant ?? '') as Tenant;
    if (limit !== null && overLimit(windows, req.remoteAddress, limit)) return { status: 429, json: { error: 'Rate limit exceeded' } };
    const token = bearer(req.headers.authorization) ?? req.query.get('api_key') ?? undefined;
    const granted = token === undefined ? undefined : tenant.tokens.get(token);
    if (!granted || req.faults.badCredentials) return { status: 401, json: { error: 'Unauthorized' } };
    const permissions = granted.filter((p) => !req.faults.missingPermissions.includes(p));
    const ticketRoute = /^\/tickets\/(\d+)(?:\/(comment|timer_entry|attach_file_url))?$/.exec(req.path);
    if (ticketRoute) return ticketRoutes(req, tenant, permissions, Number(ticketRoute[1]), ticketRoute[2] as SyncroWriteRoute | undefined);
    if (req.method !== 'GET') return { status: 404, json: { error: 'Not found' } };
    const page = Math.max(1, Number.parseInt(req.query.get('page') ?? '1', 10) || 1);
    switch (req.path) {
      case '/me':
        return { status: 200, json: { user_id: 1, user_name: `${req.tenant} admin`, email: `admin@${req.tenant}.example` } };
      case '/customers': {
        if (!permissions.includes(syncroPermissions.customers)) return permissionDenied();
        const query = req.query.get('query')?.trim().toLowerCase();
        if (!query) return { status: 200, json: paged('customers', tenant.customers, page, (id) => customer(id, tenant.customerNames[id]), customersPerPage) };
        const found = range(tenant.customers, (id) => customer(id, tenant.customerNames[id])).filter((c) => `${c.business_name} ${c.email}`.toLowerCase().includes(query));
        return { status: 200, json: pagedList('customers', found, page, customersPerPage) };
      }
      case '/tickets': {
        if (!permissions.includes(syncroPermissions.tickets)) return permissionDenied();
        const found = filterTickets(tenant.tickets, req.query).map(listedTicket);
        const { tickets, meta } = pagedList('tickets', found, page, pageSize);
        // Tickets' `meta` carries only what Syncro's example carries.
        return { status: 200, json: { tickets, meta: { total_pages: meta.total_pages, page } } };
      }
      default:
        return { status: 404, json: { error: 'Not found' } };
    }
  }

  async function ticketRoutes(req: FakeRequest, tenant: Tenant, permissions: string[], id: number, write: SyncroWriteRoute | undefined): Promise<FakeResponse> {
    if (write === undefined ? req.method !== 'GET' : req.method !== 'POST') return { status: 404, json: { error: 'Not found' } };
    const needed = write === undefined ? syncroActionPermissions.ticketDetails : write === 'timer_entry' ? syncroActionPermissions.ticketTimers : syncroActionPermissions.ticketsEdit;
    if (!permissions.includes(needed)) return permissionDenied();
    const ticket = tenant.tickets.find((t) => t.id === id);
    if (!ticket) return { status: 404, json: { message: 'Not found' } };
    if (write === undefined) return { status: 200, json: { ticket: detailedTicket(ticket) } };
    const body = parseJson(req.body);
    const answer = write === 'comment' ? comment(tenant, ticket, body) : write === 'timer_entry' ? timerEntry(tenant, ticket, body) : await attach(ticket, body);
    if (answer.status >= 200 && answer.status < 300) {
      const key = `${req.tenant ?? ''}\u0000${write}`;
      writes.set(key, (writes.get(key) ?? 0) + 1);
      ticket.updated_at = new Date().toISOString();
    }
    return answer;
  }

  return {
    baseUrl: `${http.origin}/{subdomain}/api/v1`,
    origin: http.origin,
    addTenant(subdomain, spec) {
      const names = spec.customerNames ?? {};
      const generated = range(spec.tickets ?? 7, (id) => generatedTicket(id, names));
      const seeded = (spec.ticketSpecs ?? []).map((t, i) => seededTicket(generated.length + i + 1, t, names));
      const tickets = [...generated, ...seeded];
      tenants.set(subdomain.toLowerCase(), {
        tokens: new Map(spec.tokens.map((t) => [t.token, t.permissions ?? allPermissions])),
        customers: spec.customers ?? 30,
        customerNames: names,
        tickets,
        // Above the seeded comments' ids (ticket id × 100 + n).
        nextCommentId: 100 * (tickets.length + 1),
        nextTimerId: 1,
      });
    },
    setFaults: (patch, subdomain) => http.setFaults(patch, subdomain?.toLowerCase()),
    resetFaults: () => http.resetFaults(),
    requestCount: (filter) => http.requestCount(filter),
    writeCount(filter = {}) {
      let total = 0;
      for (const [key, n] of writes) {
        const [tenant, route] = key.split('\u0000');
        if ((filter.tenant === undefined || filter.tenant === tenant) && (filter.route === undefined || filter.route === route)) total += n;
      }
      return total;
    },
    ticket: (subdomain, id) => tenants.get(subdomain.toLowerCase())?.tickets.find((t) => t.id === id),
    tickets: (subdomain) => [...(tenants.get(subdomain.toLowerCase())?.tickets ?? [])],
    resetCounts: () => {
      http.resetCounts();
      writes.clear();
    },
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

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function range<T>(n: number, make: (id: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i + 1));
}

function paged<T>(key: string, total: number, page: number, make: (id: number) => T, size = pageSize) {
  const start = (page - 1) * size;
  const items: T[] = [];
  for (let id = start + 1; id <= Math.min(total, start + size); id++) items.push(make(id));
  return { [key]: items, meta: { total_pages: Math.max(1, Math.ceil(total / size)), total_entries: total, per_page: size, page } };
}

function pagedList<K extends string, T>(key: K, all: T[], page: number, size: number) {
  const items = all.slice((page - 1) * size, page * size);
  return { [key]: items, meta: { total_pages: Math.max(1, Math.ceil(all.length / size)), total_entries: all.length, per_page: size, page } } as Record<K, T[]> & {
    meta: { total_pages: number; total_entries: number; per_page: number; page: number };
  };
}

const closedStatuses = new Set(['resolved', 'closed']);

/** `customer_id`, `status` (a status word or "Not Closed") and `query` (subject, number or customer name). */
function filterTickets(tickets: FakeSyncroTicket[], query: URLSearchParams): FakeSyncroTicket[] {
  const customerId = query.get('customer_id');
  const status = query.get('status')?.trim().toLowerCase();
  const text = query.get('query')?.trim().toLowerCase();
  return tickets.filter((t) => {
    if (customerId && String(t.customer_id) !== customerId) return false;
    if (status && (status === 'not closed' ? closedStatuses.has(t.status.toLowerCase()) : t.status.toLowerCase() !== status)) return false;
    if (text && !`${t.subject} ${t.number} ${t.customer_business_then_name}`.toLowerCase().includes(text)) return false;
    return true;
  });
}

/** A ticket as `GET /tickets` lists it: comments included, attachments and timers not (the example has `comments` only). */
function listedTicket(t: FakeSyncroTicket) {
  const { attachments: _attachments, ticket_timers: _timers, ...rest } = t;
  return { ...rest, comments: t.comments.map(publicComment) };
}

function detailedTicket(t: FakeSyncroTicket) {
  return {
    ...listedTicket(t),
    ticket_timers: t.ticket_timers,
    attachments: t.attachments.filter((a) => a.state === 'stored').map((a, i) => ({ id: i + 1, file_name: a.filename, content_type: a.contentType })),
  };
}

function publicComment(c: FakeSyncroComment) {
  const { do_not_email: _dne, ...rest } = c;
  return rest;
}

function comment(tenant: Tenant, ticket: FakeSyncroTicket, body: Record<string, unknown>): FakeResponse {
  const problems: string[] = [];
  if (!text(body.body).trim()) problems.push("Body can't be blank");
  if (!text(body.subject).trim()) problems.push("Subject can't be blank");
  if (problems.length) return { status: 422, json: { success: false, message: problems } };
  const now = new Date().toISOString();
  const made: FakeSyncroComment = {
    id: tenant.nextCommentId++,
    created_at: now,
    updated_at: now,
    ticket_id: ticket.id,
    subject: text(body.subject),
    body: text(body.body),
    tech: text(body.tech) || 'API',
    hidden: body.hidden === true,
    user_id: 1,
    do_not_email: body.do_not_email === true,
  };
  ticket.comments.push(made);
  return { status: 200, json: { comment: publicComment(made) } };
}

function timerEntry(tenant: Tenant, ticket: FakeSyncroTicket, body: Record<string, unknown>): FakeResponse {
  const start = Date.parse(text(body.start_at));
  const minutes = typeof body.duration_minutes === 'number' ? body.duration_minutes : Number.NaN;
  const end = body.end_at ? Date.parse(text(body.end_at)) : start + minutes * 60_000;
  // The swagger's 422 example for this route is a Ruby error leaking through.
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return { status: 422, json: { error: 'no implicit conversion of nil into String' } };
  const now = new Date().toISOString();
  const timer = {
    id: tenant.nextTimerId++,
    ticket_id: ticket.id,
    user_id: typeof body.user_id === 'number' ? body.user_id : 1,
    start_time: new Date(start).toISOString(),
    end_time: new Date(end).toISOString(),
    recorded: false,
    created_at: now,
    updated_at: now,
    billable: false,
    notes: text(body.notes),
    toggl_id: null,
    product_id: typeof body.product_id === 'number' ? body.product_id : null,
    comment_id: null,
    ticket_line_item_id: null,
    active_duration: Math.round((end - start) / 1000),
  };
  ticket.ticket_timers.push(timer);
  return { status: 200, json: timer };
}

async function attach(ticket: FakeSyncroTicket, body: Record<string, unknown>): Promise<FakeResponse> {
  const files = Array.isArray(body.files) ? (body.files as unknown[]) : null;
  const valid = files?.every((f) => f && typeof f === 'object' && typeof (f as { url?: unknown }).url === 'string' && typeof (f as { filename?: unknown }).filename === 'string');
  if (!files || files.length === 0 || !valid) return { status: 422, json: { error: "Missing files param - or not an array like [{'url':'http://foo','filename': 'test'}]" } };
  for (const file of files as { url: string; filename: string }[]) ticket.attachments.push(await fetchAttachment(file.url, file.filename));
  return { status: 200, json: { message: 'Processing - refresh ticket in a moment to see if it worked.' } };
}

/** Fetches a URL the way Syncro's servers would: a plain GET, no credentials, one attempt. */
async function fetchAttachment(url: string, filename: string): Promise<FakeSyncroAttachment> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: 5_000, bodyTimeout: 5_000 });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxAttachmentBytes) break;
      chunks.push(chunk as Buffer);
    }
    const ok = res.statusCode >= 200 && res.statusCode < 300 && size <= maxAttachmentBytes;
    const contentType = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : null;
    return { url, filename, state: ok ? 'stored' : 'failed', status: res.statusCode, contentType, body: Buffer.concat(chunks) };
  } catch {
    return { url, filename, state: 'failed', status: null, contentType: null, body: Buffer.alloc(0) };
  }
}

const created = '2026-01-05T09:00:00.000Z';

function customer(id: number, name?: string) {
  return { id, business_name: name ?? `Customer ${id} Ltd`, firstname: 'Ada', lastname: `Client${id}`, email: `it@customer${id}.example`, phone: '555-0100', disabled: false, created_at: created };
}

function newTicket(id: number, fields: Pick<FakeSyncroTicket, 'subject' | 'customer_id' | 'status' | 'problem_type' | 'created_at'>, names: Record<number, string>): FakeSyncroTicket {
  return {
    id,
    number: 1000 + id,
    ...fields,
    customer_business_then_name: names[fields.customer_id] ?? `Customer ${fields.customer_id} Ltd`,
    updated_at: fields.created_at,
    comments: [],
    ticket_timers: [],
    attachments: [],
  };
}

function generatedTicket(id: number, names: Record<number, string>): FakeSyncroTicket {
  return newTicket(id, { subject: `Ticket ${id}`, customer_id: 1 + (id % 3), status: id % 2 ? 'New' : 'In Progress', problem_type: 'Other', created_at: created }, names);
}

function seededTicket(id: number, spec: SyncroTicketSpec, names: Record<number, string>): FakeSyncroTicket {
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const ticket = newTicket(id, { subject: spec.subject, customer_id: spec.customerId, status: spec.status ?? 'New', problem_type: spec.problemType ?? 'Other', created_at: hoursAgo(spec.createdHoursAgo ?? 24) }, names);
  ticket.comments = (spec.comments ?? []).map((c, i) => {
    const at = hoursAgo(c.hoursAgo ?? spec.createdHoursAgo ?? 24);
    return { id: id * 100 + i, created_at: at, updated_at: at, ticket_id: id, subject: c.subject ?? 'Initial Issue', body: c.body, tech: c.tech ?? 'Customer', hidden: c.hidden ?? false, user_id: 1 };
  });
  if (ticket.comments.length) ticket.updated_at = ticket.comments.at(-1)?.created_at ?? ticket.updated_at;
  return ticket;
}
