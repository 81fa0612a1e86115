import { startBudget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { OrganizationsError, type ListOrganizations, type PluginContext } from '../types.js';
import { syncroRateLimit, type SyncroApi, type SyncroCall, type SyncroCustomer } from './client.js';
import { apiTokenProblem, subdomainProblem, SyncroUrlError, syncroBaseUrl, syncroPermissions } from './settings.js';

export interface SyncroOrganizationsOptions {
  api: SyncroApi;
  /** Bound on one page, waits for the request budget and retries included. */
  pageTimeoutMs: number;
  /** A fixed request budget (tests, benchmarks); default: SYNCRO_REQUESTS_PER_MINUTE. */
  rateLimit?: RateLimit;
}

/** The cursor is the next page number (Syncro's `page` is 1-based [H: SYN-SW]). */
function pageOf(cursor: string | null): number {
  if (cursor === null) return 1;
  const page = Number(cursor);
  if (!/^[1-9][0-9]{0,5}$/.test(cursor) || !Number.isSafeInteger(page)) throw new OrganizationsError('Syncro discovery was given a cursor it did not make');
  return page;
}

/**
 * A customer's display name: the company when it has one, else the person (walk-in customers
 * have `business_name: null` in Syncro's own example [H: SYN-SW26]).
 */
export function customerName(customer: SyncroCustomer): string {
  const person = customer.fullname?.trim() || [customer.firstname, customer.lastname].filter(Boolean).join(' ').trim();
  return (customer.business_name?.trim() || person || `Customer ${customer.id}`).slice(0, 500);
}

/**
 * The customer's page in Syncro's web app, `https://{subdomain}.syncromsp.com/customers/{id}`:
 * the API base without its `/api/v1`. The web path is inferred from the app's URLs [L], not
 * from an API document; it is a link for people, nothing depends on it.
 */
export function customerUrl(base: URL, id: number): string {
  const url = new URL(base);
  url.pathname = `${base.pathname.replace(/\/api\/v1$/, '')}/customers/${id}`;
  return url.toString();
}

/** What a refused or failed page means, in words for the partner, with Syncro's own message. */
function pageFailure(error: unknown, subdomain: string, call: SyncroCall): OrganizationsError {
  if (error instanceof VendorError) {
    const said = error.details.vendorMessage;
    // Syncro's messages end with a full stop; ours then follows as the next sentence.
    const vendorSays = said ? `: ${said}${/[.!?]$/.test(said) ? '' : '.'}` : '.';
    if (error.kind === 'unauthorized' || error.kind === 'forbidden') {
      // A token Syncro does not know and one without the permission both get 401 [H: SYN-SW26].
      return new OrganizationsError(
        `Syncro refused the customer list (HTTP ${error.status ?? 401})${vendorSays} Check the API token and its permission "${syncroPermissions.customers}"`,
      );
    }
    if (error.kind === 'not_found' || error.kind === 'redirect' || error.kind === 'dns') {
      return new OrganizationsError(`No Syncro account was found at the subdomain "${subdomain}"; check the subdomain`);
    }
  }
  return new OrganizationsError(commonHealth(error, 'Syncro', call.log).message ?? 'Syncro discovery failed');
}

/**
 * Syncro's customers as organizations: `GET /customers?page=N`, one page per call, following
 * `meta.total_pages` [M: N-SYN types/common.ts; H: SYN-SW26 example]. The page size is Syncro's
 * (25 in the swagger's text [H: SYN-SW], 100 in its customers example [H: SYN-SW26]): nothing
 * here depends on it, and no `per_page` is sent (unconfirmed, vendor-apis.md §1). Every call
 * draws from the one Syncro request budget of this instance (180/min per egress address).
 */
export function syncroListOrganizations(options: SyncroOrganizationsOptions): ListOrganizations {
  const { api, pageTimeoutMs } = options;
  return async (ctx: PluginContext, cursor: string | null) => {
    const pageNo = pageOf(cursor);
    const { subdomain, api_token: token } = ctx.settings;
    const problem = subdomainProblem(subdomain) ?? apiTokenProblem(token);
    if (problem || typeof subdomain !== 'string' || typeof token !== 'string') throw new OrganizationsError(`Syncro settings are not valid: ${problem}`);
    const label = subdomain.trim().toLowerCase();
    let baseUrl: URL;
    try {
      baseUrl = syncroBaseUrl(ctx.config.syncroBaseUrl, label);
    } catch (error) {
      if (error instanceof SyncroUrlError) throw new OrganizationsError(error.message);
      throw error;
    }
    const call: SyncroCall = {
      baseUrl,
      token: token.trim(),
      budget: startBudget(ctx.signal, pageTimeoutMs),
      log: ctx.log.child({ integration: 'syncro', partnerId: ctx.partnerId }),
      rateLimit: options.rateLimit ?? syncroRateLimit(ctx.config.syncroRequestsPerMinute),
    };
    let page;
    try {
      page = await api.customers(call, pageNo);
    } catch (error) {
      throw pageFailure(error, label, call);
    }
    const totalPages = page.meta?.total_pages;
    // Without `meta` (never seen on customers) the walk goes on until a page comes back empty.
    const more = totalPages === undefined ? page.items.length > 0 : pageNo < totalPages;
    return {
      items: page.items.map((c) => ({ id: String(c.id), name: customerName(c), url: customerUrl(baseUrl, c.id) })),
      nextCursor: more ? String(pageNo + 1) : null,
      pagesDone: pageNo,
      ...(totalPages === undefined ? {} : { totalPages: Math.max(totalPages, pageNo) }),
    };
  };
}
