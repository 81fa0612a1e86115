import { createHash, randomBytes } from 'node:crypto';
import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';

/**
 * A loopback NinjaOne speaking what `shared/vendor-apis.md` §3 and NinjaOne's published API
 * document (`shared/vendor-specs/ninjaone-openapi.yml`, NJ-OAS) record:
 * - OAuth2 per the authorization-server metadata [H: NJ-OAS well-known]: token endpoint
 *   `/ws/oauth/token`, authorize `/ws/oauth/authorize`; grants client_credentials,
 *   authorization_code (PKCE S256) and refresh_token; client auth in the form or HTTP Basic.
 *   The token path is served at `/oauth/token` too (ALGA and N-NJ post there [M]);
 * - a scope the app was not granted → 400 `invalid_scope` [M: WYRE-AI PR #87, ALGA PRs
 *   #1398/#1401 "Invalid scope control for client"]; `offline_access` with client_credentials →
 *   400 [M: SQUP PR #51]; token responses `access_token`, `token_type`, `expires_in` (3600 [L]);
 * - API paths `/v2/...` as the spec has them, also under `/api/v2/...` (ALGA, N-NJ [M]);
 *   `Authorization: Bearer` [M];
 * - `GET /v2/organizations` (getOrganizations), `GET /v2/organization/{id}/devices`
 *   (getOrganizationDevices): bare arrays, `pageSize` + `after` = the last id of the previous
 *   page [H]; `GET /v2/device/{id}` (getDevice); `GET /v2/alerts` (getAlerts): active alerts, a bare
 *   array, no paging, `sourceType` and `df` [H]; `GET /v2/device/{id}/scripting/options`
 *   (requestScriptingOptions) [H]; `POST /v2/device/{id}/script/run` (runScriptOnDevice),
 *   RunScriptRequest, 204 [H, M]; running scripts needs `management` [M].
 *
 * Where the sources say **unknown**, this fake chose (the plugin does not depend on it):
 * - a bad client at the token endpoint: 401 `{"error":"invalid_client"}`; other token errors
 *   400 with RFC 6749 §5.2 bodies (`invalid_grant`, `unauthorized_client`, `unsupported_grant_type`);
 * - API error bodies `{"resultCode": "FAILURE", "errorMessage": …}` (the one client that parses
 *   errors reads that, NJ-PS [L]); an unknown or expired token → 401; a token without the scope → 403;
 * - scripting options need `monitoring` only (the spec tags the path "management", which is a
 *   grouping, not a scope); a script run of an id/uid not in the device's options → 400;
 * - the device filter `df`: `id = N`, `id in (N,M)` and `org = N` are understood, anything else is 400;
 * - `pageSize` without a value: everything; no maximum;
 * - refresh tokens are issued when `offline_access` was granted, and kept (not rotated).
 *
 * Tenants are apps (client ids), so fault switches and counts are per app.
 */
export type NinjaGrantType = 'client_credentials' | 'authorization_code' | 'refresh_token';

export interface NinjaAppSpec {
  clientId: string;
  clientSecret: string;
  name?: string;
  /** Scopes granted to the app (default monitoring). */
  scopes?: string[];
  /** Grants enabled (default client_credentials only). */
  grants?: NinjaGrantType[];
  /** Allowed redirect URIs for authorization_code (default: any). */
  redirectUris?: string[];
}

export interface FakeNinjaDevice {
  id: number;
  uid: string;
  organizationId: number;
  locationId: number;
  nodeClass: string;
  approvalStatus: string;
  offline: boolean;
  displayName: string;
  systemName: string;
  dnsName: string;
  netbiosName: string;
  created: number;
  lastContact: number;
  lastUpdate: number;
}

export interface FakeNinjaAlert {
  uid: string;
  deviceId: number;
  message: string;
  subject: string;
  sourceType: string;
  sourceName: string;
  createTime: number;
  updateTime: number;
  psaTicketId: null;
}

export interface FakeScriptingOptions {
  categories: { id: number; name: string; internal: boolean }[];
  scripts: { type: 'SCRIPT' | 'ACTION'; id?: number; uid?: string; name: string; language?: string; description?: string; architecture?: string[]; categoryId?: number }[];
  credentials: { roles: string[]; credentials: { id: number; name: string; type: string }[] };
}

export interface FakeNinjaOne {
  /** NINJAONE_BASE_URL for this fake. */
  readonly origin: string;
  addApp(spec: NinjaAppSpec): void;
  /** Adds organizations (ids continue from the last); returns their ids. */
  addOrganizations(count: number, names?: string[]): number[];
  /** Adds devices to an organization; returns them. */
  addDevices(organizationId: number, specs: Partial<Omit<FakeNinjaDevice, 'id' | 'organizationId'>>[]): FakeNinjaDevice[];
  addAlert(spec: Partial<FakeNinjaAlert> & { deviceId: number }): FakeNinjaAlert;
  /** A device's scripting options (default: one script, one built-in action, the usual roles). */
  setScriptingOptions(deviceId: number, options: FakeScriptingOptions): void;
  /** The refresh tokens of an app stop working (400 invalid_grant). */
  revokeRefreshTokens(clientId: string): void;
  /** `expires_in` sent (default 3600), and "tokens expire early": 401 for tokens older than this (null: off). */
  setTokenLifetime(options: { expiresIn?: number; expireAfterSeconds?: number | null }): void;
  /** Token requests received, by grant_type and/or client id. */
  tokenRequests(filter?: { grant?: string; clientId?: string }): number;
  /** Script runs NinjaOne accepted (204), per device: what exactly-once checks count. */
  scriptRuns(deviceId?: number): number;
  /** The bodies of a device's accepted runs, in order. */
  runsOf(deviceId: number): unknown[];
  setFaults(patch: Partial<FaultSwitches>, clientId?: string): void;
  resetFaults(): void;
  /** Requests by normalised path ("/v2/organizations", "/ws/oauth/token") and/or client id. */
  requestCount(filter?: { path?: string; tenant?: string }): number;
  resetCounts(): void;
  close(): Promise<void>;
}

interface App {
  secret: string;
  name: string;
  scopes: Set<string>;
  grants: Set<NinjaGrantType>;
  redirectUris: string[] | null;
}
interface Issued {
  clientId: string;
  scopes: string[];
  issuedAt: number;
}

const epoch = (ms: number) => Math.round(ms / 10) / 100;
const apiError = (status: number, text: string): FakeResponse => ({ status, json: { resultCode: 'FAILURE', errorMessage: text } });
const oauthError = (status: number, error: string, description: string): FakeResponse => ({ status, json: { error, error_description: description } });
const tokenPaths = new Set(['/ws/oauth/token', '/oauth/token']);
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startFakeNinjaOne(options: { port?: number } = {}): Promise<FakeNinjaOne> {
  const apps = new Map<string, App>();
  const organizations: { id: number; name: string; description: string; nodeApprovalMode: string; tags: string[] }[] = [];
  const devices: FakeNinjaDevice[] = [];
  const alerts: FakeNinjaAlert[] = [];
  const scripting = new Map<number, FakeScriptingOptions>();
  const tokens = new Map<string, Issued>();
  const refreshTokens = new Map<string, Issued & { revoked: boolean }>();
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; scopes: string[] }>();
  const consents = new Map<string, { clientId: string; redirectUri: string; state: string; challenge: string; scopes: string[] }>();
  const tokenCounts = new Map<string, number>();
  const runs: { deviceId: number; body: unknown }[] = [];
  let expiresIn = 3600;
  let expireAfterSeconds: number | null = null;

  const http = new FakeVendorHttp({
    name: 'NinjaOne',
    identify(req, url, body) {
      const raw = url.pathname;
      if (tokenPaths.has(raw)) return { tenant: tokenClient(req.headers.authorization, body), path: '/ws/oauth/token' };
      if (raw === '/ws/oauth/authorize') return { tenant: url.searchParams.get('client_id') ?? undefined, path: raw };
      const path = raw.startsWith('/api/v2/') ? raw.slice('/api'.length) : raw;
      if (!path.startsWith('/v2/')) return apiError(404, 'Not found');
      return { tenant: bearerOwner(req.headers.authorization), path };
    },
    route: (req) => (req.path === '/ws/oauth/token' ? tokenRoute(req) : req.path === '/ws/oauth/authorize' ? authorizeRoute(req) : apiRoute(req)),
    errorBody(status) {
      if (status === 429) return apiError(429, 'Too many requests');
      if (status === 401) return apiError(401, 'Invalid or expired token');
      if (status === 403) return apiError(403, 'Access denied');
      return apiError(status, status >= 500 ? 'Internal server error' : 'Request failed');
    },
  });
  await http.start(options.port);

  function tokenClient(authorization: string | undefined, body: string): string | undefined {
    return basic(authorization)?.id ?? new URLSearchParams(body).get('client_id') ?? undefined;
  }
  function bearerOwner(authorization: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    return match?.[1] ? tokens.get(match[1])?.clientId : undefined;
  }

  function issue(clientId: string, scopes: string[], withRefresh: boolean, refreshToken?: string): FakeResponse {
    const access = `nj_at_${randomBytes(18).toString('base64url')}`;
    tokens.set(access, { clientId, scopes, issuedAt: Date.now() });
    const body: Record<string, unknown> = { access_token: access, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') };
    if (refreshToken) body.refresh_token = refreshToken;
    else if (withRefresh) {
      const rt = `nj_rt_${randomBytes(24).toString('base64url')}`;
      refreshTokens.set(rt, { clientId, scopes, issuedAt: Date.now(), revoked: false });
      body.refresh_token = rt;
    }
    return { status: 200, json: body, headers: { 'cache-control': 'no-store' } };
  }

  /** `POST /ws/oauth/token` (and `/oauth/token`) [H: NJ-OAS well-known token_endpoint; M: ALGA, N-NJ]. */
  function tokenRoute(req: FakeRequest): FakeResponse {
    if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'Use POST');
    const form = new URLSearchParams(req.body);
    const grant = form.get('grant_type') ?? '';
    const fromBasic = basic(req.headers.authorization);
    const clientId = fromBasic?.id ?? form.get('client_id') ?? '';
    const secret = fromBasic?.secret ?? form.get('client_secret') ?? '';
    tokenCounts.set(`${grant}\u0000${clientId}`, (tokenCounts.get(`${grant}\u0000${clientId}`) ?? 0) + 1);
    const app = apps.get(clientId);
    if (!app || app.secret !== secret || req.faults.badCredentials) return oauthError(401, 'invalid_client', 'Client authentication failed');

    if (grant === 'client_credentials') {
      if (!app.grants.has('client_credentials')) return oauthError(400, 'unauthorized_client', 'The client is not authorized to use this grant type');
      const asked = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
      // SQUP PR #51: the EU server answered 400 to offline_access with client credentials.
      if (asked.includes('offline_access')) return oauthError(400, 'invalid_scope', 'Invalid scope offline_access for client_credentials');
      const refused = asked.find((s) => !app.scopes.has(s) || req.faults.missingPermissions.includes(s));
      if (refused) return oauthError(400, 'invalid_scope', `Invalid scope ${refused} for client`);
      return issue(clientId, asked.length ? asked : [...app.scopes], false);
    }
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const found = codes.get(code);
      codes.delete(code); // single use: a second exchange finds nothing
      if (!found) return oauthError(400, 'invalid_grant', 'The authorization code is invalid, expired or already used');
      if (found.clientId !== clientId) return oauthError(400, 'invalid_grant', 'The authorization code was issued to another client');
      if (found.redirectUri !== form.get('redirect_uri')) return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      if (s256(form.get('code_verifier') ?? '') !== found.challenge) return oauthError(400, 'invalid_grant', 'PKCE verification failed');
      return issue(clientId, found.scopes, found.scopes.includes('offline_access'));
    }
    if (grant === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const found = refreshTokens.get(rt);
      if (!found || found.revoked || found.clientId !== clientId) return oauthError(400, 'invalid_grant', 'The refresh token is invalid or revoked');
      return issue(clientId, found.scopes, false, rt);
    }
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type ${grant.slice(0, 40)}`);
  }

  /** `GET`/`POST /ws/oauth/authorize` [H: NJ-OAS well-known authorization_endpoint, PKCE S256]. */
  function authorizeRoute(req: FakeRequest): FakeResponse {
    const page = (status: number, text: string): FakeResponse => ({ status, text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>NinjaOne</title></head><body><main><p>${escapeHtml(text)}</p></main></body></html>` });
    if (req.method === 'POST') {
      const form = new URLSearchParams(req.body);
      const consent = consents.get(form.get('consent') ?? '');
      if (!consent) return page(400, 'This sign-in request has expired; start again.');
      consents.delete(form.get('consent') ?? '');
      const to = new URL(consent.redirectUri);
      if (form.get('decision') === 'allow') {
        const code = randomBytes(16).toString('base64url');
        codes.set(code, { clientId: consent.clientId, redirectUri: consent.redirectUri, challenge: consent.challenge, scopes: consent.scopes });
        to.searchParams.set('code', code);
      } else to.searchParams.set('error', 'access_denied');
      to.searchParams.set('state', consent.state);
      return { status: 302, headers: { location: to.toString() }, text: '' };
    }
    const q = req.query;
    const clientId = q.get('client_id') ?? '';
    const app = apps.get(clientId);
    const redirectUri = q.get('redirect_uri') ?? '';
    // Never redirect to an address not verified for the client (RFC 6749 §4.1.2.1): an error page instead.
    if (!app) return page(400, 'Unknown client_id.');
    let valid = false;
    try {
      valid = ['http:', 'https:'].includes(new URL(redirectUri).protocol) && (app.redirectUris === null || app.redirectUris.includes(redirectUri));
    } catch {
      valid = false;
    }
    if (!valid) return page(400, 'redirect_uri is not registered for this app.');
    const back = (error: string): FakeResponse => {
      const to = new URL(redirectUri);
      to.searchParams.set('error', error);
      if (q.get('state')) to.searchParams.set('state', q.get('state') ?? '');
      return { status: 302, headers: { location: to.toString() }, text: '' };
    };
    if (q.get('response_type') !== 'code') return back('unsupported_response_type');
    if (!app.grants.has('authorization_code')) return back('unauthorized_client');
    if (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256') return back('invalid_request');
    const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (scopes.some((s) => s !== 'offline_access' && !app.scopes.has(s))) return back('invalid_scope');
    const id = randomBytes(12).toString('base64url');
    consents.set(id, { clientId, redirectUri, state: q.get('state') ?? '', challenge: q.get('code_challenge') ?? '', scopes });
    const list = scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
    return {
      status: 200,
      text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>NinjaOne: authorize ${escapeHtml(app.name)}</title></head><body><main><h1>${escapeHtml(app.name)} wants to access your NinjaOne account</h1><ul>${list}</ul><form method="post" action="/ws/oauth/authorize"><input type="hidden" name="consent" value="${id}"><button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button></form></main></body></html>`,
    };
  }

  function apiRoute(req: FakeRequest): FakeResponse {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const issued = match?.[1] ? tokens.get(match[1]) : undefined;
    if (!issued || req.faults.badCredentials) return apiError(401, 'Invalid or expired token');
    if (expireAfterSeconds !== null && Date.now() - issued.issuedAt > expireAfterSeconds * 1000) return apiError(401, 'Invalid or expired token');
    const has = (scope: string) => issued.scopes.includes(scope) && !req.faults.missingPermissions.includes(scope);
    const path = req.path.slice('/v2'.length);
    const device = /^\/device\/(\d+)(\/scripting\/options|\/script\/run)?$/.exec(path);
    const orgDevices = /^\/organization\/(\d+)\/devices$/.exec(path);

    if (req.method === 'POST' && device?.[2] === '/script/run') {
      if (!has('management')) return apiError(403, 'Access denied: the management scope is required');
      return runScript(Number(device[1]), req.body);
    }
    if (req.method !== 'GET') return apiError(404, 'Not found');
    if (!has('monitoring')) return apiError(403, 'Access denied: the monitoring scope is required');
    if (path === '/organizations') return paged(req, organizations.map((o) => ({ ...o, userData: {}, fields: {} })));
    if (orgDevices) {
      const id = Number(orgDevices[1]);
      if (!organizations.some((o) => o.id === id)) return apiError(404, 'Organization not found');
      return paged(req, devices.filter((d) => d.organizationId === id));
    }
    if (device && !device[2]) {
      const found = devices.find((d) => d.id === Number(device[1]));
      return found ? { status: 200, json: { ...found, rolePolicyId: 1, policyId: 1, nodeRoleId: 1, userData: {}, tags: [], fields: {}, maintenance: null, references: {} } } : apiError(404, 'Device not found');
    }
    if (device?.[2] === '/scripting/options') {
      const id = Number(device[1]);
      if (!devices.some((d) => d.id === id)) return apiError(404, 'Device not found');
      return { status: 200, json: optionsOf(id) };
    }
    if (path === '/alerts') {
      let found = [...alerts];
      const df = req.query.get('df');
      if (df) {
        const ids = deviceFilter(df);
        if (!ids) return apiError(400, 'Invalid device filter');
        found = found.filter((a) => ids.has(a.deviceId));
      }
      const sourceType = req.query.get('sourceType');
      if (sourceType) found = found.filter((a) => a.sourceType === sourceType);
      return { status: 200, json: found.map((a) => ({ ...a, data: {}, device: devices.find((d) => d.id === a.deviceId) ?? null })) };
    }
    return apiError(404, 'Not found');
  }

  /** The device ids a `df` selects, or null when this fake does not understand it. */
  function deviceFilter(df: string): Set<number> | null {
    const one = /^\s*id\s*=\s*(\d+)\s*$/.exec(df);
    if (one) return new Set([Number(one[1])]);
    const list = /^\s*id\s+in\s*\(([\d\s,]+)\)\s*$/.exec(df);
    if (list?.[1]) return new Set(list[1].split(',').map((s) => Number(s.trim())));
    const org = /^\s*org\s*=\s*(\d+)\s*$/.exec(df);
    if (org) return new Set(devices.filter((d) => d.organizationId === Number(org[1])).map((d) => d.id));
    return null;
  }

  function optionsOf(deviceId: number): FakeScriptingOptions {
    return (
      scripting.get(deviceId) ?? {
        categories: [{ id: 1, name: 'Maintenance', internal: false }],
        scripts: [
          { type: 'SCRIPT', id: 41, name: 'Clear temp files', language: 'powershell', description: 'Removes temporary files', architecture: ['64'], categoryId: 1 },
          { type: 'ACTION', uid: 'b4a1f0c2-5d3e-4f6a-8b7c-9d0e1f2a3b4c', name: 'Restart Print Spooler', description: 'Built-in action', categoryId: 1 },
        ],
        credentials: { roles: ['system', 'loggedonuser', 'SR_LOCAL_ADMINISTRATOR', 'SR_DOMAIN_ADMINISTRATOR'], credentials: [{ id: 7, name: 'Domain admin', type: 'WINDOWS' }] },
      }
    );
  }

  /** `POST /v2/device/{id}/script/run` (runScriptOnDevice): RunScriptRequest → 204 [H: NJ-OAS; M: 204 in clients]. */
  function runScript(deviceId: number, text: string): FakeResponse {
    if (!devices.some((d) => d.id === deviceId)) return apiError(404, 'Device not found');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return apiError(400, 'Malformed JSON');
    }
    const options = optionsOf(deviceId);
    const known =
      body.type === 'SCRIPT'
        ? options.scripts.some((s) => s.type === 'SCRIPT' && s.id === body.id)
        : body.type === 'ACTION' && options.scripts.some((s) => s.type === 'ACTION' && s.uid === body.uid);
    if (!known) return apiError(400, 'Script or action not found for this device');
    if (body.runAs !== undefined && typeof body.runAs !== 'string') return apiError(400, 'runAs must be a string');
    runs.push({ deviceId, body });
    return { status: 204 };
  }

  function paged<T extends { id: number }>(req: FakeRequest, all: T[]): FakeResponse {
    const sizeText = req.query.get('pageSize');
    const afterText = req.query.get('after');
    const size = sizeText === null ? Infinity : Number(sizeText);
    const after = afterText === null ? -Infinity : Number(afterText);
    if (Number.isNaN(size) || size < 1 || Number.isNaN(after)) return apiError(400, 'Invalid paging parameters');
    const sorted = [...all].sort((a, b) => a.id - b.id).filter((x) => x.id > after);
    return { status: 200, json: sorted.slice(0, size === Infinity ? undefined : size) };
  }

  return {
    origin: http.origin,
    addApp(spec) {
      apps.set(spec.clientId, {
        secret: spec.clientSecret,
        name: spec.name ?? 'Integration Center',
        scopes: new Set(spec.scopes ?? ['monitoring']),
        grants: new Set(spec.grants ?? ['client_credentials']),
        redirectUris: spec.redirectUris ?? null,
      });
    },
    addOrganizations(count, names = []) {
      const start = (organizations.at(-1)?.id ?? 0) + 1;
      return Array.from({ length: count }, (_, i) => {
        const id = start + i;
        organizations.push({ id, name: names[i] ?? `Organization ${id}`, description: '', nodeApprovalMode: 'AUTOMATIC', tags: [] });
        return id;
      });
    },
    addDevices(organizationId, specs) {
      return specs.map((spec) => {
        const id = (devices.at(-1)?.id ?? 100) + 1;
        const name = spec.displayName ?? `DEVICE-${id}`;
        const now = Date.now();
        const d: FakeNinjaDevice = {
          id,
          uid: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
          organizationId,
          locationId: 1,
          nodeClass: 'WINDOWS_WORKSTATION',
          approvalStatus: 'APPROVED',
          offline: false,
          systemName: name,
          dnsName: `${name.toLowerCase()}.corp.example`,
          netbiosName: name,
          created: epoch(now - 86_400_000 * 30),
          lastContact: epoch(now - 60_000),
          lastUpdate: epoch(now - 60_000),
          ...spec,
          displayName: name,
        };
        devices.push(d);
        return d;
      });
    },
    addAlert(spec) {
      const now = Date.now();
      const alert: FakeNinjaAlert = {
        uid: randomUuid(),
        message: 'CPU utilization above 90%',
        subject: 'CPU usage high',
        sourceType: 'CONDITION_AGENT_CPU',
        sourceName: 'CPU > 90% for 5 minutes',
        createTime: epoch(now - 600_000),
        updateTime: epoch(now - 60_000),
        psaTicketId: null,
        ...spec,
      };
      alerts.push(alert);
      return alert;
    },
    setScriptingOptions: (deviceId, opts) => void scripting.set(deviceId, opts),
    revokeRefreshTokens(clientId) {
      for (const rt of refreshTokens.values()) if (rt.clientId === clientId) rt.revoked = true;
    },
    setTokenLifetime(opts) {
      if (opts.expiresIn !== undefined) expiresIn = opts.expiresIn;
      if (opts.expireAfterSeconds !== undefined) expireAfterSeconds = opts.expireAfterSeconds;
    },
    tokenRequests(filter = {}) {
      let total = 0;
      for (const [key, n] of tokenCounts) {
        const [grant, clientId] = key.split('\u0000');
        if ((filter.grant === undefined || filter.grant === grant) && (filter.clientId === undefined || filter.clientId === clientId)) total += n;
      }
      return total;
    },
    scriptRuns: (deviceId) => runs.filter((r) => deviceId === undefined || r.deviceId === deviceId).length,
    runsOf: (deviceId) => runs.filter((r) => r.deviceId === deviceId).map((r) => r.body),
    setFaults: (patch, clientId) => http.setFaults(patch, clientId),
    resetFaults: () => http.resetFaults(),
    requestCount: (filter) => http.requestCount(filter),
    resetCounts() {
      http.resetCounts();
      tokenCounts.clear();
      runs.length = 0;
    },
    close: () => http.close(),
  };
}

function randomUuid(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function basic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // RFC 6749 §2.3.1: both halves form-encoded.
  return colon > 0 ? { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) } : undefined;
}
