import type { Organization } from '../../../shared/integrations/discovery.js';
import { VendorError } from '../http/errors.js';
import { OrganizationsError, type ListOrganizations, type PluginContext } from '../types.js';
import { openM365Call, relationshipSchema, type M365Api, type M365Call, type M365Relationship } from './client.js';
import { consentFromError } from './consent.js';
import { discoverySources } from './settings.js';

export interface M365OrganizationsOptions {
  api: M365Api;
  timeoutMs: number;
  /** Graph `$top` (at most 300 for delegatedAdminRelationships [H: §1.3 B]); Partner Center `size`. */
  pageSize?: number;
  now?: () => number;
}

const day = 86_400_000;
/** A relationship ending within this long is flagged beside the tenant's name (issue 26). */
export const endingSoonMs = 30 * day;

/**
 * Active GDAP relationships grouped by customer tenant (one tenant can hold several [M: CIPP
 * Get-Tenants.ps1]): the tenant stays as long as its longest-running one, and is flagged when
 * even that ends within 30 days without auto-extension (`autoExtendDuration` PT0S). CIPP's
 * `MLT_` relationships (Microsoft-led transition, no roles worth using) are skipped.
 */
export function tenantsFromRelationships(relationships: M365Relationship[], now: number): Organization[] {
  const byTenant = new Map<string, { name: string; ends: number; extends: boolean }>();
  for (const r of relationships) {
    if (r.status !== 'active' || r.displayName?.startsWith('MLT_')) continue;
    const id = r.customer.tenantId.toLowerCase();
    const ends = r.endDateTime ? Date.parse(r.endDateTime) : Number.POSITIVE_INFINITY;
    const extend = Boolean(r.autoExtendDuration && r.autoExtendDuration !== 'PT0S');
    const seen = byTenant.get(id);
    byTenant.set(id, {
      name: (r.customer.displayName?.trim() || seen?.name || id).slice(0, 400),
      ends: Math.max(seen?.ends ?? Number.NEGATIVE_INFINITY, ends),
      extends: (seen?.extends ?? false) || extend,
    });
  }
  return [...byTenant].map(([id, t]) => {
    const soon = !t.extends && Number.isFinite(t.ends) && t.ends - now < endingSoonMs;
    return { id, name: soon ? `${t.name} (GDAP ends ${new Date(t.ends).toISOString().slice(0, 10)})` : t.name };
  });
}

function failure(error: unknown, what: string): Error {
  const consent = consentFromError(error);
  if (consent.state !== 'unreachable') return new OrganizationsError(`Microsoft refused the partner tenant's token for ${what}: ${consent.reason}`);
  if (error instanceof VendorError && error.kind === 'forbidden') {
    return new OrganizationsError(`Microsoft refused ${what} (HTTP 403 Authorization_RequestDenied): grant the app ${what === 'GDAP relationships' ? 'DelegatedAdminRelationship.Read.All' : 'Partner Center access'} and consent again in the partner tenant`);
  }
  return error instanceof Error ? error : new OrganizationsError(String(error));
}

interface PcCursor {
  done: number;
  uri: string;
  token: string;
}
function readCursor(cursor: string | null): PcCursor | null {
  if (cursor === null) return null;
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as PcCursor;
    if (typeof c.done === 'number' && typeof c.uri === 'string' && c.uri.startsWith('/customers?') && typeof c.token === 'string') return c;
  } catch {
    // fall through
  }
  throw new OrganizationsError('Microsoft 365 discovery was given a cursor it did not make');
}

/**
 * Customer tenants, as the settings say: GDAP relationships (`status eq 'active'`, every page
 * read before any tenant is emitted, since a tenant's relationships may sit on different pages),
 * or Partner Center customers one page per call on the continuation token [H/M: §1.3].
 */
export function m365ListOrganizations(options: M365OrganizationsOptions): ListOrganizations {
  const now = options.now ?? Date.now;
  return async (ctx: PluginContext, cursor: string | null) => {
    const opened = openM365Call(ctx, options.timeoutMs);
    if ('problem' in opened) throw new OrganizationsError(opened.problem);
    const call: M365Call = opened.call;
    if (call.settings.discovery === discoverySources.gdap) {
      const top = String(Math.min(300, Math.max(1, options.pageSize ?? 300)));
      try {
        const all: M365Relationship[] = [];
        let next: string | undefined;
        let pages = 0;
        do {
          const page = await options.api.graphPage(call, '', '/tenantRelationships/delegatedAdminRelationships', { $filter: "status eq 'active'", $top: top }, next);
          for (const raw of page.value) {
            const parsed = relationshipSchema.safeParse(raw);
            if (parsed.success) all.push(parsed.data);
          }
          next = page.next;
          pages++;
        } while (next && pages < 200);
        return { items: tenantsFromRelationships(all, now()), nextCursor: null, pagesDone: pages, totalPages: pages };
      } catch (error) {
        throw failure(error, 'GDAP relationships');
      }
    }
    const at = readCursor(cursor);
    const size = Math.min(500, Math.max(1, options.pageSize ?? 300));
    try {
      const page = await options.api.customersPage(call, size, at ? { uri: at.uri, token: at.token } : undefined);
      const done = (at?.done ?? 0) + 1;
      const items = page.items.map((c) => {
        const id = (c.companyProfile?.tenantId ?? c.id).toLowerCase();
        return { id, name: (c.companyProfile?.companyName?.trim() || c.companyProfile?.domain || id).slice(0, 500) };
      });
      const nextCursor = page.next ? Buffer.from(JSON.stringify({ done, uri: page.next.uri, token: page.next.token })).toString('base64url') : null;
      return { items, nextCursor, pagesDone: done };
    } catch (error) {
      throw failure(error, 'Partner Center customers');
    }
  };
}
