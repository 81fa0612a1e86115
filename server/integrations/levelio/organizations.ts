import type { Organization } from '../../../shared/integrations/discovery.js';
import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import { OrganizationsError, type ListOrganizations, type PluginContext } from '../types.js';
import type { LevelApi, LevelGroup } from './client.js';
import { openLevelCall } from './session.js';

/** No discovery reads past this many groups (100 pages; about 2 MB held at once). */
export const maxLevelGroups = 10_000;
/** A parent chain deeper than this is cut (Level's UI nests far less; it also stops a cycle). */
const maxDepth = 32;

/** A group's own name, or a stand-in when Level sent none. */
const ownName = (group: LevelGroup) => group.name?.trim() || `Group ${group.id}`;

/**
 * Every group's path, "Parent / Child / Grandchild", from `parent_id` [M: ALGA types]. A parent
 * that is not in the list (deleted, or beyond what was read) ends the path where it is; a cycle
 * (which Level should never send) is cut at the first repeat.
 */
export function groupPaths(groups: readonly LevelGroup[]): Map<string, string> {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const paths = new Map<string, string>();
  for (const group of groups) {
    const names: string[] = [];
    const seen = new Set<string>();
    let current: LevelGroup | undefined = group;
    while (current && !seen.has(current.id) && names.length < maxDepth) {
      seen.add(current.id);
      names.unshift(ownName(current));
      current = current.parent_id ? byId.get(current.parent_id) : undefined;
    }
    paths.set(group.id, names.join(' / '));
  }
  return paths;
}

/** Groups as organizations: the id, and the path as the name so "Contoso / Seattle" tells itself apart. */
export function groupOrganizations(groups: readonly LevelGroup[]): Organization[] {
  const paths = groupPaths(groups);
  return groups.map((g) => ({ id: g.id, name: (paths.get(g.id) ?? ownName(g)).slice(0, 500) }));
}

function pageFailure(error: unknown, log: PluginContext['log']): OrganizationsError {
  if (error instanceof VendorError && error.kind === 'unauthorized') {
    return new OrganizationsError(`Level rejected the API key (HTTP 401)${error.details.vendorMessage ? `: ${error.details.vendorMessage}` : ''}. Check the key under Settings › API keys in Level`);
  }
  if (error instanceof VendorError && error.kind === 'forbidden') return new OrganizationsError('The Level API key may not read groups (HTTP 403)');
  return new OrganizationsError(commonHealth(error, 'Level', log).message ?? 'Level discovery failed');
}

/**
 * Level's groups as organizations. Groups are hierarchical (`parent_id`, `child_ids`), and a
 * mapping needs the path ("Parent / Child"), which needs every ancestor. Level's order of groups
 * is not documented, so a parent may come on any later page, and no single-group read is
 * confirmed (vendor-apis.md §6) to resolve one on the way. So one discovery call walks every
 * page first (`limit=100` + `starting_after`, following `has_more`), then emits all groups as
 * one page with their paths: one request per 100 groups, no request per parent, and at most
 * `maxLevelGroups` small records in memory (5,000 groups are about 1 MB). The cost is that the
 * progress shows no pages until the walk ends; `pagesDone` then says how many Level pages it took.
 */
export function levelListOrganizations(options: { api: LevelApi; pageTimeoutMs: number }): ListOrganizations {
  const { api, pageTimeoutMs } = options;
  return async (ctx: PluginContext, cursor: string | null) => {
    if (cursor !== null) throw new OrganizationsError('Level discovery was given a cursor it did not make');
    const opened = openLevelCall(ctx, pageTimeoutMs);
    if ('problem' in opened) throw new OrganizationsError(opened.problem);
    let listed;
    try {
      listed = await api.groups(opened.call, maxLevelGroups);
    } catch (error) {
      throw pageFailure(error, opened.call.log);
    }
    if (listed.truncated) throw new OrganizationsError(`Level has more than ${maxLevelGroups.toLocaleString('en-US')} groups; discovery stops there so no group's path is missing`);
    return { items: groupOrganizations(listed.items), nextCursor: null, pagesDone: listed.pages, totalPages: listed.pages };
  };
}
