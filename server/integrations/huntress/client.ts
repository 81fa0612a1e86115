import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import type { VendorClient } from '../http/vendorClient.js';
import { huntressUrl } from './settings.js';

/** One account's key pair, one call's budget, and the request budget it draws from. */
export interface HuntressCall {
  baseUrl: URL;
  apiKey: string;
  apiSecret: string;
  budget: Budget;
  log: Logger;
  rateLimit: RateLimit;
}

/**
 * Huntress allows 60 requests a minute per account on a **sliding window**: "no more than 60
 * requests can be made within a 60 second time interval", the 61st inside any 60 s gets 429
 * [H: HUN-OAS "Rate Limits", vendor-apis.md §5]. The limiter counts exactly that (a sliding-window
 * log, not a token bucket, so a discovery may use the whole figure at once as Huntress allows),
 * over a window two seconds longer than Huntress's: our clock stamps a request when it leaves,
 * Huntress's when it arrives, and the first of a window may arrive later than the 61st does (a
 * cold TLS connection against a warm one); two seconds cover that difference. Per key and per
 * server instance, across every concurrent call.
 */
export const huntressRateLimit: RateLimit = { perMinute: 60, burst: 0, slidingWindowMs: 62_000 };

/**
 * The bucket of one key pair. Huntress counts per account; a partner configures one key, so the
 * key is the account here (two keys of one account at two partners would each get 60).
 */
export const huntressRateLimitKey = (call: Pick<HuntressCall, 'apiKey' | 'rateLimit'>) =>
  `huntress ${call.apiKey} ${call.rateLimit.perMinute}/${call.rateLimit.slidingWindowMs ?? 'bucket'}`;

/** `pagination` on every paged list; `next_page_token` is absent on the last page [H: HUN-OAS "Pagination"]. */
const paginationSchema = z.looseObject({ next_page_token: z.string().nullish(), next_page_url: z.string().nullish() });

/** `GET /v1/account` → `{account: {id, name, subdomain, status, …}}` [H: HUN-OAS definitions/Account]. */
const accountSchema = z.looseObject({ id: z.number(), name: z.string().nullish(), subdomain: z.string().nullish(), status: z.string().nullish() });
/** [H: HUN-OAS definitions/Organization] */
const organizationSchema = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  key: z.string().nullish(),
  agents_count: z.number().nullish(),
  incident_reports_count: z.number().nullish(),
});
/** [H: HUN-OAS definitions/Agent] (the fields the actions show). */
const agentSchema = z.looseObject({
  id: z.number(),
  hostname: z.string().nullish(),
  organization_id: z.number().nullish(),
  platform: z.string().nullish(),
  os: z.string().nullish(),
  version: z.string().nullish(),
  ipv4_address: z.string().nullish(),
  external_ip: z.string().nullish(),
  serial_number: z.string().nullish(),
  last_callback_at: z.string().nullish(),
});
/** `remediations`: the first 10, `{total_count, has_more, items: [{id, type, action, status, …}]}` [H: HUN-OAS IncidentReport example]. */
const remediationSchema = z.looseObject({ id: z.number().nullish(), type: z.string().nullish(), action: z.string().nullish(), status: z.string().nullish() });
const incidentReportSchema = z.looseObject({
  id: z.number(),
  organization_id: z.number().nullish(),
  agent_id: z.number().nullish(),
  subject: z.string().nullish(),
  summary: z.string().nullish(),
  severity: z.string().nullish(),
  status: z.string().nullish(),
  platform: z.string().nullish(),
  indicator_types: z.array(z.string()).nullish(),
  remediations: z.looseObject({ total_count: z.number().nullish(), has_more: z.boolean().nullish(), items: z.array(remediationSchema).nullish() }).nullish(),
  sent_at: z.string().nullish(),
  closed_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type HuntressAccount = z.infer<typeof accountSchema>;
export type HuntressOrganization = z.infer<typeof organizationSchema>;
export type HuntressAgent = z.infer<typeof agentSchema>;
export type HuntressIncidentReport = z.infer<typeof incidentReportSchema>;

/** `GET /v1/incident_reports` filters the actions use [H: HUN-OAS parameters]. */
export interface IncidentReportFilter {
  status?: string;
  severity?: string;
  organizationId?: string;
  agentId?: string;
}

/** One page of a list, unwrapped from its plural key, with the token of the next (null: last page). */
export interface HuntressPage<T> {
  items: T[];
  nextPageToken: string | null;
}

/** `limit` is 1..500, default 10 [H: HUN-OAS parameters]. */
export const maxPageSize = 500;

/** The Huntress REST calls the integration makes, on the shared vendor client. */
export function createHuntressApi(http: VendorClient) {
  function headers(call: HuntressCall) {
    return { authorization: `Basic ${Buffer.from(`${call.apiKey}:${call.apiSecret}`).toString('base64')}` };
  }
  const secrets = (call: HuntressCall) => [call.apiSecret, Buffer.from(`${call.apiKey}:${call.apiSecret}`).toString('base64')];

  async function get(call: HuntressCall, path: string, operation: string, query: Record<string, string> = {}): Promise<unknown> {
    const res = await http.request({
      method: 'GET',
      url: huntressUrl(call.baseUrl, path, query),
      operation,
      headers: headers(call),
      budget: call.budget,
      log: call.log,
      secrets: secrets(call),
      rateLimitKey: huntressRateLimitKey(call),
      rateLimit: call.rateLimit,
    });
    return res.data;
  }

  function shape<T>(schema: z.ZodType<T>, data: unknown, operation: string, reason: string): T {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new VendorError('invalid_response', { vendor: 'Huntress', operation, reason });
    return parsed.data;
  }

  async function list<T>(call: HuntressCall, name: string, item: z.ZodType<T>, query: Record<string, string>): Promise<HuntressPage<T>> {
    const operation = `GET /v1/${name}`;
    const data = await get(call, `/${name}`, operation, query);
    const body = shape(z.object({ [name]: z.array(item), pagination: paginationSchema.nullish() }), data, operation, `no "${name}" list in the answer`) as Record<string, unknown>;
    const pagination = body.pagination as z.infer<typeof paginationSchema> | null | undefined;
    return { items: body[name] as T[], nextPageToken: pagination?.next_page_token || null };
  }

  const pageQuery = (limit: number, pageToken: string | null) => ({ limit: String(limit), ...(pageToken ? { page_token: pageToken } : {}) });

  return {
    /** `GET /v1/account`: the account the key belongs to, wrapped `{account: {…}}` [H: HUN-OAS]. */
    async account(call: HuntressCall): Promise<HuntressAccount> {
      const operation = 'GET /v1/account';
      return shape(z.object({ account: accountSchema }), await get(call, '/account', operation), operation, 'no "account" in the answer').account;
    },

    /** One page of `GET /v1/organizations?limit=&page_token=` [H: HUN-OAS]. */
    organizations: (call: HuntressCall, limit: number, pageToken: string | null) => list(call, 'organizations', organizationSchema, pageQuery(limit, pageToken)),

    /** One page of `GET /v1/incident_reports` with the filters given (only those set are sent). */
    incidentReports(call: HuntressCall, filter: IncidentReportFilter, limit: number, pageToken: string | null = null) {
      const query: Record<string, string> = pageQuery(limit, pageToken);
      if (filter.status) query.status = filter.status;
      if (filter.severity) query.severity = filter.severity;
      if (filter.organizationId) query.organization_id = filter.organizationId;
      if (filter.agentId) query.agent_id = filter.agentId;
      return list(call, 'incident_reports', incidentReportSchema, query);
    },

    /** `GET /v1/incident_reports/{id}` → `{incident_report: {…}}` [H: HUN-OAS]. */
    async incidentReport(call: HuntressCall, id: string): Promise<HuntressIncidentReport> {
      const operation = 'GET /v1/incident_reports/{id}';
      const data = await get(call, `/incident_reports/${encodeURIComponent(id)}`, operation);
      return shape(z.object({ incident_report: incidentReportSchema }), data, operation, 'no "incident_report" in the answer').incident_report;
    },

    /** `GET /v1/agents/{id}` → `{agent: {…}}` [H: HUN-OAS]. */
    async agent(call: HuntressCall, id: string): Promise<HuntressAgent> {
      const operation = 'GET /v1/agents/{id}';
      const data = await get(call, `/agents/${encodeURIComponent(id)}`, operation);
      return shape(z.object({ agent: agentSchema }), data, operation, 'no "agent" in the answer').agent;
    },

    /**
     * `POST /v1/incident_reports/{id}/resolution`, no body → 201 `{incident_report: {…}}`; 409 while
     * remediations are unapproved, 422 unless the report is `sent`, 403 for a read-only key
     * [H: HUN-OAS]. `idempotent: false`: never resent after a lost answer (the vendor client
     * resends only after 429/503, which were not processed); exactly-once is the action service's key.
     */
    async resolve(call: HuntressCall, id: string): Promise<HuntressIncidentReport | null> {
      const operation = 'POST /v1/incident_reports/{id}/resolution';
      const res = await http.request({
        method: 'POST',
        url: huntressUrl(call.baseUrl, `/incident_reports/${encodeURIComponent(id)}/resolution`),
        operation,
        headers: headers(call),
        budget: call.budget,
        log: call.log,
        secrets: secrets(call),
        idempotent: false,
        rateLimitKey: huntressRateLimitKey(call),
        rateLimit: call.rateLimit,
      });
      // The answer's report is what the action returns; without one the caller re-reads it.
      const parsed = z.object({ incident_report: incidentReportSchema }).safeParse(res.data);
      return parsed.success ? parsed.data.incident_report : null;
    },
  };
}

export type HuntressApi = ReturnType<typeof createHuntressApi>;
