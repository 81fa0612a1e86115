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
const ticketSchema = z.looseObject({
  id: z.number(),
  number: z.union([z.number(), z.string()]).nullish(),
  subject: z.string().nullish(),
  status: z.string().nullish(),
  customer_id: z.number().nullish(),
  /** The customer's display name on a ticket [H: SYN-SW26 ticket example]. */
  customer_business_then_name: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
/** A comment as `GET /tickets/{id}` and `POST /tickets/{id}/comment` carry it [H: SYN-SW26]. */
const commentSchema = z.looseObject({
  id: z.number(),
  subject: z.string().nullish(),
  body: z.string().nullish(),
  hidden: z.boolean().nullish(),
  tech: z.string().nullish(),
  created_at: z.string().nullish(),
});
const ticketWithCommentsSchema = ticketSchema.extend({ comments: z.array(commentSchema).nullish() });
/** `POST /tickets/{id}/timer_entry` answers the bare timer [H: SYN-SW26]. */
const timerSchema = z.looseObject({ id: z.number(), ticket_id: z.number().nullish(), start_time: z.string().nullish(), end_time: z.string().nullish(), notes: z.string().nullish() });
export type SyncroCustomer = z.infer<typeof customerSchema>;
export type SyncroTicket = z.infer<typeof ticketSchema>;
export type SyncroTicketWithComments = z.infer<typeof ticketWithCommentsSchema>;
export type SyncroComment = z.infer<typeof commentSchema>;
export type SyncroTimer = z.infer<typeof timerSchema>;

/** `GET /tickets` filters the actions use [H: SYN-SW params]. */
export interface SyncroTicketFilter {
  customerId?: string;
  query?: string;
  status?: string;
}

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
  async function get(call: SyncroCall, path: string, query: Record<string, string> = {}, operation = `GET ${path}`): Promise<unknown> {
    const res = await http.request({
      method: 'GET',
      url: syncroUrl(call.baseUrl, path, query),
      operation,
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

  /**
   * A write. `idempotent: false`: the vendor client never sends it twice (a retry after a lost
   * answer could post a second comment); exactly-once is the action service's idempotency key.
   */
  async function post(call: SyncroCall, path: string, operation: string, json: unknown): Promise<unknown> {
    const res = await http.request({
      method: 'POST',
      url: syncroUrl(call.baseUrl, path),
      operation,
      headers: { authorization: `Bearer ${call.token}` },
      json,
      budget: call.budget,
      log: call.log,
      secrets: [call.token],
      idempotent: false,
      rateLimitKey: syncroRateLimitKey(call.rateLimit),
      rateLimit: call.rateLimit,
    });
    return res.data;
  }

  function shape<T>(schema: z.ZodType<T>, data: unknown, operation: string, reason: string): T {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new VendorError('invalid_response', { vendor: 'Syncro', operation, reason });
    return parsed.data;
  }

  async function page<K extends ListName>(call: SyncroCall, name: K, pageNo: number, query: Record<string, string> = {}): Promise<SyncroPage<K>> {
    const data = await get(call, `/${name}`, { ...query, page: String(pageNo) });
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

    /** `GET /customers?query=`: customers whose name or e-mail matches [H: SYN-SW params]. */
    searchCustomers: (call: SyncroCall, query: string) => page(call, 'customers', 1, { query }),

    /** One page of `GET /tickets` with the filters given (only those set are sent). */
    findTickets(call: SyncroCall, filter: SyncroTicketFilter, pageNo = 1) {
      const query: Record<string, string> = {};
      if (filter.customerId) query.customer_id = filter.customerId;
      if (filter.query) query.query = filter.query;
      if (filter.status) query.status = filter.status;
      return page(call, 'tickets', pageNo, query);
    },

    /** `GET /tickets/{id}` → `{ticket: {…, comments}}` [H: SYN-SW26]. */
    async ticket(call: SyncroCall, id: string): Promise<SyncroTicketWithComments> {
      const operation = 'GET /tickets/{id}';
      const data = await get(call, `/tickets/${encodeURIComponent(id)}`, {}, operation);
      return shape(z.object({ ticket: ticketWithCommentsSchema }), data, operation, 'no "ticket" in the answer').ticket;
    },

    /** `POST /tickets/{id}/comment` `{subject, body, hidden, do_not_email}` → `{comment}` [H: SYN-SW26]. */
    async comment(call: SyncroCall, id: string, body: { subject: string; body: string; hidden: boolean; do_not_email: boolean }): Promise<SyncroComment> {
      const operation = 'POST /tickets/{id}/comment';
      const data = await post(call, `/tickets/${encodeURIComponent(id)}/comment`, operation, body);
      return shape(z.object({ comment: commentSchema }), data, operation, 'no "comment" in the answer').comment;
    },

    /** `POST /tickets/{id}/timer_entry` `{start_at, end_at, duration_minutes, notes}` → the timer [H: SYN-SW26]. */
    async timerEntry(call: SyncroCall, id: string, body: { start_at: string; end_at: string; duration_minutes: number; notes: string }): Promise<SyncroTimer> {
      const operation = 'POST /tickets/{id}/timer_entry';
      const data = await post(call, `/tickets/${encodeURIComponent(id)}/timer_entry`, operation, body);
      return shape(timerSchema, data, operation, 'not a timer entry');
    },

    /**
     * `POST /tickets/{id}/attach_file_url` `{files: [{url, filename}]}` → `{message: "Processing …"}`
     * [H: SYN-SW26]: Syncro fetches each URL itself, later; the answer only says it will.
     */
    async attachFileUrls(call: SyncroCall, id: string, files: { url: string; filename: string }[]): Promise<{ message: string | null }> {
      const operation = 'POST /tickets/{id}/attach_file_url';
      const data = await post(call, `/tickets/${encodeURIComponent(id)}/attach_file_url`, operation, { files });
      const parsed = z.looseObject({ message: z.string().nullish() }).safeParse(data);
      return { message: parsed.success ? (parsed.data.message ?? null) : null };
    },

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
