import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { startBudget, type Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import type { VendorClient } from '../http/vendorClient.js';
import type { TokenSource } from '../oauth2/types.js';
import type { PluginContext } from '../types.js';
import { ninjaHost, ninjaUrl, readNinjaSettings, type NinjaSettings } from './settings.js';

/**
 * NinjaOne publishes no rate limit (vendor-apis.md §3: **unknown**, not in the spec). N-NJ
 * self-limits to 100 requests a minute "conservatively" [L]; we do the same: burst 10 + 90/min,
 * never more than 100 in any minute, per app (client id) and instance host, per server instance.
 */
export const ninjaRateLimit: RateLimit = { perMinute: 90, burst: 10 };

/** One piece of work: the host, the connection's tokens, one budget and the app's request budget. */
export interface NinjaCall {
  host: URL;
  settings: NinjaSettings;
  oauth: TokenSource;
  budget: Budget;
  log: Logger;
  rateLimit: RateLimit;
}

/** A call context from the partner's settings, or why it cannot be made (worded for the partner). */
export function openNinjaCall(ctx: PluginContext, timeoutMs: number, rateLimit: RateLimit = ninjaRateLimit): { call: NinjaCall } | { problem: string } {
  const settings = readNinjaSettings(ctx.settings);
  if ('problem' in settings) return { problem: `NinjaOne settings are not valid: ${settings.problem}` };
  if (!ctx.oauth) return { problem: 'NinjaOne is not connected yet: save the settings, then connect' };
  return {
    call: {
      host: ninjaHost(settings.instance, ctx.config),
      settings,
      oauth: ctx.oauth,
      budget: startBudget(ctx.signal, timeoutMs),
      log: ctx.log.child({ integration: 'ninjaone', partnerId: ctx.partnerId }),
      rateLimit,
    },
  };
}

const num = z.number().nullish();
const str = z.string().nullish();

/** `Organization` (brief mode) [H: NJ-OAS components/schemas/Organization]. */
const organizationSchema = z.looseObject({ id: z.number(), name: str, description: str, nodeApprovalMode: str, tags: z.array(z.string()).nullish() });
/** `NodeWithDetailedReferences` / `Device` (the fields the actions show) [H: NJ-OAS]. */
const deviceSchema = z.looseObject({
  id: z.number(),
  uid: str,
  organizationId: num,
  locationId: num,
  nodeClass: str,
  approvalStatus: str,
  offline: z.boolean().nullish(),
  displayName: str,
  systemName: str,
  dnsName: str,
  created: num,
  lastContact: num,
  lastUpdate: num,
});
/** `Alert` [H: NJ-OAS components/schemas/Alert]; `psaTicketId` is typed `object` there. */
const alertSchema = z.looseObject({
  uid: z.string(),
  deviceId: num,
  message: str,
  subject: str,
  sourceType: str,
  sourceName: str,
  createTime: num,
  updateTime: num,
  psaTicketId: z.unknown().optional(),
});
/** `DeviceScriptingOptions` {categories[], scripts[], credentials{roles[], credentials[]}} [H: NJ-OAS]. */
const scriptingOptionsSchema = z.looseObject({
  categories: z.array(z.looseObject({ id: num, name: str, internal: z.boolean().nullish() })).nullish(),
  scripts: z.array(z.looseObject({ type: str, id: num, uid: str, name: str, language: str, description: str, architecture: z.array(z.string()).nullish(), categoryId: num })).nullish(),
  credentials: z.looseObject({ roles: z.array(z.string()).nullish(), credentials: z.array(z.looseObject({ id: num, name: str, type: str })).nullish() }).nullish(),
});
export type NinjaOrganization = z.infer<typeof organizationSchema>;
export type NinjaDevice = z.infer<typeof deviceSchema>;
export type NinjaAlert = z.infer<typeof alertSchema>;
export type NinjaScriptingOptions = z.infer<typeof scriptingOptionsSchema>;

/** `RunScriptRequest` [H: NJ-OAS]: a script by `id` or a built-in action by `uid`. */
export type RunScriptRequest = { type: 'SCRIPT'; id: number; parameters?: string; runAs?: string } | { type: 'ACTION'; uid: string; parameters?: string; runAs?: string };

/** The NinjaOne Public API v2 calls the integration makes, on the shared vendor client. */
export function createNinjaApi(http: VendorClient) {
  const rateLimitKey = (call: NinjaCall) => `ninjaone ${call.host.host} ${call.settings.clientId}`;

  /**
   * One API call with the connection's bearer token. A 401 means the token was refused (NinjaOne
   * may end one before its `expires_in`): it is handed back (`rejected`) and the call is made once
   * more with a new token; a second 401 is the caller's to word. Paths are `/v2/...` as the spec
   * has them (vendor-apis.md §3 recommends `/v2` over `/api/v2`).
   */
  async function send(call: NinjaCall, req: { method: 'GET' | 'POST'; path: string; operation: string; query?: Record<string, string>; json?: unknown }): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const token = await call.oauth.accessToken({ signal: call.budget.signal });
      try {
        const res = await http.request({
          method: req.method,
          url: ninjaUrl(call.host, `/v2${req.path}`, req.query),
          operation: req.operation,
          headers: { authorization: `Bearer ${token.value}` },
          json: req.json,
          budget: call.budget,
          log: call.log,
          secrets: [token.value],
          rateLimitKey: rateLimitKey(call),
          rateLimit: call.rateLimit,
        });
        return res.data;
      } catch (error) {
        if (attempt === 1 && error instanceof VendorError && error.kind === 'unauthorized') {
          await call.oauth.rejected(token);
          continue;
        }
        throw error;
      }
    }
  }

  function shape<T>(schema: z.ZodType<T>, data: unknown, operation: string, reason: string): T {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new VendorError('invalid_response', { vendor: 'NinjaOne', operation, reason });
    return parsed.data;
  }

  const pageQuery = (pageSize: number, after: number | null) => ({ pageSize: String(pageSize), ...(after !== null ? { after: String(after) } : {}) });

  return {
    /** `GET /v2/organizations?pageSize=&after=` (getOrganizations): a bare array; `after` is the last id of the previous page [H: NJ-OAS]. */
    async organizations(call: NinjaCall, pageSize: number, after: number | null): Promise<NinjaOrganization[]> {
      const operation = 'GET /v2/organizations';
      const data = await send(call, { method: 'GET', path: '/organizations', operation, query: pageQuery(pageSize, after) });
      return shape(z.array(organizationSchema), data, operation, 'not a list of organizations');
    },

    /** `GET /v2/organization/{id}/devices?pageSize=&after=` (getOrganizationDevices): a bare array of NodeWithDetailedReferences [H: NJ-OAS]. */
    async organizationDevices(call: NinjaCall, organizationId: string, pageSize: number, after: number | null): Promise<NinjaDevice[]> {
      const operation = 'GET /v2/organization/{id}/devices';
      const data = await send(call, { method: 'GET', path: `/organization/${encodeURIComponent(organizationId)}/devices`, operation, query: pageQuery(pageSize, after) });
      return shape(z.array(deviceSchema), data, operation, 'not a list of devices');
    },

    /** `GET /v2/device/{id}` (getDevice) → Device [H: NJ-OAS]. */
    async device(call: NinjaCall, id: string): Promise<NinjaDevice> {
      const operation = 'GET /v2/device/{id}';
      return shape(deviceSchema, await send(call, { method: 'GET', path: `/device/${encodeURIComponent(id)}`, operation }), operation, 'not a device');
    },

    /** `GET /v2/alerts` (getAlerts): active alerts only, a bare array, no paging; `df` a device filter [H: NJ-OAS]. */
    async alerts(call: NinjaCall, filter: { df?: string; sourceType?: string }): Promise<NinjaAlert[]> {
      const operation = 'GET /v2/alerts';
      const query: Record<string, string> = {};
      if (filter.df) query.df = filter.df;
      if (filter.sourceType) query.sourceType = filter.sourceType;
      return shape(z.array(alertSchema), await send(call, { method: 'GET', path: '/alerts', operation, query }), operation, 'not a list of alerts');
    },

    /** `GET /v2/device/{id}/scripting/options?lang=` (requestScriptingOptions) [H: NJ-OAS]. */
    async scriptingOptions(call: NinjaCall, deviceId: string, lang?: string): Promise<NinjaScriptingOptions> {
      const operation = 'GET /v2/device/{id}/scripting/options';
      const data = await send(call, { method: 'GET', path: `/device/${encodeURIComponent(deviceId)}/scripting/options`, operation, query: lang ? { lang } : {} });
      return shape(scriptingOptionsSchema, data, operation, 'not scripting options');
    },

    /**
     * `POST /v2/device/{id}/script/run` (runScriptOnDevice), body RunScriptRequest; the spec's
     * response is `default` without a body and clients treat 204 as success [H: NJ-OAS, M].
     * Not resent after a lost answer (the vendor client resends a POST only after 429/503, which
     * were not processed; a 401 was not either, so it is sent once more with a new token).
     */
    async runScript(call: NinjaCall, deviceId: string, body: RunScriptRequest): Promise<void> {
      await send(call, { method: 'POST', path: `/device/${encodeURIComponent(deviceId)}/script/run`, operation: 'POST /v2/device/{id}/script/run', json: body });
    },
  };
}

export type NinjaApi = ReturnType<typeof createNinjaApi>;
