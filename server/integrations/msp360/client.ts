import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { VendorClient } from '../http/vendorClient.js';

/** One partner's call context: where, which check budget, which secrets to keep out of texts. */
export interface Msp360Call {
  baseUrl: URL;
  /**
   * The rate-limit bucket: one per MSP360 account (API login). Every partner calls the same
   * host, so a per-host bucket would make all partners share one budget.
   */
  account: string;
  budget: Budget;
  log: Logger;
  secrets: readonly string[];
}

/**
 * `access_token` is what MSP360's own PowerShell module reads [H: MSP-PS]; the documented answer
 * also carries `token_type`, `expires_in` (1209599 in the example, listed as a string), `userName`,
 * `.issued` and `.expires` [M: MSP-GB], which are not needed.
 */
const loginSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().optional(),
});

/**
 * Companies carry `Id` in MSP360's API document [H: MSP-DOC get-apicompanies]; the vendor's
 * PowerShell types and the Users list spell it `ID` [H: MSP-PS]. Both are read.
 */
const companySchema = z.looseObject({ ID: z.string().optional(), Id: z.string().optional(), Name: z.string().nullish() });
const userSchema = z.looseObject({ ID: z.string().optional(), Id: z.string().optional(), Email: z.string().nullish(), Company: z.string().nullish() });
const computersSchema = z.looseObject({ Count: z.number().int().min(0), Computers: z.array(z.looseObject({ ComputerName: z.string().nullish() })) });

/** Monitoring's `Status` names in the order of MSP360's own enum [H: MSP-PS Add-MBSAPIType.ps1]: an index means this name. */
export const msp360PlanStatuses = ['Success', 'Overdue', 'Error', 'Running', 'Unknown', 'Interrupted', 'UnexpectedlyClosed', 'Warning'] as const;
export type Msp360PlanStatus = (typeof msp360PlanStatuses)[number];

/** A row's `Status`, an index or a name (either may come, vendor-apis.md §2), as the enum's name. */
export function planStatusName(status: number | string | null | undefined): string {
  if (typeof status === 'number') return msp360PlanStatuses[status] ?? 'Unknown';
  const text = status?.trim();
  if (!text) return 'Unknown';
  if (/^\d+$/.test(text)) return msp360PlanStatuses[Number(text)] ?? 'Unknown';
  return msp360PlanStatuses.find((s) => s.toLowerCase() === text.toLowerCase()) ?? text.slice(0, 100);
}

/**
 * One row of `GET /api/Monitoring`: the latest run of one plan [H: MSP-DOC; field names MSP-PS].
 * `Status` may be the enum's index or its name (unconfirmed, vendor-apis.md §2): both are read.
 * Every field but the plan's name is optional: a row missing one is still a plan.
 */
const monitoringRowSchema = z.looseObject({
  PlanName: z.string().nullish(),
  PlanId: z.string().nullish(),
  PlanType: z.union([z.string(), z.number()]).nullish(),
  CompanyName: z.string().nullish(),
  UserName: z.string().nullish(),
  ComputerName: z.string().nullish(),
  LastStart: z.string().nullish(),
  NextStart: z.string().nullish(),
  Status: z.union([z.number(), z.string()]).nullish(),
  ErrorMessage: z.string().nullish(),
  DataCopied: z.number().nullish(),
  Duration: z.string().nullish(),
});
export type Msp360MonitoringRow = z.infer<typeof monitoringRowSchema>;

export type Msp360Company = z.infer<typeof companySchema>;
export type Msp360User = z.infer<typeof userSchema>;

export interface Msp360Session {
  token: string;
  expiresInSeconds?: number;
}

function url(base: URL, path: string): URL {
  const out = new URL(base);
  out.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  return out;
}

/** The `reason` of the error thrown when a login answers 200 without a token. */
export const noTokenReason = 'no access_token in the answer';

function shapeError(operation: string, reason: string): VendorError {
  return new VendorError('invalid_response', { vendor: 'MSP360', operation, reason });
}

/** The MSP360 Managed Backup API calls the integration makes, on the shared vendor client. */
export function createMsp360Api(http: VendorClient) {
  async function get(call: Msp360Call, token: string, path: string, operation: string): Promise<unknown> {
    const res = await http.request({
      method: 'GET',
      url: url(call.baseUrl, path),
      rateLimitKey: call.account,
      operation,
      headers: { authorization: `Bearer ${token}` },
      budget: call.budget,
      log: call.log,
      secrets: [...call.secrets, token],
    });
    return res.data;
  }

  return {
    /** `POST /api/Provider/Login`: API login and password for a bearer token. */
    async login(call: Msp360Call, login: string, password: string): Promise<Msp360Session> {
      const operation = 'POST /api/Provider/Login';
      const res = await http.request({
        method: 'POST',
        url: url(call.baseUrl, '/api/Provider/Login'),
        rateLimitKey: call.account,
        operation,
        json: { UserName: login, Password: password },
        budget: call.budget,
        log: call.log,
        secrets: call.secrets,
        // A login creates nothing on the vendor's side; sending it twice is harmless.
        idempotent: true,
      });
      const parsed = loginSchema.safeParse(res.data);
      if (!parsed.success) {
        // MSP360 is known to answer some failures with 200 and a message instead of a 4xx.
        throw shapeError(operation, noTokenReason);
      }
      return { token: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
    },

    async companies(call: Msp360Call, token: string): Promise<Msp360Company[]> {
      const parsed = z.array(companySchema).safeParse(await get(call, token, '/api/Companies', 'GET /api/Companies'));
      if (!parsed.success) throw shapeError('GET /api/Companies', 'not a list of companies');
      return parsed.data;
    },

    async users(call: Msp360Call, token: string): Promise<Msp360User[]> {
      const parsed = z.array(userSchema).safeParse(await get(call, token, '/api/Users', 'GET /api/Users'));
      if (!parsed.success) throw shapeError('GET /api/Users', 'not a list of users');
      return parsed.data;
    },

    /** `GET /api/Monitoring`: the latest run of every plan of every user, one bare array [H: MSP-DOC, MSP-PS]. */
    async monitoring(call: Msp360Call, token: string): Promise<Msp360MonitoringRow[]> {
      const parsed = z.array(monitoringRowSchema).safeParse(await get(call, token, '/api/Monitoring', 'GET /api/Monitoring'));
      if (!parsed.success) throw shapeError('GET /api/Monitoring', 'not a list of plan runs');
      return parsed.data;
    },

    /** The one paged list: `GET /api/Computers/{offset}/{count}`. */
    async computers(call: Msp360Call, token: string, offset: number, count: number) {
      const operation = 'GET /api/Computers';
      const path = `/api/Computers/${Math.max(0, Math.floor(offset))}/${Math.max(1, Math.floor(count))}`;
      const parsed = computersSchema.safeParse(await get(call, token, path, operation));
      if (!parsed.success) throw shapeError(operation, 'not a page of computers');
      // Whether `Count` is the page size or the grand total is not documented; it is passed on as is.
      return { count: parsed.data.Count, computers: parsed.data.Computers };
    },
  };
}

export type Msp360Api = ReturnType<typeof createMsp360Api>;
