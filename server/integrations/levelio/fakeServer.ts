import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';
import { levelExamples } from './examples.js';

/**
 * A loopback Level API speaking what `shared/vendor-apis.md` §6 records, with its sources:
 * - the host root with `/v2/...` paths [H: LVL-OAS; ALGA `DEFAULT_LEVELIO_BASE_URL`];
 * - the key itself in `Authorization`, **no Bearer** [M: COOLF, ALGA, n8n-nodes-level]: anything
 *   else (a `Bearer <key>` header included) is refused 401 `{"error":"Access denied"}`
 *   [H: LVL-OAS, the `/v2/alerts` 401 example];
 * - lists wrapped `{data: [...], has_more}`, paged by `limit` and `starting_after=<last id>`
 *   [H: LVL-OAS parameters]; `limit` above 100 is served as 100 (the maximum ALGA and COOLF
 *   assert [M], unseen in the spec);
 * - `GET /v2/groups` items `{id, name, parent_id, child_ids, device_count}`; `GET /v2/devices`
 *   with `group_id` (direct) or `ancestor_group_id` (the group and every subgroup), items `{id,
 *   hostname, nickname, role, group_id, tags, online, last_seen_at, platform, serial_number}`;
 *   `GET /v2/devices/{id}`; `GET /v2/alerts` with `status=active|resolved` and `device_id`, items
 *   `{id, device_id, device_hostname, name, description, severity, is_resolved, started_at,
 *   resolved_at}` [H paths: LVL-OAS; M fields: ALGA levelApiClient.ts];
 * - keys are "Read-only" or "Read & write" [H: LVL-DOC]: a write with a read-only key is refused.
 *
 * Writes, from third-party sources only [L: mindcloud-inc universal-api-reference; ALGA
 * levelIoWorkflowRuntimeSupport.ts] — *verify*:
 * - `POST /v2/alerts/{id}/resolve` → the resolved alert;
 * - `GET /v2/automations`, `GET /v2/automations/webhooks`, `POST /v2/automations/webhooks/{token}`
 *   with optional `{"device_ids": [...]}`; a trigger may require an authorization header (the
 *   value set on the trigger in Level's UI [docs.level.io webhook-trigger article]).
 *
 * Where the sources say **unknown**, this fake chose (and the plugin reads defensively):
 * - the default page size (20) and the order of lists (as seeded: a child group may come before
 *   its parent, so a client must read every page before it can build paths);
 * - an unknown `starting_after`: 400 `{"error":"Invalid starting_after"}`;
 * - 403 `{"error":"Forbidden"}` for a read a key may not make (`missingPermissions: ['groups' |
 *   'devices' | 'alerts' | 'automations']`) and 403 `{"error":"This API key is read-only"}` for a
 *   write with a read-only key;
 * - 404 `{"error":"Not found"}`; `GET /v2/devices/{id}` answers the bare device;
 * - webhook items `{id, automation_id, name, token, requires_authorization}`; a trigger answers
 *   202 `{automation_run_id}`; without a required header, or with a wrong one, 401 `{"error":"Access
 *   denied"}`; a trigger without a required header is called with the API key (as ALGA does);
 * - no rate limit unless `rateLimitPerMinute` is given (per key, 429 `{"error":"Too many requests"}`).
 *
 * Tenants are account names: switches and counters take the account as the tenant.
 */
export type LevelKeyAccess = 'read_only' | 'read_write';

export interface LevelAccountSpec {
  name: string;
  keys: { key: string; access?: LevelKeyAccess; revoked?: boolean }[];
  groups?: { id: string; name: string; parentId?: string | null }[];
  /** Filler top-level groups after the named ones ("Group 1" …), for paging. */
  generatedGroups?: number;
  devices?: { id: string; hostname: string; groupId: string; nickname?: string; online?: boolean; platform?: string; role?: string; tags?: string[]; lastSeenHoursAgo?: number }[];
  alerts?: { id: string; deviceId: string; name: string; severity?: 'information' | 'warning' | 'critical' | 'emergency'; description?: string; resolved?: boolean; startedHoursAgo?: number }[];
  automations?: { id: string; name: string; webhook?: { token: string; authorization?: string } }[];
}

export interface LevelTrigger {
  automationId: string;
  deviceIds: string[] | null;
  runId: string;
}

export type LevelWriteRoute = 'resolve' | 'trigger';

export interface FakeLevel {
  /** LEVEL_BASE_URL for this fake: its origin (the host root, paths start with /v2). */
  readonly baseUrl: string;
  addAccount(spec: LevelAccountSpec): void;
  setFaults(patch: Partial<FaultSwitches>, account?: string): void;
  resetFaults(): void;
  requestCount(filter?: { path?: string; tenant?: string }): number;
  /** Writes Level accepted (2xx), by route and/or account: what exactly-once checks count. */
  writeCount(filter?: { route?: LevelWriteRoute; tenant?: string }): number;
  /** The automation runs webhook triggers started, per account, in order. */
  triggers(account: string): LevelTrigger[];
  /** An alert as the fake holds it now. */
  alert(account: string, id: string): { is_resolved: boolean; resolved_at: string | null } | undefined;
  resetCounts(): void;
  readonly hugeBytesSent: number;
  close(): Promise<void>;
}

export interface FakeLevelOptions {
  port?: number;
  rateLimitPerMinute?: number | null;
}

interface Account {
  spec: LevelAccountSpec;
  groups: { id: string; name: string; parent_id: string | null; child_ids: string[]; device_count: number }[];
  devices: Record<string, unknown>[];
  alerts: { id: string; device_id: string; device_hostname: string | null; name: string; description: string | null; severity: string; is_resolved: boolean; started_at: string; resolved_at: string | null }[];
  triggers: LevelTrigger[];
  nextRun: number;
}

const pageDefault = 20;
const pageMax = 100;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

export async function startFakeLevel(options: FakeLevelOptions = {}): Promise<FakeLevel> {
  const accounts = new Map<string, Account>();
  const byKey = new Map<string, { account: string; access: LevelKeyAccess; revoked: boolean }>();
  const writes = new Map<string, number>();
  const windows = new Map<string, { startedAt: number; count: number }>();
  const limit = options.rateLimitPerMinute ?? null;

  const tenantOfToken = (token: string) => [...accounts.entries()].find(([, a]) => a.spec.automations?.some((x) => x.webhook?.token === token))?.[0];

  const http = new FakeVendorHttp({
    name: 'Level',
    identify(req, url) {
      const hook = /^\/v2\/automations\/webhooks\/([^/]+)$/.exec(url.pathname);
      if (hook && req.method === 'POST') return { tenant: tenantOfToken(decodeURIComponent(hook[1] as string)), path: url.pathname };
      const auth = req.headers.authorization;
      return { tenant: auth ? byKey.get(auth)?.account : undefined, path: url.pathname };
    },
    route,
    errorBody(status) {
      if (status === 429) return { status, json: { error: 'Too many requests' } };
      if (status === 401 || status === 403) return { status, json: levelExamples.accessDenied };
      return { status, json: { error: status === 503 ? 'Service unavailable' : 'Internal server error' } };
    },
  });
  await http.start(options.port);

  function countWrite(tenant: string, route: LevelWriteRoute) {
    const key = `${tenant}\u0000${route}`;
    writes.set(key, (writes.get(key) ?? 0) + 1);
  }

  function route(req: FakeRequest): FakeResponse {
    const hook = /^\/v2\/automations\/webhooks\/([^/]+)$/.exec(req.path);
    if (hook && req.method === 'POST') return trigger(req, decodeURIComponent(hook[1] as string));
    const key = req.headers.authorization ?? '';
    const granted = byKey.get(key);
    // The key alone: "Bearer <key>" is not a key Level knows [M: COOLF].
    if (!granted || granted.revoked || req.faults.badCredentials || req.tenant === undefined) return { status: 401, json: levelExamples.accessDenied };
    if (limit !== null && overLimit(windows, key, limit)) return { status: 429, json: { error: 'Too many requests' } };
    const account = accounts.get(granted.account) as Account;
    const denied = (name: string) => req.faults.missingPermissions.includes(name);

    const resolve = /^\/v2\/alerts\/([^/]+)\/resolve$/.exec(req.path);
    if (resolve) {
      if (req.method !== 'POST') return notFound();
      if (granted.access !== 'read_write') return { status: 403, json: { error: 'This API key is read-only' } };
      const alert = account.alerts.find((a) => a.id === decodeURIComponent(resolve[1] as string));
      if (!alert) return notFound();
      if (!alert.is_resolved) {
        alert.is_resolved = true;
        alert.resolved_at = new Date().toISOString();
      }
      countWrite(granted.account, 'resolve');
      return { status: 200, json: alert };
    }
    if (req.method !== 'GET') return notFound();
    const device = /^\/v2\/devices\/([^/]+)$/.exec(req.path);
    if (device) {
      if (denied('devices')) return forbidden();
      const found = account.devices.find((d) => d.id === decodeURIComponent(device[1] as string));
      return found ? { status: 200, json: found } : notFound();
    }
    switch (req.path) {
      case '/v2/groups':
        return denied('groups') ? forbidden() : paged(account.groups, req.query);
      case '/v2/devices': {
        if (denied('devices')) return forbidden();
        const direct = req.query.get('group_id');
        const ancestor = req.query.get('ancestor_group_id');
        const within = ancestor ? descendants(account, ancestor) : null;
        return paged(
          account.devices.filter((d) => (!direct || d.group_id === direct) && (!within || within.has(String(d.group_id)))),
          req.query,
        );
      }
      case '/v2/alerts': {
        if (denied('alerts')) return forbidden();
        const status = req.query.get('status');
        const deviceId = req.query.get('device_id');
        return paged(
          account.alerts.filter((a) => (!status || (status === 'active' ? !a.is_resolved : status === 'resolved' ? a.is_resolved : true)) && (!deviceId || a.device_id === deviceId)),
          req.query,
        );
      }
      case '/v2/automations':
        return denied('automations') ? forbidden() : paged((account.spec.automations ?? []).map((a) => ({ id: a.id, name: a.name })), req.query);
      case '/v2/automations/webhooks':
        if (denied('automations')) return forbidden();
        return paged(
          (account.spec.automations ?? []).flatMap((a) => (a.webhook ? [{ id: `wh_${a.id}`, automation_id: a.id, name: `${a.name} webhook`, token: a.webhook.token, requires_authorization: a.webhook.authorization !== undefined }] : [])),
          req.query,
        );
      default:
        return notFound();
    }
  }

  function trigger(req: FakeRequest, token: string): FakeResponse {
    const account = req.tenant === undefined ? undefined : accounts.get(req.tenant);
    const automation = account?.spec.automations?.find((a) => a.webhook?.token === token);
    if (!account || !automation?.webhook) return notFound();
    const auth = req.headers.authorization ?? '';
    if (automation.webhook.authorization !== undefined) {
      if (auth !== automation.webhook.authorization) return { status: 401, json: levelExamples.accessDenied };
    } else {
      const granted = byKey.get(auth);
      if (!granted || granted.revoked || granted.account !== req.tenant || req.faults.badCredentials) return { status: 401, json: levelExamples.accessDenied };
      if (granted.access !== 'read_write') return { status: 403, json: { error: 'This API key is read-only' } };
    }
    let body: { device_ids?: unknown } = {};
    try {
      body = req.body ? (JSON.parse(req.body) as { device_ids?: unknown }) : {};
    } catch {
      return { status: 400, json: { error: 'Invalid JSON' } };
    }
    if (body.device_ids !== undefined && (!Array.isArray(body.device_ids) || body.device_ids.some((d) => typeof d !== 'string'))) return { status: 422, json: { error: 'device_ids must be a list of device ids' } };
    const ids = (body.device_ids as string[] | undefined) ?? null;
    const unknown = ids?.filter((id) => !account.devices.some((d) => d.id === id)) ?? [];
    if (unknown.length) return { status: 422, json: { error: `Unknown device: ${unknown.join(', ')}` } };
    const run: LevelTrigger = { automationId: automation.id, deviceIds: ids, runId: `run_${account.nextRun++}` };
    account.triggers.push(run);
    countWrite(req.tenant as string, 'trigger');
    return { status: 202, json: { automation_run_id: run.runId } };
  }

  return {
    baseUrl: http.origin,
    addAccount(spec) {
      const named = (spec.groups ?? []).map((g) => ({ id: g.id, name: g.name, parent_id: g.parentId ?? null, child_ids: [] as string[], device_count: 0 }));
      const filler = Array.from({ length: spec.generatedGroups ?? 0 }, (_, i) => ({ id: `grp_gen_${String(i + 1).padStart(5, '0')}`, name: `Group ${i + 1}`, parent_id: null, child_ids: [] as string[], device_count: 0 }));
      const groups = [...named, ...filler];
      for (const g of groups) groups.find((p) => p.id === g.parent_id)?.child_ids.push(g.id);
      const devices = (spec.devices ?? []).map((d) => ({
        id: d.id,
        hostname: d.hostname,
        nickname: d.nickname ?? null,
        role: d.role ?? 'workstation',
        group_id: d.groupId,
        tags: d.tags ?? [],
        online: d.online ?? true,
        last_seen_at: hoursAgo(d.lastSeenHoursAgo ?? 0.1),
        platform: d.platform ?? 'Windows',
        serial_number: `SN-${d.id.toUpperCase()}`,
      }));
      for (const g of groups) g.device_count = devices.filter((d) => d.group_id === g.id).length;
      const alerts = (spec.alerts ?? []).map((a) => ({
        id: a.id,
        device_id: a.deviceId,
        device_hostname: devices.find((d) => d.id === a.deviceId)?.hostname ?? null,
        name: a.name,
        description: a.description ?? null,
        severity: a.severity ?? 'warning',
        is_resolved: a.resolved ?? false,
        started_at: hoursAgo(a.startedHoursAgo ?? 2),
        resolved_at: a.resolved ? hoursAgo(1) : null,
      }));
      for (const [key, entry] of byKey) if (entry.account === spec.name) byKey.delete(key);
      for (const k of spec.keys) byKey.set(k.key, { account: spec.name, access: k.access ?? 'read_write', revoked: k.revoked ?? false });
      accounts.set(spec.name, { spec, groups, devices, alerts, triggers: [], nextRun: 1 });
    },
    setFaults: (patch, account) => http.setFaults(patch, account),
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
    triggers: (account) => [...(accounts.get(account)?.triggers ?? [])],
    alert: (account, id) => accounts.get(account)?.alerts.find((a) => a.id === id),
    resetCounts() {
      http.resetCounts();
      writes.clear();
    },
    get hugeBytesSent() {
      return http.hugeBytesSent;
    },
    close: () => http.close(),
  };
}

/** A group and every group below it. */
function descendants(account: Account, root: string): Set<string> {
  const out = new Set<string>([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const g of account.groups) {
      if (g.parent_id && out.has(g.parent_id) && !out.has(g.id)) {
        out.add(g.id);
        grew = true;
      }
    }
  }
  return out;
}

/** `{data, has_more}` after `starting_after`, `limit` items (default 20, at most 100). */
function paged<T extends { id?: unknown }>(all: T[], query: URLSearchParams): FakeResponse {
  const asked = Number.parseInt(query.get('limit') ?? '', 10);
  const size = Number.isFinite(asked) && asked > 0 ? Math.min(asked, pageMax) : pageDefault;
  const after = query.get('starting_after');
  let start = 0;
  if (after) {
    const at = all.findIndex((item) => String(item.id) === after);
    if (at < 0) return { status: 400, json: { error: 'Invalid starting_after' } };
    start = at + 1;
  }
  const data = all.slice(start, start + size);
  return { status: 200, json: { data, has_more: start + size < all.length } };
}

function overLimit(windows: Map<string, { startedAt: number; count: number }>, key: string, perMinute: number): boolean {
  const now = Date.now();
  let window = windows.get(key);
  if (!window || now - window.startedAt >= 60_000) windows.set(key, (window = { startedAt: now, count: 0 }));
  window.count += 1;
  return window.count > perMinute;
}

const notFound = (): FakeResponse => ({ status: 404, json: { error: 'Not found' } });
const forbidden = (): FakeResponse => ({ status: 403, json: { error: 'Forbidden' } });
