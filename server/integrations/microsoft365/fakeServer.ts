import { randomBytes, randomUUID } from 'node:crypto';
import { entraError } from '../oauth2/testing/entraError.js';
import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';

/**
 * One loopback server standing in for Microsoft 365's three hosts (MICROSOFT365_EMULATOR_URL, only
 * with VENDOR_EMULATORS=true), as `/work/shared/vendor-apis-m365-zapier.md` §1.8 describes:
 *
 * login.microsoftonline.com — `POST /{tenant}/oauth2/v2.0/token` [H: entra@03033eb…
 *   v2-oauth2-client-creds-grant-flow.md]: form `client_credentials`, secret in the body or HTTP
 *   Basic, `scope` exactly one `<resource>/.default`; success `{token_type, expires_in: 3599,
 *   ext_expires_in, access_token}`; errors `{error, error_description: "AADSTSnnn: …\r\nTrace ID…",
 *   error_codes, timestamp, trace_id, correlation_id, error_uri}` [H: entra@04f6554…
 *   reference-error-codes.md]: unknown tenant 90002, app not in the tenant 700016, not consented
 *   65001, not authorized for partner delegated admins 90099, blocked by Conditional Access 53003,
 *   bad secret 7000215, expired secret 7000222 (401 `invalid_client` for the secret: [L], §1.8),
 *   bad scope 70011. `GET /{tenant}/adminconsent?client_id&state&redirect_uri` → 302 to
 *   `redirect_uri?tenant=&state=&admin_consent=True`, or `?error=permission_denied` [H: entra
 *   client-creds doc, admin consent section].
 *
 * graph.microsoft.com — `/v1.0/…` with `Authorization: Bearer`; the tenant is the token's (the real
 *   Graph reads the `tid` claim, §1.8.1: a token is bound to its tenant, so an object of tenant B
 *   asked with tenant A's token is 404 `Request_ResourceNotFound`). Collections `{"@odata.context",
 *   value, "@odata.nextLink"?}` with an absolute nextLink holding `$skiptoken`, `$top` honoured
 *   [H: graphdocs@00e146a… concepts/paging.md]; errors `{"error":{code, message, innerError:
 *   {"request-id", date, "client-request-id"}}}` [H: graphdocs@02b4cba… concepts/errors.md]; 403
 *   `Authorization_RequestDenied` "Insufficient privileges…" when the tenant's grant lacks the
 *   permission [M: §1.6]; 429 `TooManyRequests` with `Retry-After` and `x-ms-throttle-scope`
 *   [H/M: §1.6, throttling-limits]. Paths: `/organization`, `/subscribedSkus`,
 *   `/security/secureScores`, `/users`, `/users/{id}/revokeSignInSessions` (200 `{"value": true}`:
 *   [L], the fake's choice, §1.5.5), `/tenantRelationships/delegatedAdminRelationships`
 *   (`$filter=status eq 'active'`, a tenant in several relationships, terminated ones) [H:
 *   graphdocs@0713c45… tenantrelationship-list-delegatedadminrelationships.md; M: CIPP Get-Tenants.ps1].
 *   Permissions: §1.4 / §1.5 (Organization.Read.All or Directory.Read.All; SecurityEvents.Read.All;
 *   User.Read.All; Directory.ReadWrite.All for revoke; DelegatedAdminRelationship.Read.All).
 *
 * api.partnercenter.microsoft.com — `GET /v1/customers?size=N` → `{totalCount, items[{id,
 *   companyProfile{tenantId, domain, companyName}, relationshipToPartner}], links{self, next?},
 *   attributes}`; the next page is `links.next.uri` (`…&seekOperation=Next`) sent with the
 *   `MS-ContinuationToken` header it names [H: pcsdk@0ef6db0… get-a-list-of-customers.md; M/L for
 *   the next shape]; `MS-RequestId` / `MS-CorrelationId` echoed; errors `{code, description, data,
 *   source}`; 429 `{"statusCode":429,"message":…}` [H: pcsdk@2c145ef… api-throttling-guidance.md];
 *   `POST /v1/customers/{id}/applicationconsents` grants the app in that tenant (CPV) [H: Learn CPV page].
 *
 * The published pages behind those notes (Microsoft Learn):
 *   https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow (token, admin consent)
 *   https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS codes)
 *   https://learn.microsoft.com/graph/paging · https://learn.microsoft.com/graph/errors
 *   https://learn.microsoft.com/graph/throttling · https://learn.microsoft.com/graph/throttling-limits
 *   https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships
 *   https://learn.microsoft.com/graph/api/organization-list · https://learn.microsoft.com/graph/api/subscribedsku-list
 *   https://learn.microsoft.com/graph/api/security-list-securescores · https://learn.microsoft.com/graph/api/user-list
 *   https://learn.microsoft.com/graph/api/user-revokesigninsessions (application permission User.RevokeSessions.All)
 *   https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers
 *   https://learn.microsoft.com/partner-center/developer/api-throttling-guidance
 *   https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis (CPV application consents)
 *
 * Fake's choices where the sources are silent: token values (opaque, tenant-bound), the
 * throttle (a plain per-tenant requests-per-second limit, off unless set), ids of users and SKUs.
 */

export type FakeConsent = 'consented' | 'not_consented' | 'app_missing' | 'gdap_not_authorized' | 'blocked_by_ca';

export interface FakeM365Tenant {
  id: string;
  displayName: string;
  domain: string;
  /** Whether the app can get a token here, and why not. Default 'consented'. */
  consent?: FakeConsent;
  /** The app roles granted in this tenant (application permissions). Default: everything the plugin asks. */
  roles?: string[];
  /** Listed in Partner Center's customers (CSP). Default true. */
  reseller?: boolean;
  users?: { id: string; displayName: string; userPrincipalName: string; accountEnabled?: boolean }[];
  skus?: { skuPartNumber: string; consumedUnits: number; enabled: number; warning?: number; suspended?: number; capabilityStatus?: string }[];
  secureScore?: { currentScore: number; maxScore: number };
}

export interface FakeM365Relationship {
  id: string;
  displayName: string;
  tenantId: string;
  status: 'active' | 'terminated' | 'approvalPending' | 'expired';
  endDateTime: string;
  autoExtendDuration?: string;
}

export const allM365Roles = ['Organization.Read.All', 'SecurityEvents.Read.All', 'User.Read.All', 'User.RevokeSessions.All'];
const partnerRoles = ['DelegatedAdminRelationship.Read.All'];
export const graphScope = 'https://graph.microsoft.com/.default';
export const partnerCenterScope = 'https://api.partnercenter.microsoft.com/.default';

export interface FakeMicrosoft365 {
  readonly origin: string;
  /** The partner's own tenant and its multi-tenant app. */
  /** Forgets the partner, its tenants, relationships and tokens. */
  reset(): void;
  setPartner(p: { tenantId: string; domain: string; appId: string; secret: string; secretExpired?: boolean }): void;
  addTenant(t: FakeM365Tenant): void;
  setConsent(tenantId: string, consent: FakeConsent, roles?: string[]): void;
  addRelationship(r: FakeM365Relationship): void;
  setRelationshipStatus(id: string, status: FakeM365Relationship['status']): void;
  /** Expire the app's secret (AADSTS7000222 from now on) or restore it. */
  setSecretExpired(expired: boolean): void;
  /** A per-tenant throttle: more than `n` Graph requests a second in one tenant → 429 (null: off). */
  setTenantRequestsPerSecond(n: number | null, retryAfterSeconds?: number): void;
  /** Token requests received (refused ones included) and tokens issued, per tenant or in all. */
  tokenRequests(tenantId?: string): number;
  tokensIssued(tenantId?: string): number;
  /** 429s this fake answered (faults and its own throttle). */
  throttled(): number;
  /** Accepted revokeSignInSessions calls per tenant + user. */
  revocations(tenantId?: string, userId?: string): number;
  /** The tenant of each Graph request's token, oldest first (what tenant-binding tests read). */
  graphLog(): { tenant: string; path: string; status: number }[];
  setFaults(patch: Partial<FaultSwitches>, tenant?: string): void;
  resetFaults(): void;
  requestCount(filter?: { path?: string; tenant?: string }): number;
  resetCounts(): void;
  close(): Promise<void>;
}

interface Issued {
  tenant: string;
  scope: string;
  roles: Set<string>;
  expiresAt: number;
}

const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const consentPath = /^\/([^/]+)\/adminconsent$/;

export async function startFakeMicrosoft365(options: { port?: number } = {}): Promise<FakeMicrosoft365> {
  let partner = { tenantId: '', domain: '', appId: '', secret: '', secretExpired: false };
  const tenants = new Map<string, Required<FakeM365Tenant>>();
  const relationships: FakeM365Relationship[] = [];
  const tokens = new Map<string, Issued>();
  const tokenReq = new Map<string, number>();
  const issued = new Map<string, number>();
  const revoked = new Map<string, number>();
  const log: { tenant: string; path: string; status: number }[] = [];
  let throttledCount = 0;
  let perSecond: { n: number; retryAfter: number } | null = null;
  const windowCounts = new Map<string, { second: number; n: number }>();

  const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  const tenantByName = (name: string) => {
    const n = name.toLowerCase();
    if (n === partner.tenantId || n === partner.domain) return partner.tenantId;
    for (const t of tenants.values()) if (t.id === n || t.domain === n) return t.id;
    return undefined;
  };
  const bearerOf = (req: { headers: Record<string, string | string[] | undefined> }) => /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];

  const fake = new FakeVendorHttp({
    name: 'Microsoft 365',
    identify(req, url) {
      const t = tokenPath.exec(url.pathname);
      if (t) return { tenant: decodeURIComponent(t[1] as string).toLowerCase(), path: '/oauth2/v2.0/token' };
      const c = consentPath.exec(url.pathname);
      if (c) return { tenant: decodeURIComponent(c[1] as string).toLowerCase(), path: '/adminconsent' };
      // Graph and Partner Center: the tenant is the token's, so switches and counts are per tenant.
      const token = tokens.get(bearerOf(req) ?? '');
      if (url.pathname.startsWith('/v1.0/')) return { tenant: token?.tenant, path: url.pathname.slice(5) };
      if (url.pathname.startsWith('/v1/')) return { tenant: token?.tenant, path: url.pathname.slice(3) };
      return { status: 404, json: { error: { code: 'NotFound', message: 'Not found' } } };
    },
    route(req) {
      if (req.path === '/oauth2/v2.0/token') return token(req);
      if (req.path === '/adminconsent') return adminConsent(req);
      return req.rawPath.startsWith('/v1.0/') ? graph(req) : partnerCenter(req);
    },
    errorBody(status) {
      if (status === 429) {
        throttledCount++;
        return { status, json: { error: { code: 'TooManyRequests', message: 'Too many requests from Identifier. Please try again later.', innerError: inner() } } };
      }
      return { status, json: { error: { code: status === 403 ? 'Authorization_RequestDenied' : 'serviceNotAvailable', message: status === 403 ? 'Insufficient privileges to complete the operation.' : 'The service is unavailable.', innerError: inner() } } };
    },
  });
  await fake.start(options.port);

  const inner = () => ({ 'request-id': randomUUID(), date: new Date().toISOString(), 'client-request-id': randomUUID() });

  function token(req: FakeRequest): FakeResponse {
    const name = req.tenant ?? '';
    bump(tokenReq, tenantByName(name) ?? name);
    if (req.method !== 'POST') return entraError(400, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    const form = new URLSearchParams(req.body);
    let clientId = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (basic) {
      const [u, p] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p ?? '');
    }
    const tenantId = tenantByName(name);
    if (!tenantId) return entraError(400, 'invalid_request', 90002, `Tenant '${name}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    if (form.get('grant_type') !== 'client_credentials') return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (clientId.toLowerCase() !== partner.appId) {
      return entraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${name}'.`);
    }
    const t = tenants.get(tenantId);
    const consent = t ? t.consent : 'consented';
    if (consent === 'app_missing') {
      return entraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    if (secret !== partner.secret || req.faults.badCredentials) return entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    if (partner.secretExpired) return entraError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app.`);
    const scope = form.get('scope') ?? '';
    if (scope !== graphScope && scope !== partnerCenterScope) return entraError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid.`);
    if (consent === 'not_consented') return entraError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${clientId}'.`);
    if (consent === 'gdap_not_authorized') return entraError(400, 'invalid_grant', 90099, `The application '${clientId}' has not been authorized in the tenant '${tenantId}'. Applications must be authorized to access the customer tenant before partner delegated administrators can use them.`);
    if (consent === 'blocked_by_ca') return entraError(400, 'invalid_grant', 53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.');
    const granted = t ? t.roles : partnerRoles;
    const missing = new Set(req.faults.missingPermissions);
    const value = `fake-m365-${randomBytes(24).toString('base64url')}`;
    tokens.set(value, { tenant: tenantId, scope, roles: new Set(granted.filter((r) => !missing.has(r))), expiresAt: Date.now() + 3599_000 });
    bump(issued, tenantId);
    return { status: 200, json: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: value } };
  }

  function adminConsent(req: FakeRequest): FakeResponse {
    const redirect = req.query.get('redirect_uri');
    const state = req.query.get('state') ?? '';
    if (!redirect || req.query.get('client_id')?.toLowerCase() !== partner.appId) return { status: 400, text: '<html>AADSTS700016: the application was not found.</html>' };
    const tenantId = tenantByName(req.tenant ?? '');
    const back = new URL(redirect);
    const t = tenantId ? tenants.get(tenantId) : undefined;
    if (!t || t.consent === 'blocked_by_ca') {
      back.search = new URLSearchParams({ error: 'permission_denied', error_description: 'The admin canceled the request', state }).toString();
    } else {
      // The admin approves: the app gets its service principal and every role it asks for.
      t.consent = 'consented';
      t.roles = [...allM365Roles];
      back.search = new URLSearchParams({ tenant: t.id, state, admin_consent: 'True' }).toString();
    }
    return { status: 302, headers: { location: back.href }, text: '' };
  }

  const graphError = (status: number, code: string, message: string): FakeResponse => {
    const body = inner();
    return { status, headers: { 'request-id': body['request-id'], 'client-request-id': body['client-request-id'] }, json: { error: { code, message, innerError: body } } };
  };

  /** The fake's own throttle, per tenant: a fixed one-second window. */
  function overLimit(tenant: string): FakeResponse | null {
    if (!perSecond) return null;
    const second = Math.floor(Date.now() / 1000);
    const w = windowCounts.get(tenant);
    if (!w || w.second !== second) {
      windowCounts.set(tenant, { second, n: 1 });
      return null;
    }
    w.n += 1;
    if (w.n <= perSecond.n) return null;
    throttledCount++;
    const answer = graphError(429, 'TooManyRequests', 'Too many requests from Identifier. Please try again later.');
    answer.headers = { ...answer.headers, 'retry-after': String(perSecond.retryAfter), 'x-ms-throttle-scope': `Tenant_Application/Read/${partner.appId}/${tenant}`, 'x-ms-throttle-information': 'ResourceUnitLimitExceeded' };
    return answer;
  }

  function collection(req: FakeRequest, path: string, items: unknown[], maxTop: number, defaultTop: number): FakeResponse {
    const top = Math.min(maxTop, Math.max(1, Number(req.query.get('$top') ?? defaultTop) || defaultTop));
    const skip = Number(req.query.get('$skiptoken') ?? '0') || 0;
    const page = items.slice(skip, skip + top);
    const select = req.query.get('$select')?.split(',').filter(Boolean);
    const value = select ? page.map((item) => Object.fromEntries(select.filter((k) => k in (item as object)).map((k) => [k, (item as Record<string, unknown>)[k]]))) : page;
    const body: Record<string, unknown> = { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${path.slice(1)}`, value };
    if (skip + top < items.length) {
      const next = new URL(`${fake.origin}/v1.0${path}`);
      for (const [k, v] of req.query) if (k !== '$skiptoken') next.searchParams.set(k, v);
      next.searchParams.set('$skiptoken', String(skip + top));
      body['@odata.nextLink'] = next.href;
    }
    return { status: 200, json: body };
  }

  const needs = (issuedToken: Issued, any: string[]) => any.some((r) => issuedToken.roles.has(r));

  function graph(req: FakeRequest): FakeResponse {
    const answer = graphRoute(req);
    log.push({ tenant: req.tenant ?? '', path: req.path, status: answer.status });
    return answer;
  }

  function graphRoute(req: FakeRequest): FakeResponse {
    const t = tokens.get(bearerOf(req) ?? '');
    if (!t || t.expiresAt <= Date.now() || t.scope !== graphScope) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    const limited = overLimit(t.tenant);
    if (limited) return limited;
    const denied = () => graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    if (t.tenant === partner.tenantId) {
      if (req.path !== '/tenantRelationships/delegatedAdminRelationships') return graphError(404, 'Request_ResourceNotFound', 'Resource not found in the partner tenant.');
      if (!needs(t, ['DelegatedAdminRelationship.Read.All'])) return denied();
      const filter = req.query.get('$filter');
      const rows = relationships
        .filter((r) => (filter === "status eq 'active'" ? r.status === 'active' : true))
        .map((r) => ({
          '@odata.type': '#microsoft.graph.delegatedAdminRelationship',
          id: r.id,
          displayName: r.displayName,
          status: r.status,
          endDateTime: r.endDateTime,
          autoExtendDuration: r.autoExtendDuration ?? 'PT0S',
          customer: { tenantId: r.tenantId, displayName: tenants.get(r.tenantId)?.displayName ?? r.tenantId },
        }));
      return collection(req, req.path, rows, 300, 300);
    }
    const tenant = tenants.get(t.tenant) as Required<FakeM365Tenant>;
    if (req.path === '/organization') {
      if (!needs(t, ['Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'])) return denied();
      const org = { id: tenant.id, displayName: tenant.displayName, verifiedDomains: [{ name: tenant.domain, isDefault: true, isInitial: true, type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' }], partnerTenantType: null };
      return collection(req, req.path, [org], 999, 999);
    }
    if (req.path === '/subscribedSkus') {
      if (!needs(t, ['Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'])) return denied();
      const skus = tenant.skus.map((s, i) => ({
        skuId: `0000000${i}-0000-4000-8000-${tenant.id.slice(-12)}`,
        skuPartNumber: s.skuPartNumber,
        appliesTo: 'User',
        capabilityStatus: s.capabilityStatus ?? 'Enabled',
        consumedUnits: s.consumedUnits,
        prepaidUnits: { enabled: s.enabled, lockedOut: 0, suspended: s.suspended ?? 0, warning: s.warning ?? 0 },
        servicePlans: [],
      }));
      return collection(req, req.path, skus, 999, 999);
    }
    if (req.path === '/security/secureScores') {
      if (!needs(t, ['SecurityEvents.Read.All'])) return denied();
      const s = tenant.secureScore;
      return collection(req, req.path, [{ id: `${tenant.id}_${new Date().toISOString().slice(0, 10)}`, azureTenantId: tenant.id, currentScore: s.currentScore, maxScore: s.maxScore, createdDateTime: new Date().toISOString(), controlScores: [] }], 1, 1);
    }
    if (req.path === '/users') {
      if (!needs(t, ['User.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'])) return denied();
      const search = /startswith\(displayName,'([^']*)'\)/.exec(req.query.get('$filter') ?? '')?.[1]?.toLowerCase();
      const users = tenant.users.filter((u) => !search || u.displayName.toLowerCase().startsWith(search) || u.userPrincipalName.toLowerCase().startsWith(search));
      return collection(req, req.path, users.map((u) => ({ accountEnabled: true, ...u })), 999, 100);
    }
    const revoke = /^\/users\/([^/]+)\/revokeSignInSessions$/.exec(req.path);
    if (revoke && req.method === 'POST') {
      const id = decodeURIComponent(revoke[1] as string).toLowerCase();
      const user = tenant.users.find((u) => u.id === id || u.userPrincipalName.toLowerCase() === id);
      // A user of another tenant is not found with this tenant's token: the token is bound to its tenant.
      if (!user) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      if (!needs(t, ['User.RevokeSessions.All', 'Directory.ReadWrite.All', 'User.ReadWrite.All'])) return denied();
      bump(revoked, `${tenant.id}|${user.id}`);
      return { status: 200, json: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true } };
    }
    return graphError(400, 'BadRequest', `Resource not found for the segment '${req.path.split('/')[1] ?? ''}'.`);
  }

  const pcError = (status: number, code: number, description: string): FakeResponse => ({ status, json: { code, description, data: [], source: 'PartnerFD' } });

  function partnerCenter(req: FakeRequest): FakeResponse {
    const echo = { 'ms-requestid': String(req.headers['ms-requestid'] ?? randomUUID()), 'ms-correlationid': String(req.headers['ms-correlationid'] ?? randomUUID()) };
    const t = tokens.get(bearerOf(req) ?? '');
    if (!t || t.expiresAt <= Date.now() || t.scope !== partnerCenterScope || t.tenant !== partner.tenantId) {
      return { ...pcError(401, 800001, 'Partner Token missing or not valid'), headers: { ...echo, 'www-authenticate': 'OAuth realm="https://login.windows.net/"' } };
    }
    const consent = /^\/customers\/([^/]+)\/applicationconsents$/.exec(req.path);
    if (consent && req.method === 'POST') {
      const tenant = tenants.get(decodeURIComponent(consent[1] as string).toLowerCase());
      if (!tenant) return { ...pcError(404, 60003, 'Tenant not found'), headers: echo };
      const body = JSON.parse(req.body || '{}') as { applicationGrants?: { scope?: string }[] };
      tenant.consent = 'consented';
      tenant.roles = (body.applicationGrants ?? []).flatMap((g) => (g.scope ?? '').split(',').filter(Boolean));
      return { status: 201, headers: echo, json: body };
    }
    if (req.path !== '/customers' || req.method !== 'GET') return { ...pcError(404, 600001, 'The resource was not found'), headers: echo };
    const size = Math.min(500, Math.max(1, Number(req.query.get('size') ?? 500) || 500));
    const continuation = req.query.get('seekOperation') === 'Next' ? String(req.headers['ms-continuationtoken'] ?? '') : '';
    const offset = continuation ? Number(Buffer.from(continuation, 'base64url').toString('utf8')) : 0;
    if (continuation && !Number.isInteger(offset)) return { ...pcError(400, 400040, 'The continuation token is not valid'), headers: echo };
    const customers = [...tenants.values()].filter((x) => x.reseller);
    const items = customers.slice(offset, offset + size).map((x) => ({
      id: x.id,
      companyProfile: { tenantId: x.id, domain: x.domain, companyName: x.displayName, attributes: { objectType: 'CustomerCompanyProfile' } },
      relationshipToPartner: 'reseller',
      attributes: { objectType: 'Customer' },
    }));
    const links: Record<string, unknown> = { self: { uri: `/customers?size=${size}`, method: 'GET', headers: [] } };
    if (offset + size < customers.length) {
      links.next = { uri: `/customers?size=${size}&seekOperation=Next`, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: Buffer.from(String(offset + size)).toString('base64url') }] };
    }
    return { status: 200, headers: echo, json: { totalCount: items.length, items, links, attributes: { objectType: 'Collection' } } };
  }

  const total = (m: Map<string, number>, key?: string) => (key === undefined ? [...m.values()].reduce((a, b) => a + b, 0) : (m.get(key.toLowerCase()) ?? 0));

  return {
    origin: fake.origin,
    reset() {
      tenants.clear();
      relationships.length = 0;
      tokens.clear();
    },
    setPartner(p) {
      partner = { tenantId: p.tenantId.toLowerCase(), domain: p.domain.toLowerCase(), appId: p.appId.toLowerCase(), secret: p.secret, secretExpired: p.secretExpired ?? false };
    },
    addTenant(t) {
      tenants.set(t.id.toLowerCase(), {
        id: t.id.toLowerCase(),
        displayName: t.displayName,
        domain: t.domain.toLowerCase(),
        consent: t.consent ?? 'consented',
        roles: t.roles ?? [...allM365Roles],
        reseller: t.reseller ?? true,
        users: (t.users ?? []).map((u) => ({ ...u, id: u.id.toLowerCase() })),
        skus: t.skus ?? [],
        secureScore: t.secureScore ?? { currentScore: 40, maxScore: 100 },
      });
    },
    setConsent(tenantId, consent, roles) {
      const t = tenants.get(tenantId.toLowerCase());
      if (!t) throw new Error(`no tenant ${tenantId}`);
      t.consent = consent;
      if (roles) t.roles = roles;
    },
    addRelationship: (r) => relationships.push({ ...r, tenantId: r.tenantId.toLowerCase() }),
    setRelationshipStatus(id, status) {
      for (const r of relationships) if (r.id === id) r.status = status;
    },
    setSecretExpired(expired) {
      partner.secretExpired = expired;
    },
    setTenantRequestsPerSecond(n, retryAfterSeconds = 1) {
      perSecond = n === null ? null : { n, retryAfter: retryAfterSeconds };
    },
    tokenRequests: (tenantId) => total(tokenReq, tenantId),
    tokensIssued: (tenantId) => total(issued, tenantId),
    throttled: () => throttledCount,
    revocations: (tenantId, userId) => [...revoked].filter(([k]) => (tenantId === undefined || k.startsWith(`${tenantId.toLowerCase()}|`)) && (userId === undefined || k.endsWith(`|${userId.toLowerCase()}`))).reduce((a, [, n]) => a + n, 0),
    graphLog: () => [...log],
    setFaults: (patch, tenant) => fake.setFaults(patch, tenant?.toLowerCase()),
    resetFaults() {
      fake.resetFaults();
      perSecond = null;
    },
    requestCount: (filter) => fake.requestCount(filter),
    resetCounts() {
      fake.resetCounts();
      tokenReq.clear();
      issued.clear();
      revoked.clear();
      log.length = 0;
      throttledCount = 0;
    },
    close: () => fake.close(),
  };
}
