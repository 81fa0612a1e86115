import { randomBytes } from 'node:crypto';
import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';
import { msp360PlanStatuses, type Msp360PlanStatus } from './client.js';
import { msp360Examples } from './examples.js';

/**
 * A loopback MSP360 Managed Backup API speaking what `shared/vendor-apis.md` §2 records, with
 * its sources:
 * - `POST /api/Provider/Login` with `{UserName, Password}` (password 3–100) → `{access_token,
 *   token_type, expires_in: 1209599, userName, .issued, .expires}` [H: MSP-DOC; M: MSP-GB], then
 *   `Authorization: Bearer` [H: MSP-PS];
 * - a wrong login or password: **400** `{"error":"invalid_grant","error_description":"The user
 *   name or password is incorrect."}` [M: MSP-GB];
 * - `GET /api/Companies` items with `Id` [H: MSP-DOC get-apicompanies]; `GET /api/Users` with `ID`
 *   [H: MSP-PS]; both bare arrays [M: MSP-PS, MSP-PY];
 * - `GET /api/Computers/{offset}/{count}` as `{Count, Message, StatusCode, Computers}` [H: MSP-DOC];
 * - `GET /api/Monitoring`: the latest run of every plan, all users, a bare array of rows `{PlanName,
 *   PlanId, PlanType, CompanyName, UserName, UserID, ComputerName, BuildVersion, StorageType,
 *   LastStart, NextStart, Status, ErrorMessage, FilesCopied, FilesFailed, DataCopied, Duration,
 *   DataToBackup, TotalData, FilesScanned, FilesToBackup, DetailedReportLink}` [H: MSP-DOC methods;
 *   field names from MSP-PS Add-MBSAPIType.ps1, Get-MBSAPIMonitoring.ps1]; `Status` in MSP-PS's enum
 *   order Success, Overdue, Error, Running, Unknown, Interrupted, UnexpectedlyClosed, Warning;
 * - an unknown path: 404 `{"Message":"No HTTP resource was found that matches the request URI '…'."}`
 *   [M: MSP-GB]; routes matched case-insensitively (the docs write `API/...`).
 *
 * Where the sources say **unknown**, this fake chose (and the plugin does not depend on it):
 * - a malformed login body: 400 `{"Message":"The request is invalid."}` (ASP.NET style [L: MSP-PY]);
 * - a rejected or expired token: 401 `{"Message":"Authorization has been denied for this request."}`
 *   (`expiredTokenStatus: 403` models the other reading; vendor-apis.md: "re-login once on either");
 * - MSP360 documents no per-resource permissions; `missingPermissions: ['Companies' | 'Users']`
 *   models an API login refused one resource, answered 403;
 * - no rate limit is published, so none is enforced unless `rateLimitPerMinute` is given;
 * - Monitoring's `Status` as a number (the enum's index; `monitoringStatusAs: 'text'` sends the
 *   name: vendor-apis.md §2 says either may come), times as .NET writes a DateTime without a zone
 *   ("2026-12-05T22:00:00", meant as UTC), `DataCopied` in bytes, `Duration` as "hh:mm:ss".
 *
 * Tenants are API logins: switches and counters take the login as the tenant.
 */
export interface FakeMsp360 {
  /** The MSP360_BASE_URL for this fake (its origin). */
  readonly baseUrl: string;
  addAccount(account: Msp360AccountSpec): void;
  /** Makes every token issued so far (for one login, or all) answer 401, as an expiry would. */
  expireTokens(login?: string): void;
  /** Every token issued so far (tests check that none of them reached a log). */
  issuedTokens(): string[];
  setFaults(patch: Partial<FaultSwitches>, login?: string): void;
  resetFaults(): void;
  /** Requests received, by path ("/api/Provider/Login", "/api/Companies", "/api/Users", "/api/Computers") and/or login. */
  requestCount(filter?: { path?: string; tenant?: string }): number;
  resetCounts(): void;
  readonly hugeBytesSent: number;
  close(): Promise<void>;
}

export interface Msp360AccountSpec {
  login: string;
  password: string;
  companies?: number;
  users?: number;
  computers?: number;
  /** Company names by index (1-based), replacing the generated ones. */
  companyNames?: Record<number, string>;
  /**
   * Plan runs `GET /api/Monitoring` reports. Default: one successful daily plan for each of the
   * first five companies, run 20 hours ago.
   */
  plans?: Msp360PlanSpec[];
}


/** One plan's latest run, with times relative to now so the demo's runs stay recent. */
export interface Msp360PlanSpec {
  /** The company's index (1-based), as in `companyNames`. */
  company: number;
  computerName: string;
  planName: string;
  planType?: string;
  status: Msp360PlanStatus;
  lastStartHoursAgo: number;
  dataCopiedBytes?: number;
  errorMessage?: string;
  durationMinutes?: number;
}

export interface FakeMsp360Options {
  port?: number;
  /** Seconds a token lives (and the `expires_in` sent). Default 1,209,599, as in MSP360's example. */
  tokenTtlSeconds?: number;
  omitExpiresIn?: boolean;
  /** What an expired token gets (undocumented): 401 (default) or 403. */
  expiredTokenStatus?: 401 | 403;
  rateLimitPerMinute?: number | null;
  /** How Monitoring's `Status` travels: the enum's index (default) or its name. */
  monitoringStatusAs?: 'number' | 'text';
}

const canonicalPaths: Record<string, string> = {
  '/api/provider/login': '/api/Provider/Login',
  '/api/companies': '/api/Companies',
  '/api/users': '/api/Users',
  '/api/monitoring': '/api/Monitoring',
};

const knownPaths = new Set([...Object.values(canonicalPaths), '/api/Computers']);

const denied = { Message: 'Authorization has been denied for this request.' };

export async function startFakeMsp360(options: FakeMsp360Options = {}): Promise<FakeMsp360> {
  const accounts = new Map<string, Required<Msp360AccountSpec>>();
  const statusAs = options.monitoringStatusAs ?? 'number';
  const tokens = new Map<string, { login: string; expiresAt: number }>();
  const ttl = options.tokenTtlSeconds ?? msp360Examples.login.expires_in;
  const limit = options.rateLimitPerMinute ?? null;
  let window = { startedAt: 0, count: 0 };

  const http = new FakeVendorHttp({
    name: 'MSP360',
    identify(req, url, body) {
      const lower = url.pathname.toLowerCase().replace(/\/+$/, '');
      const path = canonicalPaths[lower] ?? (lower.startsWith('/api/computers/') ? '/api/Computers' : url.pathname);
      let tenant: string | undefined;
      if (path === '/api/Provider/Login') tenant = loginName(body);
      else tenant = tokens.get(bearer(req.headers.authorization) ?? '')?.login;
      return { tenant, path };
    },
    route: (req) => route(req),
    errorBody(status) {
      if (status === 429) return { status, json: { Message: 'Too many requests.' } };
      // Refusals forced by `serverError: {status: 401 | 403}` carry the bodies chosen below.
      if (status === 401) return { status, json: denied };
      if (status === 403) return forbidden();
      return { status, json: { Message: 'An error has occurred.' } };
    },
  });
  await http.start(options.port);

  function route(req: FakeRequest): FakeResponse {
    if (limit !== null) {
      const now = Date.now();
      if (now - window.startedAt >= 60_000) window = { startedAt: now, count: 0 };
      if (++window.count > limit) return { status: 429, json: { Message: 'Too many requests.' } };
    }
    if (req.path === '/api/Provider/Login') return loginRoute(req);
    // Routing comes before authorisation in ASP.NET Web API: an unknown path is 404 to anyone.
    if (!knownPaths.has(req.path)) return { status: 404, json: msp360Examples.notFound(`https://api.mspbackups.com${req.rawPath}`) };
    const token = bearer(req.headers.authorization);
    const session = token ? tokens.get(token) : undefined;
    const account = session ? accounts.get(session.login) : undefined;
    if (!session || !account || req.faults.badCredentials) return { status: 401, json: denied };
    if (session.expiresAt <= Date.now()) return { status: options.expiredTokenStatus ?? 401, json: denied };
    if (req.method !== 'GET') return { status: 405, json: { Message: 'The requested resource does not support this method.' } };
    const refused = (name: string) => req.faults.missingPermissions.includes(name);
    switch (req.path) {
      case '/api/Companies':
        if (refused('Companies')) return forbidden();
        return { status: 200, json: range(account.companies, (i) => company(i, account.companyNames[i])) };
      case '/api/Users':
        if (refused('Users')) return forbidden();
        return { status: 200, json: range(account.users, (i) => user(i, account.companies)) };
      case '/api/Monitoring':
        if (refused('Monitoring')) return forbidden();
        return { status: 200, json: account.plans.map((plan, i) => monitoringRow(plan, i + 1, account, statusAs)) };
      case '/api/Computers': {
        const [, , offset = '0', count = '10'] = req.rawPath.split('/').filter(Boolean);
        const start = Math.max(0, Number(offset) || 0);
        const items = range(account.computers, computer).slice(start, start + Math.max(1, Number(count) || 1));
        return { status: 200, json: { Count: items.length, Message: 'Success', StatusCode: 200, Computers: items } };
      }
      default:
        return { status: 404, json: msp360Examples.notFound(`https://api.mspbackups.com${req.rawPath}`) };
    }
  }

  function loginRoute(req: FakeRequest): FakeResponse {
    if (req.method !== 'POST') return { status: 405, json: { Message: 'The requested resource does not support http method GET.' } };
    let body: { UserName?: unknown; Password?: unknown };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return { status: 400, json: { Message: 'The request is invalid.' } };
    }
    const { UserName, Password } = body;
    if (typeof UserName !== 'string' || typeof Password !== 'string' || Password.length < 3 || Password.length > 100) {
      return { status: 400, json: { Message: 'The request is invalid.' } };
    }
    const account = accounts.get(UserName);
    if (!account || account.password !== Password || req.faults.badCredentials) return { status: 400, json: msp360Examples.loginRefused };
    const token = randomBytes(24).toString('base64url');
    const issued = Date.now();
    tokens.set(token, { login: UserName, expiresAt: issued + ttl * 1000 });
    const answer = { ...msp360Examples.login, access_token: token, expires_in: ttl, userName: UserName, '.issued': new Date(issued).toUTCString(), '.expires': new Date(issued + ttl * 1000).toUTCString() };
    if (options.omitExpiresIn) return { status: 200, json: { ...answer, expires_in: undefined } };
    return { status: 200, json: answer };
  }

  return {
    baseUrl: http.origin,
    addAccount(account) {
      const companies = account.companies ?? 3;
      accounts.set(account.login, { companies, users: 5, computers: 12, companyNames: {}, plans: defaultPlans(companies), ...account });
    },
    expireTokens(login) {
      for (const [token, session] of tokens) if (login === undefined || session.login === login) tokens.set(token, { ...session, expiresAt: 0 });
    },
    issuedTokens: () => [...tokens.keys()],
    setFaults: (patch, login) => http.setFaults(patch, login),
    resetFaults: () => http.resetFaults(),
    requestCount: (filter) => http.requestCount(filter),
    resetCounts: () => http.resetCounts(),
    get hugeBytesSent() {
      return http.hugeBytesSent;
    },
    close: () => http.close(),
  };
}

function loginName(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { UserName?: unknown };
    return typeof parsed.UserName === 'string' ? parsed.UserName : undefined;
  } catch {
    return undefined;
  }
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

function forbidden(): FakeResponse {
  return { status: 403, json: { Message: 'You do not have permission to access this resource.' } };
}

function range<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i + 1));
}

const guid = (kind: number, i: number) => `${String(kind).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;

function company(i: number, name?: string) {
  return { Id: guid(1, i), Name: name ?? `Company ${i}`, StorageLimit: -1, LicenseSettings: 1, Destinations: [] };
}

function user(i: number, companies: number) {
  return { ID: guid(2, i), Email: `user${i}@backup.example`, FirstName: 'Backup', LastName: `User${i}`, Company: `Company ${1 + (i % Math.max(1, companies))}`, Enabled: true, SpaceUsed: 1024 * i, DestinationList: [] };
}

function computer(i: number) {
  return { ComputerHID: guid(3, i), ComputerName: `PC-${i}`, CompanyName: 'Company 1', UserID: guid(2, 1), UserEmail: 'user1@backup.example', OSTypeString: 'Windows', LastActivity: '2026-01-05T09:00:00Z', BackupStats: { PlansCount: 1, TotalFailedCount: 0, TotalSuccessCount: 10, TotalOverdueCount: 0 }, License: { Granted: true, IsTrial: false, DisplayExpiresDate: '2027-01-01' } };
}

function defaultPlans(companies: number): Msp360PlanSpec[] {
  return range(Math.min(5, companies), (i) => ({ company: i, computerName: `PC-${i}`, planName: 'Daily files', planType: 'Files', status: 'Success', lastStartHoursAgo: 20, dataCopiedBytes: 512 * 1024 * 1024 }));
}

/** A .NET DateTime without a zone, as ASP.NET writes one (the fake's choice: the format is unknown). */
const dotNetTime = (ms: number) => new Date(ms).toISOString().slice(0, 19);

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.floor(minutes % 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

function monitoringRow(plan: Msp360PlanSpec, i: number, account: Required<Msp360AccountSpec>, statusAs: 'number' | 'text') {
  const start = Date.now() - plan.lastStartHoursAgo * 3_600_000;
  const copied = plan.status === 'Error' ? 0 : (plan.dataCopiedBytes ?? 0);
  return {
    PlanName: plan.planName,
    PlanId: guid(4, i),
    PlanType: plan.planType ?? 'Files',
    CompanyName: account.companyNames[plan.company] ?? `Company ${plan.company}`,
    UserName: `backup@${plan.computerName.toLowerCase()}.example`,
    UserID: guid(2, plan.company),
    ComputerName: plan.computerName,
    BuildVersion: '7.9.4.83',
    StorageType: 'AmazonS3',
    LastStart: dotNetTime(start),
    NextStart: dotNetTime(start + 24 * 3_600_000),
    Status: statusAs === 'text' ? plan.status : msp360PlanStatuses.indexOf(plan.status),
    ErrorMessage: plan.errorMessage ?? '',
    FilesCopied: copied > 0 ? Math.ceil(copied / 1_000_000) : 0,
    FilesFailed: plan.status === 'Error' ? 1 : 0,
    DataCopied: copied,
    Duration: duration(plan.durationMinutes ?? 12),
    DataToBackup: copied,
    TotalData: copied * 40,
    FilesScanned: 12_000,
    FilesToBackup: copied > 0 ? Math.ceil(copied / 1_000_000) : 0,
    DetailedReportLink: `https://mspbackups.com/AP/Reports/PlanDetails/${guid(4, i)}`,
  };
}
