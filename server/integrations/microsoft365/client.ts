import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { startBudget, type Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import type { VendorClient } from '../http/vendorClient.js';
import type { TokenSource } from '../oauth2/types.js';
import type { PluginContext } from '../types.js';
import { m365Hosts, readM365Settings, type M365Hosts, type M365Settings } from './settings.js';

/**
 * Graph's global limit is 130,000 requests per 10 s per app across all tenants, and identity
 * reads 3,500+ resource units per 10 s per app + tenant [H: §1.7, throttling-limits]. Ours per
 * app and instance: burst 100 + 6,000/min, far below both, so a sweep over hundreds of tenants
 * spreads itself out instead of earning 429s; a 429 that still comes is retried after its
 * Retry-After (or with backoff) by the vendor client, per request, so one tenant's wait never
 * holds the others.
 */
export const m365RateLimit: RateLimit = { perMinute: 6_000, burst: 100 };

/** One piece of work: the settings, Microsoft's hosts, the partner's token sources and one budget. */
export interface M365Call {
  settings: M365Settings;
  hosts: M365Hosts;
  oauth: TokenSource;
  budget: Budget;
  log: Logger;
}

export function openM365Call(ctx: PluginContext, timeoutMs: number): { call: M365Call } | { problem: string } {
  const settings = readM365Settings(ctx.settings);
  if ('problem' in settings) return { problem: `Microsoft 365 settings are not valid: ${settings.problem}` };
  if (!ctx.oauth?.forOrganization) return { problem: 'Microsoft 365: no token source for this connection' };
  return {
    call: { settings, hosts: m365Hosts(ctx.config), oauth: ctx.oauth, budget: startBudget(ctx.signal, timeoutMs), log: ctx.log.child({ integration: 'microsoft365', partnerId: ctx.partnerId }) },
  };
}

/** The token source of a customer tenant; '' is the partner-level one (discovery). */
export const tenantSource = (call: M365Call, tenant: string): TokenSource => (tenant === '' ? call.oauth : (call.oauth.forOrganization?.(tenant) ?? call.oauth));

const str = z.string().nullish();
const num = z.number().nullish();
/** Graph collections: `{value[], @odata.nextLink?}` [H: graphdocs concepts/paging.md]. */
const collectionSchema = z.looseObject({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/** `delegatedAdminRelationship` (the fields read) [H: graphdocs tenantrelationship-list-delegatedadminrelationships.md]. */
export const relationshipSchema = z.looseObject({
  id: z.string(),
  displayName: str,
  status: str,
  endDateTime: str,
  autoExtendDuration: str,
  customer: z.looseObject({ tenantId: z.string(), displayName: str }),
});
/** Partner Center `Customer` [H: pcsdk get-a-list-of-customers.md]. */
export const customerSchema = z.looseObject({ id: z.string(), companyProfile: z.looseObject({ tenantId: z.string(), domain: str, companyName: str }).nullish() });
const customersPageSchema = z.looseObject({
  items: z.array(customerSchema),
  links: z.looseObject({ next: z.looseObject({ uri: z.string(), headers: z.array(z.looseObject({ key: z.string(), value: z.string() })).nullish() }).nullish() }).nullish(),
});
/** `subscribedSku` [H: graphdocs subscribedsku-list.md]. */
export const skuSchema = z.looseObject({
  skuId: str,
  skuPartNumber: str,
  capabilityStatus: str,
  consumedUnits: num,
  prepaidUnits: z.looseObject({ enabled: num, suspended: num, warning: num, lockedOut: num }).nullish(),
});
/** `secureScore` [H: graphdocs security-list-securescores.md]. */
export const secureScoreSchema = z.looseObject({ currentScore: num, maxScore: num, createdDateTime: str });
export const userSchema = z.looseObject({ id: z.string(), displayName: str, userPrincipalName: str, accountEnabled: z.boolean().nullish() });
export const organizationSchema = z.looseObject({ id: z.string(), displayName: str });

export type M365Relationship = z.infer<typeof relationshipSchema>;

function parse<T>(schema: z.ZodType<T>, data: unknown, operation: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new VendorError('invalid_response', { vendor: 'Microsoft 365', operation, reason: 'the answer is not the documented shape' });
  return parsed.data;
}

/** The Microsoft Graph and Partner Center calls, on the plugin's one vendor client. */
export function createM365Api(http: VendorClient) {
  const rateLimitKey = (call: M365Call) => `microsoft365 ${call.settings.appId}`;

  /**
   * One call with the tenant's own token. A 401 drops that token (`rejected`) and tries once more
   * with a new one; a second 401 is the caller's to word.
   */
  async function send(call: M365Call, tenant: string, req: { method: 'GET' | 'POST'; url: URL; operation: string; headers?: Record<string, string>; idempotent?: boolean }) {
    const source = tenantSource(call, tenant);
    for (let attempt = 1; ; attempt++) {
      const token = await source.accessToken({ signal: call.budget.signal });
      try {
        return await http.request({
          method: req.method,
          url: req.url,
          operation: req.operation,
          headers: { authorization: `Bearer ${token.value}`, ...req.headers },
          budget: call.budget,
          log: call.log,
          secrets: [token.value],
          rateLimitKey: rateLimitKey(call),
          rateLimit: m365RateLimit,
          ...(req.idempotent === false ? { idempotent: false } : {}),
        });
      } catch (error) {
        if (attempt === 1 && error instanceof VendorError && error.kind === 'unauthorized') {
          await source.rejected(token);
          continue;
        }
        throw error;
      }
    }
  }

  const graphUrl = (call: M365Call, path: string, query: Record<string, string> = {}) => {
    const url = new URL(path.replace(/^\//, ''), call.hosts.graph);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  };

  /** One Graph page; `next` is the whole `@odata.nextLink` (never taken apart: §1.3 B). */
  async function graphPage(call: M365Call, tenant: string, path: string, query: Record<string, string>, next?: string) {
    const url = next ? new URL(next) : graphUrl(call, path, query);
    // The nextLink is Graph's own URL: only ever sent back to the Graph host we called.
    if (url.origin !== call.hosts.graph.origin) throw new VendorError('invalid_response', { vendor: 'Microsoft 365', operation: `GET ${path}`, reason: 'the next page link points at another host' });
    const { data } = await send(call, tenant, { method: 'GET', url, operation: `GET ${path}` });
    const page = parse(collectionSchema, data, `GET ${path}`);
    return { value: page.value, next: page['@odata.nextLink'] };
  }

  /** Every page of a Graph collection, up to `maxItems`. */
  async function graphAll<T>(call: M365Call, tenant: string, path: string, query: Record<string, string>, schema: z.ZodType<T>, maxItems = 5_000): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    let next: string | undefined;
    do {
      const page = await graphPage(call, tenant, path, query, next);
      for (const raw of page.value) items.push(parse(schema, raw, `GET ${path}`));
      next = page.next;
    } while (next && items.length < maxItems);
    return { items: items.slice(0, maxItems), truncated: Boolean(next) || items.length > maxItems };
  }

  return {
    graphPage,
    graphAll,
    /** `GET /organization?$select=id,displayName`: 1 resource unit, the cheapest proof per tenant [H: §1.4]. */
    organization: async (call: M365Call, tenant: string) => (await graphAll(call, tenant, '/organization', { $select: 'id,displayName' }, organizationSchema)).items[0],
    /** `POST /users/{id}/revokeSignInSessions` [H: §1.5.5]: sent once, never resent after a timeout. */
    async revokeSessions(call: M365Call, tenant: string, user: string) {
      await send(call, tenant, { method: 'POST', url: graphUrl(call, `/users/${encodeURIComponent(user)}/revokeSignInSessions`), operation: 'POST /users/{id}/revokeSignInSessions', idempotent: false });
    },
    /** One page of Partner Center customers: `links.next.uri` + its `MS-ContinuationToken` header [H/M: §1.3 A]. */
    async customersPage(call: M365Call, size: number, next?: { uri: string; token: string }) {
      const url = next ? new URL(next.uri.replace(/^\//, ''), call.hosts.partnerCenter) : new URL(`customers?size=${size}`, call.hosts.partnerCenter);
      const headers: Record<string, string> = next ? { 'MS-ContinuationToken': next.token } : {};
      const { data } = await send(call, '', { method: 'GET', url, operation: 'GET /customers', headers });
      const page = parse(customersPageSchema, data, 'GET /customers');
      const link = page.links?.next;
      const token = link?.headers?.find((h) => h.key.toLowerCase() === 'ms-continuationtoken')?.value;
      return { items: page.items, next: link && token ? { uri: link.uri, token } : undefined };
    },
  };
}

export type M365Api = ReturnType<typeof createM365Api>;

/** A budget for a step of a larger piece of work. */
export const stepBudget = (call: M365Call, timeoutMs: number): M365Call => ({ ...call, budget: startBudget(call.budget.signal, timeoutMs) });
