import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { OrganizationsError, type ListOrganizations, type PluginContext } from '../types.js';
import { openNinjaCall, type NinjaApi, type NinjaCall, type NinjaOrganization } from './client.js';
import { ninjaTokenHealth } from './health.js';

export interface NinjaOrganizationsOptions {
  api: NinjaApi;
  pageTimeoutMs: number;
  rateLimit?: RateLimit;
  /** Organizations a page (default 100; NinjaOne documents no maximum). */
  pageSize?: number;
}

/** `<pages done>.<last organization id>`: `after` is that id [H: NJ-OAS getOrganizations]. */
const cursorRe = /^([1-9][0-9]{0,5})\.([0-9]{1,10})$/;
function readCursor(cursor: string | null): { done: number; after: number | null } {
  if (cursor === null) return { done: 0, after: null };
  const match = cursorRe.exec(cursor);
  if (!match) throw new OrganizationsError('NinjaOne discovery was given a cursor it did not make');
  return { done: Number(match[1]), after: Number(match[2]) };
}

export const organizationName = (o: NinjaOrganization) => (o.name?.trim() || `Organization ${o.id}`).slice(0, 500);

function pageFailure(error: unknown, call: NinjaCall): OrganizationsError {
  if (error instanceof VendorError && error.kind === 'unauthorized') return new OrganizationsError('NinjaOne refused the access token for the organization list (HTTP 401), also after a new one was obtained');
  if (error instanceof VendorError && error.kind === 'forbidden') return new OrganizationsError('NinjaOne refused the organization list (HTTP 403): the app needs the monitoring scope');
  return new OrganizationsError(ninjaTokenHealth(error, call).message ?? 'NinjaOne discovery failed');
}

/**
 * NinjaOne's organizations: `GET /v2/organizations?pageSize=N&after=<last id>` [H: NJ-OAS], one
 * page per call; a page shorter than `pageSize` is the last. (A page exactly full costs one more
 * request that comes back empty.)
 */
export function ninjaListOrganizations(options: NinjaOrganizationsOptions): ListOrganizations {
  const pageSize = Math.max(1, Math.min(1000, options.pageSize ?? 100));
  return async (ctx: PluginContext, cursor: string | null) => {
    const { done, after } = readCursor(cursor);
    const opened = openNinjaCall(ctx, options.pageTimeoutMs, options.rateLimit);
    if ('problem' in opened) throw new OrganizationsError(opened.problem);
    let page: NinjaOrganization[];
    try {
      page = await options.api.organizations(opened.call, pageSize, after);
    } catch (error) {
      throw pageFailure(error, opened.call);
    }
    const pagesDone = done + 1;
    const last = page.at(-1);
    return {
      items: page.map((o) => ({ id: String(o.id), name: organizationName(o) })),
      nextCursor: page.length < pageSize || !last ? null : `${pagesDone}.${last.id}`,
      pagesDone,
    };
  };
}
