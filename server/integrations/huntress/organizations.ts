import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { OrganizationsError, type ListOrganizations, type PluginContext } from '../types.js';
import { openHuntressCall } from './call.js';
import { maxPageSize, type HuntressApi, type HuntressCall, type HuntressOrganization } from './client.js';
import { huntressWebUrl } from './settings.js';

export interface HuntressOrganizationsOptions {
  api: HuntressApi;
  /** Bound on one page, waits for the request budget included (a full window waits up to a minute). */
  pageTimeoutMs: number;
  rateLimit?: RateLimit;
  /** Organizations a page: Huntress's maximum, 500, by default (fewest requests of the 60 a minute). */
  pageSize?: number;
}

/**
 * The cursor is `<pages done>.<Huntress's next_page_token>`: the token is Huntress's own and
 * opaque [H: HUN-OAS "Pagination"]; the count only feeds the progress shown. A cursor we did not
 * make is refused rather than sent on.
 */
const cursorRe = /^([1-9][0-9]{0,5})\.([A-Za-z0-9_\-=+/%.]{1,1024})$/;
function readCursor(cursor: string | null): { done: number; token: string | null } {
  if (cursor === null) return { done: 0, token: null };
  const match = cursorRe.exec(cursor);
  if (!match) throw new OrganizationsError('Huntress discovery was given a cursor it did not make');
  return { done: Number(match[1]), token: match[2] as string };
}

/** An organization's name, or a stand-in when Huntress gave none. */
export function organizationName(org: HuntressOrganization): string {
  return (org.name?.trim() || org.key?.trim() || `Organization ${org.id}`).slice(0, 500);
}

/**
 * The organization's page in Huntress's web app, `https://<subdomain>.huntress.io/org/<id>`:
 * inferred from the app's addresses [L], not from the API document; a link for people, nothing
 * depends on it.
 */
export function organizationUrl(subdomain: string, id: number | string): string {
  return huntressWebUrl(subdomain, `/org/${encodeURIComponent(String(id))}`);
}

function pageFailure(error: unknown, call: HuntressCall): OrganizationsError {
  if (error instanceof VendorError) {
    const said = error.details.vendorMessage;
    const vendorSays = said ? `: ${said}${/[.!?]$/.test(said) ? '' : '.'}` : '.';
    if (error.kind === 'unauthorized') return new OrganizationsError(`Huntress rejected the API key or secret key (HTTP 401)${vendorSays} Check the key pair in the integration's settings`);
    if (error.kind === 'forbidden' || error.kind === 'not_found') {
      return new OrganizationsError(`Huntress refused the organization list (HTTP ${error.status ?? 403})${vendorSays} The API key needs permission to read Organizations`);
    }
  }
  return new OrganizationsError(commonHealth(error, 'Huntress', call.log).message ?? 'Huntress discovery failed');
}

/**
 * Huntress's organizations: `GET /v1/organizations?limit=500&page_token=…`, one page per call,
 * following `pagination.next_page_token` until it is absent [H: HUN-OAS]. At 500 a page, 1,200
 * organizations take three requests of the key's 60 a minute.
 */
export function huntressListOrganizations(options: HuntressOrganizationsOptions): ListOrganizations {
  const { api, pageTimeoutMs } = options;
  const pageSize = Math.min(maxPageSize, Math.max(1, options.pageSize ?? maxPageSize));
  return async (ctx: PluginContext, cursor: string | null) => {
    const { done, token } = readCursor(cursor);
    const opened = openHuntressCall(ctx, pageTimeoutMs, options.rateLimit);
    if ('problem' in opened) throw new OrganizationsError(opened.problem);
    const { call, credentials } = opened;
    let page;
    try {
      page = await api.organizations(call, pageSize, token);
    } catch (error) {
      throw pageFailure(error, call);
    }
    const pagesDone = done + 1;
    return {
      items: page.items.map((o) => ({ id: String(o.id), name: organizationName(o), url: organizationUrl(credentials.subdomain, o.id) })),
      nextCursor: page.nextPageToken && page.items.length > 0 ? `${pagesDone}.${page.nextPageToken}` : null,
      pagesDone,
    };
  };
}
