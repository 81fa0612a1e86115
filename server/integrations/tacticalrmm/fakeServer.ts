import { createHash } from 'node:crypto';
import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';
import { tacticalExamples as ex } from './examples.js';

/**
 * A loopback Tactical RMM API host speaking what `shared/vendor-apis.md` §4 records from the
 * product's own source (TRMM: amidaware/tacticalrmm):
 * - Django routes end in `/`: a GET without the slash is a 301 to it (APPEND_SLASH), anything
 *   else unknown is Django's HTML 404 [H: TRMM-DOC warning; Django CommonMiddleware];
 * - `GET /` answers `{"status":"ok"}` without authentication [H: core/views.py `home`];
 * - `X-API-KEY` auth: no header 401 "Authentication credentials were not provided.", an
 *   unknown key 401 "Invalid token.", an expired one 401 "The token has expired." [H: auth.py; M];
 * - a role without a permission: 403 `{"detail":"You do not have permission to perform this
 *   action."}`; switches and `missingPermissions` use the role's field names (`can_list_clients`,
 *   `can_list_agents`, `can_list_scripts`, `can_run_scripts`, `can_send_cmd`, `can_reboot_agents`,
 *   `can_list_alerts`) [M: accounts/models.py Role];
 * - `GET /core/version/` a bare JSON string; `GET /core/dashinfo/` with `trmm_version` [H];
 * - `GET /clients/` full array with `sites`; `GET /agents/?client=|site=|monitoring_type=` full
 *   rows with client and site *names* only; `GET /agents/{agent_id}/`; `GET /scripts/` [H];
 * - `PATCH /alerts/`: `top` → `{alerts_count, alerts}`; any of timeFilter, clientFilter,
 *   severityFilter, resolvedFilter, snoozedFilter → filtered, where resolved/snoozed filter only
 *   when **false**; any other body → every alert [H: alerts/views.py];
 * - `POST /agents/{id}/runscript/`: all six keys or an unhandled 500; `output` wait/note/collector
 *   → the output, anything else → "… will now be run on …"; a waiting run that times out → 200
 *   `"timeout"` (switch `scriptTimeout`) [H: agents/views.py];
 * - `POST /agents/{id}/cmd/`: 200 output, 200 `"natsdown"` (switch `natsDown`), 400 "Unable to
 *   contact the agent" for an offline agent; `POST /agents/{id}/reboot/` → "ok" or that 400 [H].
 * No API rate limit exists in TRMM (only logins are throttled): none is enforced here; the fault
 * switches produce 429s with DRF's throttle body.
 * A "dashboard" answers the SPA's index.html, 200, for every path: the whole fake with
 * `setModes({ dashboard: true })`, or any path under `/dashboard` (so one process serves the
 * demo's API host and a partner's mistaken dashboard address side by side).
 * Tenants are API keys.
 */
export interface FakeTactical {
  /** The API host's address (an http origin on 127.0.0.1). */
  readonly baseUrl: string;
  /** An address under the same fake that behaves as the dashboard host. */
  readonly dashboardUrl: string;
  addAccount(account: TacticalAccountSpec): TacticalAccountView;
  setModes(patch: Partial<TacticalModes>): void;
  setFaults(patch: Partial<FaultSwitches>, key?: string): void;
  resetFaults(): void;
  /** Requests received by route ("/clients/", "/agents/{agent_id}/runscript/" …) and/or key. */
  requestCount(filter?: { path?: string; tenant?: string }): number;
  resetCounts(): void;
  /** The bodies of the writes received (runscript, cmd, reboot), oldest first. */
  writes(): { path: string; key: string; body: unknown }[];
  close(): Promise<void>;
}

export interface TacticalModes {
  dashboard: boolean;
  scriptTimeout: boolean;
  natsDown: boolean;
}

export interface TacticalAccountSpec {
  key: string;
  /** Clients with their sites; default three filler clients with two sites each. */
  clients?: { name: string; sites?: string[] }[];
  /** Agents on each site (default 2); agent `n` of a site is offline when `offlineEvery` divides n. */
  agentsPerSite?: number;
  offlineEvery?: number;
  scripts?: { name: string; shell?: string; category?: string; args?: string[]; defaultTimeout?: number; description?: string }[];
  alerts?: { agentIndex: number; severity: 'error' | 'warning' | 'info'; message: string; resolved?: boolean; snoozed?: boolean }[];
  /** The key exists but has passed its expiration date. */
  expired?: boolean;
}

export interface TacticalAccountView {
  clients: { id: number; name: string; sites: { id: number; name: string }[] }[];
  agents: { agent_id: string; hostname: string; client: number; site: number; status: string }[];
  scripts: { id: number; name: string }[];
}

interface Account {
  spec: TacticalAccountSpec;
  clients: { id: number; name: string; sites: { id: number; name: string }[] }[];
  agents: Agent[];
  scripts: Script[];
  alerts: Alert[];
}
interface Agent {
  agent_id: string;
  hostname: string;
  client: number;
  client_name: string;
  site: number;
  site_name: string;
  status: 'online' | 'offline' | 'overdue';
  plat: string;
  monitoring_type: 'server' | 'workstation';
}
interface Script {
  id: number;
  name: string;
  shell: string;
  category: string | null;
  description: string;
  args: string[];
  default_timeout: number;
}
interface Alert {
  id: number;
  agent: Agent;
  severity: string;
  message: string;
  resolved: boolean;
  snoozed: boolean;
  alert_time: string;
}

const routes = ['/', '/core/version/', '/core/dashinfo/', '/clients/', '/agents/', '/scripts/', '/alerts/'];
const agentRoute = /^\/agents\/([^/]+)\/(runscript\/|cmd\/|reboot\/)?$/;
const html = (status: number, text: string): FakeResponse => ({ status, text, contentType: 'text/html; charset=utf-8' });
const json = (status: number, body: unknown, headers?: Record<string, string>): FakeResponse => ({ status, json: body, ...(headers ? { headers } : {}) });

export async function startFakeTactical(options: { port?: number } = {}): Promise<FakeTactical> {
  const accounts = new Map<string, Account>();
  const modes: TacticalModes = { dashboard: false, scriptTimeout: false, natsDown: false };
  const writes: { path: string; key: string; body: unknown }[] = [];
  const nextId = { client: 1, site: 1, script: 1, alert: 1 };

  const http = new FakeVendorHttp({
    name: 'Tactical RMM',
    identify(req, url) {
      if (modes.dashboard || url.pathname === '/dashboard' || url.pathname.startsWith('/dashboard/')) return html(200, ex.dashboardIndex);
      const key = header(req.headers['x-api-key']);
      const route = agentRoute.exec(url.pathname);
      const path = route ? `/agents/{agent_id}/${route[2] ?? ''}` : url.pathname;
      return { tenant: key, path };
    },
    route: (req) => route(req),
    errorBody(status) {
      if (status === 429) return json(429, ex.throttled);
      if (status === 401) return json(401, ex.invalidToken, { 'www-authenticate': 'Token' });
      if (status === 403) return json(403, ex.permissionDenied);
      if (status === 502 || status === 503 || status === 504) return html(status, `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>`);
      return html(status, ex.djangoServerError);
    },
  });
  await http.start(options.port);

  function route(req: FakeRequest): FakeResponse {
    const known = routes.includes(req.path) || req.path.startsWith('/agents/{agent_id}/');
    if (!known) {
      // APPEND_SLASH: a GET to a route without its slash is redirected; everything else is a 404 page.
      if (req.method === 'GET' && routes.includes(`${req.rawPath}/`)) return { status: 301, text: '', headers: { location: `${req.rawPath}/` } };
      return html(404, ex.djangoNotFound);
    }
    if (req.path === '/') return json(200, ex.home);
    const key = header(req.headers['x-api-key']);
    if (!key) return json(401, ex.notAuthenticated, { 'www-authenticate': 'Token' });
    const account = accounts.get(key);
    if (!account || req.faults.badCredentials) return json(401, ex.invalidToken, { 'www-authenticate': 'Token' });
    if (account.spec.expired) return json(401, ex.expiredToken, { 'www-authenticate': 'Token' });
    const can = (permission: string) => !req.faults.missingPermissions.includes(permission);
    const denied = json(403, ex.permissionDenied);
    const method = (allowed: string) => (req.method === allowed ? null : json(405, { detail: `Method "${req.method}" not allowed.` }));

    switch (req.path) {
      case '/core/version/':
        return method('GET') ?? json(200, ex.version);
      case '/core/dashinfo/':
        return method('GET') ?? json(200, ex.dashinfo);
      case '/clients/':
        if (!can('can_list_clients')) return denied;
        return method('GET') ?? json(200, account.clients.map((c) => clientRow(account, c)));
      case '/agents/': {
        if (!can('can_list_agents')) return denied;
        const wrong = method('GET');
        if (wrong) return wrong;
        let agents = account.agents;
        const site = req.query.get('site');
        const client = req.query.get('client');
        const type = req.query.get('monitoring_type');
        // Site wins over client when both are given [H: agents/views.py GetAgents.get].
        if (site) agents = agents.filter((a) => String(a.site) === site);
        else if (client) agents = agents.filter((a) => String(a.client) === client);
        else if (type !== null) {
          if (type !== 'server' && type !== 'workstation') return json(400, ex.monitoringTypeUnknown);
          agents = agents.filter((a) => a.monitoring_type === type);
        }
        return json(200, agents.map(agentRow));
      }
      case '/scripts/':
        if (!can('can_list_scripts')) return denied;
        return method('GET') ?? json(200, account.scripts.map((s) => ({ ...s, script_type: 'userdefined', hidden: false, favorite: false, filename: null, syntax: null, supported_platforms: [], run_as_user: false, env_vars: [] })));
      case '/alerts/':
        if (!can('can_list_alerts')) return denied;
        return method('PATCH') ?? alertsRoute(account, req.body);
    }

    // /agents/{agent_id}/…
    const match = agentRoute.exec(req.rawPath);
    const agent = account.agents.find((a) => a.agent_id === decodeURIComponent(match?.[1] ?? ''));
    const action = match?.[2];
    if (!action) {
      if (!can('can_list_agents')) return denied;
      if (!agent) return json(404, ex.notFound);
      return method('GET') ?? json(200, agentDetail(agent));
    }
    const wrong = method('POST');
    if (wrong) return wrong;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body || '{}') as Record<string, unknown>;
    } catch {
      return json(400, { detail: 'JSON parse error' });
    }
    if (action === 'runscript/' && !can('can_run_scripts')) return denied;
    if (action === 'cmd/' && !can('can_send_cmd')) return denied;
    if (action === 'reboot/' && !can('can_reboot_agents')) return denied;
    if (!agent) return json(404, ex.notFound);
    writes.push({ path: req.path, key, body });
    if (action === 'runscript/') return runScript(account, agent, body);
    if (action === 'cmd/') {
      for (const k of ['cmd', 'shell', 'timeout', 'run_as_user']) if (!(k in body)) return html(500, ex.djangoServerError);
      if (modes.natsDown) return json(200, 'natsdown');
      if (agent.status !== 'online') return json(400, ex.unableToContact);
      return json(200, commandOutput(agent, String(body.cmd)));
    }
    if (agent.status !== 'online') return json(400, ex.unableToContact);
    return json(200, 'ok');
  }

  function runScript(account: Account, agent: Agent, body: Record<string, unknown>): FakeResponse {
    // A missing key is a KeyError in the view: Django's 500 page.
    for (const k of ['script', 'output', 'args', 'run_as_user', 'env_vars', 'timeout']) if (!(k in body)) return html(500, ex.djangoServerError);
    const script = account.scripts.find((s) => s.id === Number(body.script));
    if (!script) return json(404, ex.notFound);
    if (!['wait', 'note', 'collector'].includes(String(body.output))) return json(200, `${script.name} will now be run on ${agent.hostname}`);
    if (modes.scriptTimeout || agent.status !== 'online') return json(200, 'timeout');
    const args = Array.isArray(body.args) && body.args.length ? ` ${body.args.join(' ')}` : '';
    return json(200, `${script.name}${args}: completed on ${agent.hostname}\nexit code 0`);
  }

  function alertsRoute(account: Account, raw: string): FakeResponse {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return json(400, { detail: 'JSON parse error' });
    }
    const rows = account.alerts;
    if ('top' in body) {
      const open = rows.filter((a) => !a.resolved && !a.snoozed);
      return json(200, { alerts_count: open.length, alerts: open.slice(0, Number(body.top) || 10).map(alertRow) });
    }
    const filterKeys = ['timeFilter', 'clientFilter', 'severityFilter', 'resolvedFilter', 'snoozedFilter'];
    if (!filterKeys.some((k) => k in body)) return json(200, rows.map(alertRow));
    let out = rows;
    // Only `false` filters: `true` means "show them too", which is no filter at all.
    if (body.resolvedFilter === false) out = out.filter((a) => !a.resolved);
    if (body.snoozedFilter === false) out = out.filter((a) => !a.snoozed);
    if (Array.isArray(body.severityFilter)) out = out.filter((a) => (body.severityFilter as unknown[]).includes(a.severity));
    if (Array.isArray(body.clientFilter)) out = out.filter((a) => (body.clientFilter as unknown[]).map(Number).includes(a.agent.client));
    return json(200, out.map(alertRow));
  }

  return {
    baseUrl: http.origin,
    dashboardUrl: `${http.origin}/dashboard`,
    addAccount(spec) {
      const clientsSpec = spec.clients ?? [1, 2, 3].map((i) => ({ name: `Client ${i}`, sites: ['Main Office', 'Branch'] }));
      const clients = clientsSpec.map((c) => ({ id: nextId.client++, name: c.name, sites: (c.sites ?? ['Main Office']).map((s) => ({ id: nextId.site++, name: s })) }));
      const agents: Agent[] = [];
      const perSite = spec.agentsPerSite ?? 2;
      for (const c of clients) {
        for (const s of c.sites) {
          for (let n = 1; n <= perSite; n++) {
            const hostname = `${slug(c.name)}-${slug(s.name)}-${String(n).padStart(2, '0')}`.toUpperCase().slice(0, 40);
            const server = n === 1 && s === c.sites[0];
            agents.push({
              agent_id: agentId(`${spec.key}:${c.id}:${s.id}:${n}`),
              hostname,
              client: c.id,
              client_name: c.name,
              site: s.id,
              site_name: s.name,
              status: spec.offlineEvery && n % spec.offlineEvery === 0 ? 'offline' : 'online',
              plat: 'windows',
              monitoring_type: server ? 'server' : 'workstation',
            });
          }
        }
      }
      const scripts = (spec.scripts ?? [{ name: 'Clear DNS cache', shell: 'powershell', category: 'Network' }, { name: 'Disk cleanup', shell: 'powershell', category: 'Maintenance', args: ['-Drive C:'] }]).map((s) => ({
        id: nextId.script++,
        name: s.name,
        shell: s.shell ?? 'powershell',
        category: s.category ?? null,
        description: s.description ?? '',
        args: s.args ?? [],
        default_timeout: s.defaultTimeout ?? 90,
      }));
      const alerts = (spec.alerts ?? []).flatMap((a, i) => {
        const agent = agents[a.agentIndex % Math.max(agents.length, 1)];
        return agent ? [{ id: nextId.alert++, agent, severity: a.severity, message: a.message, resolved: a.resolved ?? false, snoozed: a.snoozed ?? false, alert_time: new Date(Date.now() - (i + 1) * 3_600_000).toISOString() }] : [];
      });
      accounts.set(spec.key, { spec, clients, agents, scripts, alerts });
      return {
        clients,
        agents: agents.map((a) => ({ agent_id: a.agent_id, hostname: a.hostname, client: a.client, site: a.site, status: a.status })),
        scripts: scripts.map((s) => ({ id: s.id, name: s.name })),
      };
    },
    setModes: (patch) => void Object.assign(modes, patch),
    setFaults: (patch, key) => http.setFaults(patch, key),
    resetFaults() {
      http.resetFaults();
      Object.assign(modes, { dashboard: false, scriptTimeout: false, natsDown: false });
    },
    requestCount: (filter) => http.requestCount(filter),
    resetCounts() {
      http.resetCounts();
      writes.length = 0;
    },
    writes: () => [...writes],
    close: () => http.close(),
  };
}

function header(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.trim() !== '' ? text.trim() : undefined;
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '').slice(0, 12) || 'X';

/** TRMM agent ids are 40 random letters; these are derived from the seed so a demo keeps its ids. */
function agentId(seed: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from({ length: 40 }, (_, i) => letters[(bytes[i % bytes.length] as number) % letters.length]).join('');
}

function clientRow(account: Account, c: Account['clients'][number]) {
  const count = account.agents.filter((a) => a.client === c.id).length;
  return {
    id: c.id,
    name: c.name,
    server_policy: null,
    workstation_policy: null,
    alert_template: null,
    block_policy_inheritance: false,
    sites: c.sites.map((s) => ({ id: s.id, name: s.name, client: c.id, client_name: c.name, maintenance_mode: false, agent_count: account.agents.filter((a) => a.site === s.id).length, failing_checks: { error: false, warning: false }, custom_fields: [] })),
    custom_fields: [],
    agent_count: count,
    maintenance_mode: false,
    failing_checks: { error: false, warning: false },
  };
}

const lastSeen = (a: Agent) => new Date(Date.now() - (a.status === 'online' ? 60_000 : 3 * 86_400_000)).toISOString();

/** AgentTableSerializer: names, never the client or site ids. */
function agentRow(a: Agent) {
  return {
    agent_id: a.agent_id,
    alert_template: null,
    hostname: a.hostname,
    site_name: a.site_name,
    client_name: a.client_name,
    monitoring_type: a.monitoring_type,
    description: a.monitoring_type === 'server' ? 'Domain controller' : '',
    needs_reboot: false,
    pending_actions_count: 0,
    status: a.status,
    overdue_text_alert: false,
    overdue_email_alert: false,
    overdue_dashboard_alert: false,
    last_seen: lastSeen(a),
    boot_time: Date.now() / 1000 - 86_400,
    checks: { total: 4, passing: 4, failing: 0, warning: 0, info: 0, has_failing_checks: false },
    maintenance_mode: false,
    logged_username: a.status === 'online' ? 'jdoe' : 'None',
    italic: false,
    policy: null,
    block_policy_inheritance: false,
    plat: a.plat,
    goarch: 'amd64',
    has_patches_pending: false,
    version: '2.8.0',
    operating_system: a.monitoring_type === 'server' ? 'Windows Server 2022 Standard, 64 bit (build 20348)' : 'Windows 11 Pro, 64 bit v23H2 (build 22631)',
    public_ip: '203.0.113.10',
    cpu_model: ['Intel(R) Core(TM) i5-1135G7 CPU @ 2.40GHz'],
    graphics: 'Intel(R) Iris(R) Xe Graphics',
    local_ips: '192.168.1.20',
    make_model: 'Dell Inc. Latitude 5420',
    physical_disks: ['Samsung SSD 512GB'],
    serial_number: `SN${a.agent_id.slice(0, 8).toUpperCase()}`,
    custom_fields: [],
  };
}

/** AgentSerializer (the detail): the row's fields and more; `client` is the client's name. */
function agentDetail(a: Agent) {
  return { ...agentRow(a), client: a.client_name, logged_in_username: a.status === 'online' ? 'jdoe' : 'None', last_logged_in_user: 'jdoe', timezone: 'America/New_York', all_timezones: [], winupdatepolicy: [], applied_policies: {}, effective_patch_policy: {} };
}

function alertRow(a: Alert) {
  return {
    id: a.id,
    alert_type: 'availability',
    alert_time: a.alert_time,
    message: a.message,
    severity: a.severity,
    resolved: a.resolved,
    resolved_on: null,
    snoozed: a.snoozed,
    snooze_until: null,
    hostname: a.agent.hostname,
    agent_id: a.agent.agent_id,
    client: a.agent.client_name,
    site: a.agent.site_name,
    alert_template: null,
  };
}

/** A plausible answer for a few commands; anything else echoes what ran. */
function commandOutput(a: Agent, cmd: string): string {
  if (/^\s*hostname\s*$/i.test(cmd)) return a.hostname;
  if (/^\s*whoami\s*$/i.test(cmd)) return `${a.hostname.toLowerCase()}\\system`;
  return `Ran on ${a.hostname}: ${cmd}`;
}
