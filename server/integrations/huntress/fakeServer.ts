import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';

/**
 * A loopback Huntress speaking what `shared/vendor-apis.md` §5 and the published API document
 * (`shared/vendor-specs/huntress-openapi.json`, HUN-OAS) record:
 * - paths under `/v1`; HTTP Basic `base64(<api_key>:<api_secret>)`; 401 for credentials that
 *   do not authenticate [H: HUN-OAS intro, "HTTP Response Codes"];
 * - bodies wrapped: `{account: {…}}` (`GET /v1/account`), `{organizations: […], pagination}`,
 *   `{incident_reports: […], pagination}`, `{incident_report: {…}}`, `{agent: {…}}` [H: HUN-OAS
 *   response schemas];
 * - `limit` 1..500 (default 10) and `page_token`; `pagination.next_page_token` and
 *   `next_page_url` only while another page exists [H: HUN-OAS "Pagination"]; a `limit` out of
 *   range is 400 ("an unexpected value in the API request" [H: HUN-OAS]); default order `id`
 *   descending (`sort_field` default id, `sort_direction` default desc [H]);
 * - incident report filters `status`, `severity`, `organization_id`, `agent_id` [H];
 * - `POST /v1/incident_reports/{id}/resolution`, no body: 201 `{incident_report}`; 409 while a
 *   remediation is not approved; 422 unless the status is `sent`; 403 for the default account key,
 *   which is read-only [H: HUN-OAS, the operation's description and responses];
 * - 60 requests per minute per account on a sliding window: the 61st inside any 60 s is 429
 *   [H: HUN-OAS "Rate Limits"].
 *
 * Where the sources say **unknown**, this fake chose (and the plugin does not depend on it):
 * - error bodies: `{"errors": ["<text>"]}` (the document gives no error schema; its 403 schemas
 *   pointing at resource models are a generator artefact, vendor-apis.md §5);
 * - a key without a permission: 403 on the resource's paths (the document's per-path 403);
 * - `Retry-After` on its own 429: sent, the seconds until a request leaves the window;
 * - requests refused with 401 or 429 do not count toward the window;
 * - `page_token`: base64 of the next offset; one it did not make is 400;
 * - a resolved report's status becomes `closed`, with `closed_at` set.
 *
 * Tenants are accounts, keyed by subdomain and found from the Basic credentials' public key, so
 * fault switches and counts are per account. HUNTRESS_BASE_URL is `baseUrl` (no `/v1`).
 */
export type HuntressKeyKind = 'account' | 'user';
/** Resource names a key can be refused: its paths answer 403. */
export type HuntressResource = 'account' | 'organizations' | 'agents' | 'incident_reports';

export interface HuntressIncidentSpec {
  organizationId: number;
  agentId?: number;
  subject: string;
  severity?: 'low' | 'high' | 'critical';
  status?: string;
  /** Remediation statuses: unapproved, approved, completed, failed, cancelled [H: definitions/Remediation]. */
  remediations?: { action: string; status: string }[];
  sentHoursAgo?: number;
}

export interface HuntressAccountSpec {
  id?: number;
  name: string;
  keys: { key: string; secret: string; kind?: HuntressKeyKind; denied?: HuntressResource[] }[];
  /** How many organizations (default 12); the first ones named by `organizationNames`. */
  organizations?: number;
  organizationNames?: string[];
  /** Agents, spread over the first organizations (default 6). */
  agents?: number;
  incidentReports?: HuntressIncidentSpec[];
}

export interface FakeHuntressIncident {
  id: number;
  account_id: number;
  organization_id: number;
  agent_id: number | null;
  subject: string;
  summary: string;
  body: string;
  severity: string;
  status: string;
  platform: string;
  indicator_types: string[];
  indicator_counts: Record<string, number>;
  remediations: { total_count: number; has_more: boolean; items: { id: number; type: string; action: string; parameters: unknown[]; status: string }[] };
  sent_at: string;
  closed_at: string | null;
  status_updated_at: string;
  updated_at: string;
}

export interface FakeHuntress {
  /** HUNTRESS_BASE_URL for this fake: `http://127.0.0.1:PORT` (paths add `/v1`). */
  readonly baseUrl: string;
  addAccount(subdomain: string, spec: HuntressAccountSpec): void;
  setFaults(patch: Partial<FaultSwitches>, subdomain?: string): void;
  resetFaults(): void;
  /** Requests received, by path ("/v1/account", "/v1/incident_reports/3/resolution") and/or account. */
  requestCount(filter?: { path?: string; tenant?: string }): number;
  /** Resolutions Huntress accepted (201), per account: what exactly-once checks count. */
  resolutionCount(subdomain?: string): number;
  /** 429s this fake answered from its sliding window (not the `rateLimited` switch), per account. */
  rateLimitedCount(subdomain?: string): number;
  /** Counts `count` requests into an account's window `agoMs` ago, as if made then (benchmarks). */
  fillWindow(subdomain: string, count: number, agoMs?: number): void;
  incident(subdomain: string, id: number): FakeHuntressIncident | undefined;
  resetCounts(): void;
  readonly hugeBytesSent: number;
  close(): Promise<void>;
}

export interface FakeHuntressOptions {
  port?: number;
  /** Requests per account in any `windowMs`; null turns the limit off. Default 60 in 60 s. */
  rateLimitPerWindow?: number | null;
  windowMs?: number;
}

interface Account {
  id: number;
  subdomain: string;
  name: string;
  keys: Map<string, { secret: string; kind: HuntressKeyKind; denied: HuntressResource[] }>;
  organizations: { id: number; name: string; key: string }[];
  agents: { id: number; hostname: string; organization_id: number; platform: string; os: string }[];
  incidents: FakeHuntressIncident[];
  /** When each counted request arrived, ascending. */
  window: number[];
}

const created = '2025-01-06T09:00:00Z';
const errors = (text: string) => ({ errors: [text] });

export async function startFakeHuntress(options: FakeHuntressOptions = {}): Promise<FakeHuntress> {
  const accounts = new Map<string, Account>();
  const keyOwners = new Map<string, string>();
  const resolutions = new Map<string, number>();
  const limited = new Map<string, number>();
  const limit = options.rateLimitPerWindow === undefined ? 60 : options.rateLimitPerWindow;
  const windowMs = options.windowMs ?? 60_000;

  const http = new FakeVendorHttp({
    name: 'Huntress',
    identify(req, url) {
      if (!url.pathname.startsWith('/v1/')) return { status: 404, json: errors('Not found') };
      const creds = basic(req.headers.authorization);
      return { tenant: creds ? keyOwners.get(creds.key) : undefined, path: url.pathname };
    },
    route: (req) => route(req),
    errorBody(status) {
      if (status === 429) return { status, json: errors('Too many requests') };
      if (status === 401) return { status, json: errors('Your request could not be authenticated') };
      if (status === 403) return { status, json: errors('There was an issue with your API credential or permissions.') };
      return { status, json: errors(status >= 500 ? 'An error has occurred within Huntress servers' : 'Request failed') };
    },
  });
  await http.start(options.port);

  function route(req: FakeRequest): FakeResponse {
    const creds = basic(req.headers.authorization);
    const account = req.tenant ? accounts.get(req.tenant) : undefined;
    const key = account && creds ? account.keys.get(creds.key) : undefined;
    if (!account || !key || !creds || key.secret !== creds.secret || req.faults.badCredentials) {
      return { status: 401, json: errors('Your request could not be authenticated. Check that your API key is properly formatted and included in the Authorization header.') };
    }
    if (limit !== null) {
      const now = Date.now();
      while (account.window.length && (account.window[0] as number) <= now - windowMs) account.window.shift();
      if (account.window.length >= limit) {
        limited.set(account.subdomain, (limited.get(account.subdomain) ?? 0) + 1);
        const retryAfter = Math.max(1, Math.ceil(((account.window[0] as number) + windowMs - now) / 1000));
        return { status: 429, json: errors('Too many requests'), headers: { 'retry-after': String(retryAfter) } };
      }
      account.window.push(now);
    }
    const denied = new Set<string>([...key.denied, ...req.faults.missingPermissions]);
    const forbidden = (resource: HuntressResource) => (denied.has(resource) ? { status: 403, json: errors('There was an issue with your API credential or permissions.') } : null);
    const path = req.path.slice('/v1'.length);
    const one = /^\/(agents|incident_reports)\/(\d+)(\/resolution)?$/.exec(path);

    if (req.method === 'POST') {
      if (!one || one[1] !== 'incident_reports' || !one[3]) return { status: 404, json: errors('Not found') };
      return resolve(account, key.kind, forbidden('incident_reports'), Number(one[2]));
    }
    if (req.method !== 'GET') return { status: 404, json: errors('Not found') };
    if (path === '/account') return forbidden('account') ?? { status: 200, json: { account: { id: account.id, name: account.name, subdomain: account.subdomain, status: 'enabled', support_type: 'partner_supported' } } };
    if (path === '/organizations') {
      const orgs = filterBy(account.organizations.map((o) => organization(account, o)), req.query, { name: 'name', key: 'key' });
      return forbidden('organizations') ?? paged(req, 'organizations', orgs);
    }
    if (path === '/agents') return forbidden('agents') ?? paged(req, 'agents', filterBy(account.agents.map(agent), req.query, { organization_id: 'organization_id' }));
    if (path === '/incident_reports') {
      const found = filterBy(account.incidents, req.query, { status: 'status', severity: 'severity', organization_id: 'organization_id', agent_id: 'agent_id' });
      return forbidden('incident_reports') ?? paged(req, 'incident_reports', found);
    }
    if (one && !one[3]) {
      const resource = one[1] as 'agents' | 'incident_reports';
      const refused = forbidden(resource);
      if (refused) return refused;
      const id = Number(one[2]);
      const found = resource === 'agents' ? account.agents.find((a) => a.id === id) : account.incidents.find((r) => r.id === id);
      if (!found) return { status: 404, json: errors('Not found') };
      return { status: 200, json: resource === 'agents' ? { agent: agent(found as Account['agents'][number]) } : { incident_report: found } };
    }
    return { status: 404, json: errors('Not found') };
  }

  function resolve(account: Account, kind: HuntressKeyKind, refused: FakeResponse | null, id: number): FakeResponse {
    // "the default account API key is read-only" [H: HUN-OAS]
    if (kind === 'account') return { status: 403, json: errors('There was an issue with your API credential or permissions.') };
    if (refused) return refused;
    const report = account.incidents.find((r) => r.id === id);
    if (!report) return { status: 404, json: errors('Not found') };
    if (report.status !== 'sent') return { status: 422, json: errors("Incident Report cannot be resolved unless report status is 'sent'.") };
    if (report.remediations.items.some((r) => r.status === 'unapproved')) {
      return { status: 409, json: errors("Incident Report cannot be resolved. Confirm that all remediations are approved and report status is 'sent'.") };
    }
    const now = new Date().toISOString();
    Object.assign(report, { status: 'closed', closed_at: now, status_updated_at: now, updated_at: now });
    resolutions.set(account.subdomain, (resolutions.get(account.subdomain) ?? 0) + 1);
    return { status: 201, json: { incident_report: report } };
  }

  function paged<T extends { id: number }>(req: FakeRequest, name: string, all: T[]): FakeResponse {
    const limitText = req.query.get('limit');
    const size = limitText === null ? 10 : Number(limitText);
    if (!Number.isInteger(size) || size < 1 || size > 500) return { status: 400, json: errors('limit must be an integer between 1 and 500') };
    const token = req.query.get('page_token');
    let offset = 0;
    if (token) {
      offset = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
      if (!Number.isInteger(offset) || offset < 0) return { status: 400, json: errors('page_token is not valid') };
    }
    const asc = req.query.get('sort_direction') === 'asc';
    const sorted = [...all].sort((a, b) => (asc ? a.id - b.id : b.id - a.id));
    const items = sorted.slice(offset, offset + size);
    const pagination: Record<string, string> = {};
    if (offset + size < sorted.length) {
      const next = Buffer.from(`offset:${offset + size}`).toString('base64url');
      pagination.next_page_token = next;
      pagination.next_page_url = `${http.origin}${req.path}?page_token=${next}&limit=${size}`;
    }
    return { status: 200, json: { [name]: items, pagination } };
  }

  return {
    baseUrl: http.origin,
    addAccount(subdomain, spec) {
      const sub = subdomain.toLowerCase();
      const id = spec.id ?? accounts.size + 1;
      const names = spec.organizationNames ?? [];
      const organizations = Array.from({ length: spec.organizations ?? 12 }, (_, i) => {
        const name = names[i] ?? `Organization ${i + 1}`;
        return { id: i + 1, name, key: name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') };
      });
      const spread = Math.max(1, Math.min(organizations.length, 5));
      const agents = Array.from({ length: spec.agents ?? 6 }, (_, i) => ({ id: i + 1, hostname: `HOST-${String(i + 1).padStart(3, '0')}`, organization_id: 1 + (i % spread), platform: 'windows', os: 'Windows 11 Pro' }));
      const incidents = (spec.incidentReports ?? []).map((r, i) => incident(id, i + 1, r));
      for (const k of spec.keys) keyOwners.set(k.key, sub);
      accounts.set(sub, {
        id,
        subdomain: sub,
        name: spec.name,
        keys: new Map(spec.keys.map((k) => [k.key, { secret: k.secret, kind: k.kind ?? 'account', denied: k.denied ?? [] }])),
        organizations,
        agents,
        incidents,
        window: accounts.get(sub)?.window ?? [],
      });
    },
    setFaults: (patch, subdomain) => http.setFaults(patch, subdomain?.toLowerCase()),
    resetFaults: () => http.resetFaults(),
    requestCount: (filter) => http.requestCount(filter),
    resolutionCount: (subdomain) => (subdomain === undefined ? [...resolutions.values()].reduce((a, b) => a + b, 0) : (resolutions.get(subdomain) ?? 0)),
    rateLimitedCount: (subdomain) => (subdomain === undefined ? [...limited.values()].reduce((a, b) => a + b, 0) : (limited.get(subdomain) ?? 0)),
    fillWindow(subdomain, count, agoMs = 0) {
      const account = accounts.get(subdomain.toLowerCase());
      if (!account) throw new Error(`no Huntress account ${subdomain}`);
      const at = Date.now() - agoMs;
      account.window.push(...Array.from({ length: count }, () => at));
      account.window.sort((a, b) => a - b);
    },
    incident: (subdomain, id) => accounts.get(subdomain.toLowerCase())?.incidents.find((r) => r.id === id),
    resetCounts() {
      http.resetCounts();
      resolutions.clear();
      limited.clear();
      for (const account of accounts.values()) account.window.length = 0;
    },
    get hugeBytesSent() {
      return http.hugeBytesSent;
    },
    close: () => http.close(),
  };
}

function basic(header: string | undefined): { key: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) } : undefined;
}

/** Query filters that compare a field's text with the parameter's. */
function filterBy<T>(items: T[], query: URLSearchParams, fields: Record<string, string>): T[] {
  return items.filter((item) => Object.entries(fields).every(([param, field]) => {
    const wanted = query.get(param);
    return wanted === null || wanted === '' || String((item as Record<string, unknown>)[field]) === wanted;
  }));
}

function organization(account: Account, o: Account['organizations'][number]) {
  const agents = account.agents.filter((a) => a.organization_id === o.id).length;
  const reports = account.incidents.filter((r) => r.organization_id === o.id).length;
  return { id: o.id, name: o.name, key: o.key, account_id: account.id, agents_count: agents, incident_reports_count: reports, created_at: created, updated_at: created };
}

function agent(a: Account['agents'][number]) {
  return { ...a, version: '0.14.2', ipv4_address: `10.0.0.${a.id}`, external_ip: '203.0.113.10', serial_number: `SN${a.id}`, last_callback_at: new Date().toISOString(), created_at: created, updated_at: created };
}

function incident(accountId: number, id: number, spec: HuntressIncidentSpec): FakeHuntressIncident {
  const sent = new Date(Date.now() - (spec.sentHoursAgo ?? 24 - id) * 3_600_000).toISOString();
  const items = (spec.remediations ?? []).map((r, i) => ({ id: id * 100 + i, type: 'manual', action: r.action, parameters: [], status: r.status }));
  const status = spec.status ?? 'sent';
  return {
    id,
    account_id: accountId,
    organization_id: spec.organizationId,
    agent_id: spec.agentId ?? null,
    subject: spec.subject,
    summary: `${spec.subject}: see the remediation plan.`,
    body: `<p>${spec.subject}</p>`,
    severity: spec.severity ?? 'high',
    status,
    platform: 'windows',
    indicator_types: ['footholds'],
    indicator_counts: { footholds: 1 },
    remediations: { total_count: items.length, has_more: false, items },
    sent_at: sent,
    closed_at: status === 'closed' ? sent : null,
    status_updated_at: sent,
    updated_at: sent,
  };
}
