import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import type { VendorClient } from '../http/vendorClient.js';
import { syncroUrl } from './settings.js';

/** One account, one token, one check's budget, and the budget of requests it draws from. */
export interface SyncroCall {
  baseUrl: URL;
  token: string;
  budget: Budget;
  log: Logger;
  rateLimit: RateLimit;
}

/**
 * Syncro allows 180 requests a minute per source IP address (vendor-apis.md §1 [H: SYN-DOC,
 * SYN-SW26]), whichever account they are for: every partner's calls leave from this server's
 * egress address, so they all draw from one bucket (`syncroRateLimitKey`). `requestsPerMinute` is
 * this instance's share (SYNCRO_REQUESTS_PER_MINUTE): the bucket's burst plus its rate never
 * exceed it in any 60 s window (170 + 10 for the default 180).
 */
export function syncroRateLimit(requestsPerMinute: number): RateLimit {
  const burst = Math.max(1, Math.min(10, Math.floor(requestsPerMinute / 18)));
  return { perMinute: requestsPerMinute - burst, burst };
}

/** One key per figure, so a changed setting gets a bucket of its own instead of the old one. */
const syncroRateLimitKey = (limit: RateLimit) => `syncro egress ${limit.perMinute}+${limit.burst}`;

/** `meta` of a Syncro list (vendor-apis.md §1: 1-based pages; the tickets example has only total_pages and page). */
const metaSchema = z.object({
  total_pages: z.number().int().min(0),
  total_entries: z.number().int().min(0).optional(),
  per_page: z.number().int().optional(),
  page: z.number().int().optional(),
});
export type SyncroMeta = z.infer<typeof metaSchema>;

/** A customer is a company (`business_name`) or a person (only `firstname`/`lastname`, `fullname`) [H: SYN-SW26 example]. */
const customerSchema = z.looseObject({
  id: z.number(),
  business_name: z.string().nullish(),
  fullname: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
  email: z.string().nullish(),
});
const ticketSchema = z.looseObject({ id: z.number(), number: z.union([z.number(), z.string()]).nullish(), subject: z.string().nullish(), status: z.string().nullish() });
export type SyncroCustomer = z.infer<typeof customerSchema>;
export type SyncroTicket = z.infer<typeof ticketSchema>;

const lists = {
  customers: z.object({ customers: z.array(customerSchema), meta: metaSchema.optional() }),
  tickets: z.object({ tickets: z.array(ticketSchema), meta: metaSchema.optional() }),
};
type ListName = keyof typeof lists;
interface ListItems {
  customers: SyncroCustomer;
  tickets: SyncroTicket;
}
/** One page of a list, unwrapped from its resource key. */
export interface SyncroPage<K extends ListName> {
  items: ListItems[K][];
  meta?: SyncroMeta;
}

/** No list is walked past this many pages in one go (25 × 40 = 1,000 records). */
const maxPages = 40;

/** The Syncro REST calls the integration makes, on the shared vendor client. */
export function createSyncroApi(http: VendorClient) {
  async function get(call: SyncroCall, path: string, query: Record<string, string> = {}): Promise<unknown> {
    const res = await http.request({
      method: 'GET',
      url: syncroUrl(call.baseUrl, path, query),
      operation: `GET ${path}`,
      // Bearer header rather than ?api_key=: a query string ends up in proxies' access logs.
      headers: { authorization: `Bearer ${call.token}` },
      budget: call.budget,
      log: call.log,
      secrets: [call.token],
      rateLimitKey: syncroRateLimitKey(call.rateLimit),
      rateLimit: call.rateLimit,
    });
    return res.data;
  }

  async function page<K extends ListName>(call: SyncroCall, name: K, pageNo: number): Promise<SyncroPage<K>> {
    const data = await get(call, `/${name}`, { page: String(pageNo) });
    const parsed = lists[name].safeParse(data);
    if (!parsed.success) {
      throw new VendorError('invalid_response', { vendor: 'Syncro', operation: `GET /${name}`, reason: `no "${name}" list in the answer` });
    }
    const body = parsed.data as Record<string, unknown> & { meta?: SyncroMeta };
    return { items: body[name] as ListItems[K][], meta: body.meta };
  }

  return {
    /** `GET /me`: the token's user. Its fields are undocumented, so only "a JSON object" is required. */
    async me(call: SyncroCall): Promise<Record<string, unknown>> {
      const data = await get(call, '/me');
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        throw new VendorError('invalid_response', { vendor: 'Syncro', operation: 'GET /me', reason: 'not a JSON object' });
      }
      return data as Record<string, unknown>;
    },
    customers: (call: SyncroCall, pageNo = 1) => page(call, 'customers', pageNo),
    tickets: (call: SyncroCall, pageNo = 1) => page(call, 'tickets', pageNo),

    /** Every item of a list, following `meta.total_pages` (bounded by `maxPages`). */
    async listAll<K extends ListName>(call: SyncroCall, name: K): Promise<ListItems[K][]> {
      const items: ListItems[K][] = [];
      for (let pageNo = 1; pageNo <= maxPages; pageNo++) {
        const current = await page(call, name, pageNo);
        items.push(...current.items);
        if (current.items.length === 0 || pageNo >= (current.meta?.total_pages ?? 1)) break;
      }
      return items;
    },
  };
}

export type SyncroApi = ReturnType<typeof createSyncroApi>;
