import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import type { VendorClient } from '../http/vendorClient.js';
import { levelUrl } from './settings.js';

/** One account (API key), one run's budget. */
export interface LevelCall {
  baseUrl: URL;
  apiKey: string;
  budget: Budget;
  log: Logger;
}

/**
 * Level publishes no rate limit (vendor-apis.md §6: unknown; ALGA only retries 429 honouring
 * Retry-After, capped at 30 s). We pace ourselves per API key at 120 requests a minute per
 * server instance (a burst of 10, then 110/min): a discovery of 5,000 groups (50 pages of 100)
 * takes under 30 s and a health check (4 calls) never waits, while staying far below any limit
 * an API of this kind plausibly sets. Retry-After is honoured up to 30 s (index.ts).
 */
export const levelRateLimit: RateLimit = { perMinute: 110, burst: 10 };

/** One bucket per key (hashed: the key itself is never a map key or a label). */
export const levelRateLimitKey = (apiKey: string) => `levelio key ${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;

/**
 * Page size. Level's maximum `limit` is 100 according to ALGA and COOLF, not seen in the
 * readable part of the spec (vendor-apis.md §6 [M]): assumed, and nothing breaks if it is lower
 * (the walk follows `has_more`, whatever a page holds).
 */
export const levelPageSize = 100;

const id = z.union([z.string().min(1), z.number()]).transform(String);
const text = z.string().nullish();

/** `GET /v2/groups` items [M: ALGA levelApiClient.ts types]. */
const groupSchema = z.looseObject({ id, name: text, parent_id: id.nullish(), child_ids: z.array(id).nullish(), device_count: z.number().nullish() });
/** `GET /v2/devices` items [M: ALGA]. */
const deviceSchema = z.looseObject({
  id,
  hostname: text,
  nickname: text,
  role: text,
  group_id: id.nullish(),
  tags: z.array(z.string()).nullish(),
  online: z.boolean().nullish(),
  last_seen_at: text,
  platform: text,
  serial_number: text,
});
/** `GET /v2/alerts` items [M: ALGA]. */
const alertSchema = z.looseObject({
  id,
  device_id: id.nullish(),
  device_hostname: text,
  name: text,
  description: text,
  severity: text,
  is_resolved: z.boolean().nullish(),
  started_at: text,
  resolved_at: text,
});
/** `GET /v2/automations` items: only `id` and `name` are relied on [L: third-party]. */
const automationSchema = z.looseObject({ id, name: text });
/**
 * `GET /v2/automations/webhooks` items [L: mindcloud-inc, ALGA levelIoWorkflowRuntimeSupport.ts;
 * *verify*]: the automation they start and the token of `POST /v2/automations/webhooks/{token}`
 * (a `url` ending in it is read when there is no `token`). Whether the trigger requires an
 * authorization header is read from `requires_authorization` (our fake's choice; unconfirmed).
 */
const webhookSchema = z.looseObject({ id: id.nullish(), automation_id: id.nullish(), token: z.string().nullish(), url: z.string().nullish(), requires_authorization: z.boolean().nullish() });

export type LevelGroup = z.infer<typeof groupSchema>;
export type LevelDeviceRecord = z.infer<typeof deviceSchema>;
export type LevelAlertRecord = z.infer<typeof alertSchema>;
export type LevelAutomationRecord = z.infer<typeof automationSchema>;
export type LevelWebhookRecord = z.infer<typeof webhookSchema>;

/** Level's list wrapper `{data: [...], has_more}` [H: LVL-OAS]. */
const pageSchema = z.looseObject({ data: z.array(z.unknown()), has_more: z.boolean().nullish() });

export interface LevelPage<T> {
  items: T[];
  hasMore: boolean;
}

/** Every item of a list up to a bound, and whether there were more. */
export interface LevelList<T> {
  items: T[];
  truncated: boolean;
  pages: number;
}

function shape<T>(schema: z.ZodType<T>, data: unknown, operation: string, reason: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new VendorError('invalid_response', { vendor: 'Level', operation, reason });
  return parsed.data;
}

/** The Level REST calls the integration makes, on the shared vendor client. */
export function createLevelApi(http: VendorClient) {
  async function get(call: LevelCall, path: string, query: Record<string, string>, operation: string): Promise<unknown> {
    const res = await http.request({
      method: 'GET',
      url: levelUrl(call.baseUrl, path, query),
      operation,
      // The key itself, no "Bearer" [M: COOLF "Level.io v2 API does NOT use Bearer", ALGA, n8n-nodes-level].
      headers: { authorization: call.apiKey },
      budget: call.budget,
      log: call.log,
      secrets: [call.apiKey],
      rateLimitKey: levelRateLimitKey(call.apiKey),
    });
    return res.data;
  }

  /**
   * A write. `idempotent: false`: never sent twice by the client (a lost answer could have run an
   * automation); exactly-once is the action service's idempotency key. `secrets` names every
   * credential of the call, the path's included (a webhook token), so none reaches a log.
   */
  async function post(call: LevelCall, path: string, operation: string, json: unknown, options: { authorization?: string; secrets?: string[] } = {}): Promise<unknown> {
    const res = await http.request({
      method: 'POST',
      url: levelUrl(call.baseUrl, path),
      operation,
      headers: { authorization: options.authorization ?? call.apiKey },
      json,
      budget: call.budget,
      log: call.log,
      secrets: [call.apiKey, ...(options.secrets ?? [])],
      idempotent: false,
      rateLimitKey: levelRateLimitKey(call.apiKey),
    });
    return res.data;
  }

  async function page<T>(call: LevelCall, path: string, schema: z.ZodType<T>, query: Record<string, string>, startingAfter?: string): Promise<LevelPage<T>> {
    const operation = `GET ${path}`;
    const data = await get(call, path, { ...query, limit: query.limit ?? String(levelPageSize), ...(startingAfter ? { starting_after: startingAfter } : {}) }, operation);
    const wrapped = shape(pageSchema, data, operation, 'not a list of the form {data, has_more}');
    return { items: wrapped.data.map((item) => shape(schema, item, operation, 'a list item without an id')), hasMore: wrapped.has_more === true };
  }

  /**
   * Pages of `levelPageSize` following `has_more` with `starting_after=<last id>` [H: LVL-OAS],
   * until `maxItems`. A page that brings no new last id while saying there is more would loop
   * for ever: it stops the walk as an answer we cannot use.
   */
  async function walk<T extends { id: string }>(call: LevelCall, path: string, schema: z.ZodType<T>, query: Record<string, string>, maxItems: number): Promise<LevelList<T>> {
    const items: T[] = [];
    let after: string | undefined;
    for (let pages = 1; ; pages++) {
      const current = await page(call, path, schema, query, after);
      items.push(...current.items);
      const last = current.items.at(-1)?.id;
      if (!current.hasMore) return { items, truncated: false, pages };
      if (items.length >= maxItems) return { items: items.slice(0, maxItems), truncated: true, pages };
      if (last === undefined || last === after) throw new VendorError('invalid_response', { vendor: 'Level', operation: `GET ${path}`, reason: 'has_more without a new page' });
      after = last;
    }
  }

  return {
    page,
    /** `GET /v2/groups?limit=N`: the health check's call [M: ALGA testConnection]. */
    groupsPage: (call: LevelCall, limit: number) => page(call, '/v2/groups', groupSchema, { limit: String(limit) }),
    groups: (call: LevelCall, maxItems: number) => walk(call, '/v2/groups', groupSchema, {}, maxItems),
    /** `GET /v2/devices`, `ancestor_group_id` (recursive) or `group_id` (direct) [M: ALGA]. */
    devices: (call: LevelCall, filter: { ancestorGroupId?: string; groupId?: string }, maxItems: number) =>
      walk(call, '/v2/devices', deviceSchema, { ...(filter.ancestorGroupId ? { ancestor_group_id: filter.ancestorGroupId } : {}), ...(filter.groupId ? { group_id: filter.groupId } : {}) }, maxItems),
    devicesPage: (call: LevelCall, limit: number) => page(call, '/v2/devices', deviceSchema, { limit: String(limit) }),
    async device(call: LevelCall, deviceId: string): Promise<LevelDeviceRecord> {
      const operation = 'GET /v2/devices/{id}';
      const data = await get(call, `/v2/devices/${encodeURIComponent(deviceId)}`, {}, operation);
      // The single device may come bare or wrapped in `data`; both are read (unconfirmed, vendor-apis.md §6).
      const inner = data && typeof data === 'object' && 'data' in data && !Array.isArray((data as { data: unknown }).data) ? (data as { data: unknown }).data : data;
      return shape(deviceSchema, inner, operation, 'not a device');
    },
    /** `GET /v2/alerts`, `status=active|resolved`, `device_id` [M: ALGA]. */
    alerts: (call: LevelCall, filter: { status?: 'active' | 'resolved'; deviceId?: string }, maxItems: number) =>
      walk(call, '/v2/alerts', alertSchema, { ...(filter.status ? { status: filter.status } : {}), ...(filter.deviceId ? { device_id: filter.deviceId } : {}) }, maxItems),
    alertsPage: (call: LevelCall, limit: number) => page(call, '/v2/alerts', alertSchema, { limit: String(limit) }),
    automations: (call: LevelCall, maxItems: number) => walk(call, '/v2/automations', automationSchema, {}, maxItems),
    automationsPage: (call: LevelCall, limit: number) => page(call, '/v2/automations', automationSchema, { limit: String(limit) }),
    /** Webhook items may lack an id of their own; the walk needs one, so the token stands in only as a cursor. */
    async webhooks(call: LevelCall, maxItems: number): Promise<LevelList<LevelWebhookRecord>> {
      const listed = await walk(call, '/v2/automations/webhooks', webhookSchema.transform((w) => ({ ...w, id: w.id ?? w.token ?? '' })), {}, maxItems);
      return listed;
    },
    /** `POST /v2/alerts/{id}/resolve` [L: mindcloud-inc; ALGA — *verify*]. The answer's shape is unknown: an alert when it is one. */
    async resolveAlert(call: LevelCall, alertId: string): Promise<LevelAlertRecord | null> {
      const data = await post(call, `/v2/alerts/${encodeURIComponent(alertId)}/resolve`, 'POST /v2/alerts/{id}/resolve', {});
      const inner = data && typeof data === 'object' && 'data' in data ? (data as { data: unknown }).data : data;
      const parsed = alertSchema.safeParse(inner);
      return parsed.success ? parsed.data : null;
    },
    /**
     * `POST /v2/automations/webhooks/{token}` with optional `{device_ids}` [L: mindcloud-inc; ALGA
     * — *verify*]. The token is a credential: the operation label is the template, and the token
     * is one of the call's secrets, so the vendor client redacts it from the path it logs and
     * records. `authorization`: the trigger's own header when it requires one; otherwise the API
     * key, as ALGA sends it through its API client.
     */
    async triggerWebhook(call: LevelCall, token: string, deviceIds: string[] | undefined, authorization: string | undefined): Promise<{ runId: string | null }> {
      const data = await post(call, `/v2/automations/webhooks/${encodeURIComponent(token)}`, 'POST /v2/automations/webhooks/{token}', deviceIds?.length ? { device_ids: deviceIds } : {}, {
        authorization,
        secrets: [token, ...(authorization ? [authorization] : [])],
      });
      const run = z.looseObject({ automation_run_id: id.nullish(), run_id: id.nullish(), id: id.nullish() }).safeParse(data);
      return { runId: run.success ? (run.data.automation_run_id ?? run.data.run_id ?? run.data.id ?? null) : null };
    },
  };
}

export type LevelApi = ReturnType<typeof createLevelApi>;
