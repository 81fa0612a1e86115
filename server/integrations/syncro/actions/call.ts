import { AppError } from '../../../../shared/errors.js';
import type { ExternalTicket } from '../../../../shared/actions.js';
import type { SyncroTicketSummary } from '../../../../shared/actions/syncro.js';
import type { ActionContext } from '../../actions.js';
import { startBudget } from '../../http/budget.js';
import { VendorError } from '../../http/errors.js';
import type { RateLimit } from '../../http/rateLimiter.js';
import { syncroRateLimit, type SyncroApi, type SyncroCall, type SyncroTicket } from '../client.js';
import { apiTokenProblem, subdomainProblem, SyncroUrlError, syncroBaseUrl } from '../settings.js';

/** What every Syncro action is built with: the plugin's API (one vendor client) and its limits. */
export interface SyncroActionDeps {
  api: SyncroApi;
  /** Bound on one action run, waits for the request budget included. */
  timeoutMs: number;
  /** A fixed request budget (tests, benchmarks); default: SYNCRO_REQUESTS_PER_MINUTE. */
  rateLimit?: RateLimit;
}

/** One run's call context, and the web address of the account for links. */
export interface SyncroRun {
  call: SyncroCall;
  subdomain: string;
  /** `https://{subdomain}.syncromsp.com` in production: the API base without `/api/v1`. */
  webBase: URL;
}

/** Opens a run from the partner's settings; settings the service let through but we cannot use are a CONFLICT. */
export function openRun(ctx: ActionContext, deps: SyncroActionDeps): SyncroRun {
  const { subdomain, api_token: token } = ctx.settings;
  const problem = subdomainProblem(subdomain) ?? apiTokenProblem(token);
  if (problem || typeof subdomain !== 'string' || typeof token !== 'string') throw new AppError('CONFLICT', `Syncro settings are not valid: ${problem}`);
  const label = subdomain.trim().toLowerCase();
  let baseUrl: URL;
  try {
    baseUrl = syncroBaseUrl(ctx.config.syncroBaseUrl, label);
  } catch (error) {
    if (error instanceof SyncroUrlError) throw new AppError('CONFLICT', error.message);
    throw error;
  }
  const webBase = new URL(baseUrl);
  webBase.pathname = baseUrl.pathname.replace(/\/api\/v1$/, '');
  return {
    subdomain: label,
    webBase,
    call: {
      baseUrl,
      token: token.trim(),
      budget: startBudget(ctx.signal, deps.timeoutMs),
      log: ctx.log.child({ integration: 'syncro', partnerId: ctx.partnerId }),
      rateLimit: deps.rateLimit ?? syncroRateLimit(ctx.config.syncroRequestsPerMinute),
    },
  };
}

/**
 * A ticket's page in Syncro's web app, `https://{subdomain}.syncromsp.com/tickets/{id}`: the API
 * base without `/api/v1` (as customers' links in organizations.ts); inferred from the app's URLs
 * [L], a link for people only.
 */
export function ticketUrl(run: SyncroRun, id: number | string): string {
  const url = new URL(run.webBase);
  url.pathname = `${run.webBase.pathname.replace(/\/+$/, '')}/tickets/${encodeURIComponent(String(id))}`;
  return url.toString();
}

export function ticketSummary(run: SyncroRun, ticket: SyncroTicket, customerName?: string): SyncroTicketSummary {
  return {
    id: String(ticket.id),
    number: ticket.number === null || ticket.number === undefined ? null : String(ticket.number),
    subject: ticket.subject ?? null,
    status: ticket.status ?? null,
    customerId: ticket.customer_id === null || ticket.customer_id === undefined ? null : String(ticket.customer_id),
    customerName: customerName ?? ticket.customer_business_then_name ?? null,
    createdAt: ticket.created_at ?? null,
    updatedAt: ticket.updated_at ?? null,
    url: ticketUrl(run, ticket.id),
  };
}

/** The ticket as a client's ticket link stores it. */
export function externalTicket(summary: SyncroTicketSummary): ExternalTicket {
  return { integrationKey: 'syncro', ticketId: summary.id, number: summary.number, subject: summary.subject, status: summary.status, url: summary.url };
}

/** "Syncro says: …" with the vendor's own words, or nothing when it sent none. */
function vendorSays(error: VendorError): string {
  const said = error.details.vendorMessage;
  return said ? ` Syncro says: ${said}${/[.!?]$/.test(said) ? '' : '.'}` : '';
}

/**
 * What a refused or failed Syncro call means, as an error a user can act on:
 * - 401/403: Syncro answers a token without the operation's permission with 401 "Not authorized.
 *   Please ask account admin to update your group permissions." [H: SYN-SW26]; a token it does not
 *   know also gets 401, so `GET /me` tells the two apart (it needs no permission): the token works
 *   → name the permission to tick; it does not → the token was rejected.
 * - 422: the vendor refused a field → VALIDATION_FAILED with its message [H: SYN-SW26 examples].
 * - 404 on a ticket → NOT_FOUND.
 * Anything else stays a VendorError (the action service records and words it).
 */
export async function syncroFailure(run: SyncroRun, api: SyncroApi, error: unknown, what: { doing: string; permission: string; ticketId?: string }): Promise<unknown> {
  if (!(error instanceof VendorError)) return error;
  if (error.kind === 'unauthorized' || error.kind === 'forbidden') {
    const tokenWorks = await api.me(run.call).then(
      () => true,
      () => false,
    );
    if (!tokenWorks) return new AppError('VENDOR_ERROR', `Syncro rejected the API token while trying to ${what.doing}; check the token in the integration's settings.`, { details: { vendorStatus: error.status ?? 401 } });
    return new AppError(
      'VENDOR_ERROR',
      `Syncro refused to ${what.doing} (HTTP ${error.status ?? 401}).${vendorSays(error)} The API token lacks the permission "${what.permission}": add it in Syncro under Admin › API › API Tokens.`,
      { details: { vendorStatus: error.status ?? 401, permission: what.permission } },
    );
  }
  if (error.kind === 'client_error' && error.status === 422) {
    return new AppError('VALIDATION_FAILED', `Syncro refused to ${what.doing}.${vendorSays(error)}`, { details: { vendorStatus: 422 } });
  }
  if (error.kind === 'not_found' && what.ticketId !== undefined) {
    return new AppError('NOT_FOUND', `Syncro has no ticket ${what.ticketId} in the account "${run.subdomain}"`);
  }
  return error;
}

/** Runs `fn`, turning a failure into what `syncroFailure` makes of it. */
export async function guarded<T>(run: SyncroRun, api: SyncroApi, what: { doing: string; permission: string; ticketId?: string }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw await syncroFailure(run, api, error, what);
  }
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
