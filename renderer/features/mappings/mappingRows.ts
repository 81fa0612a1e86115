import type { Client } from '../../../shared/clients.js';
import type { OrganizationChange } from '../../../shared/integrations/discovery.js';
import type { Mapping } from '../../../shared/clients.js';
import type { MappingDraft, MappingsView } from '../../../shared/localApi.js';

/** One organization of the Mappings tab: what the vendor calls it, its client, the suggestion. */
export interface MappingRow {
  orgId: string;
  orgName: string;
  /** Against the snapshot before; null for a mapped organization the latest snapshot lacks. */
  change: OrganizationChange | null;
  previousName: string | null;
  mapping: Mapping | null;
  client: Client | null;
  /** The best suggestion for an unmapped organization. */
  suggestion: { client: Client; score: number; preselect: boolean } | null;
  /** Mapped, but the vendor no longer lists it (gone from the snapshot, or flagged by the server). */
  missing: boolean;
  /** An edit made offline, not yet on the server (or in conflict with it). */
  draft: MappingDraft | null;
}

/** The client the row shows as chosen: the offline edit's when there is one, else the server's. */
export function chosenClientId(row: MappingRow): number | null {
  return row.draft ? row.draft.clientId : (row.mapping?.clientId ?? null);
}

export const mappingFilters = ['all', 'unmapped', 'suggested', 'missing'] as const;
export type MappingFilter = (typeof mappingFilters)[number];

/**
 * The rows of the tab: every organization of the latest snapshot, then the mapped ones it no
 * longer lists (missing), in name order. Archived clients are named but never suggested.
 */
export function buildRows(view: MappingsView): MappingRow[] {
  const clients = new Map(view.clients.map((c) => [c.id, c]));
  const byOrg = new Map(view.mappings.map((m) => [m.externalOrgId, m]));
  const best = new Map<string, MappingRow['suggestion']>();
  for (const s of view.suggestions) {
    const client = clients.get(s.clientId);
    if (!client || client.archived) continue;
    const held = best.get(s.externalOrgId);
    if (!held || s.score > held.score) best.set(s.externalOrgId, { client, score: s.score, preselect: s.kind === 'preselect' });
  }
  const drafts = new Map((view.drafts ?? []).map((d) => [d.externalOrgId, d]));
  const seen = new Set<string>();
  const rows: MappingRow[] = view.organizations.map((o) => {
    seen.add(o.id);
    const mapping = byOrg.get(o.id) ?? null;
    return {
      orgId: o.id,
      orgName: o.name,
      change: o.change,
      previousName: o.previousName,
      mapping,
      client: mapping ? (clients.get(mapping.clientId) ?? null) : null,
      suggestion: mapping ? null : (best.get(o.id) ?? null),
      missing: mapping?.missingAtVendor ?? false,
      draft: drafts.get(o.id) ?? null,
    };
  });
  for (const m of view.mappings) {
    if (seen.has(m.externalOrgId)) continue;
    rows.push({
      orgId: m.externalOrgId,
      orgName: m.externalOrgName || m.externalOrgId,
      change: null,
      previousName: null,
      mapping: m,
      client: clients.get(m.clientId) ?? null,
      suggestion: null,
      // The server's flag (server/services/clients: absent from the latest snapshot), one rule.
      missing: m.missingAtVendor,
      draft: drafts.get(m.externalOrgId) ?? null,
    });
  }
  return rows.sort((a, b) => a.orgName.localeCompare(b.orgName, undefined, { sensitivity: 'base' }) || a.orgId.localeCompare(b.orgId));
}

const matches: Record<MappingFilter, (row: MappingRow) => boolean> = {
  all: () => true,
  unmapped: (r) => r.mapping === null,
  suggested: (r) => r.suggestion !== null,
  missing: (r) => r.missing,
};

export function countRows(rows: readonly MappingRow[]): Record<MappingFilter, number> {
  return Object.fromEntries(mappingFilters.map((f) => [f, rows.filter(matches[f]).length])) as Record<MappingFilter, number>;
}

/** Rows of one filter whose organization or client name contains `query` (any case). */
export function filterRows(rows: readonly MappingRow[], filter: MappingFilter, query: string): MappingRow[] {
  const q = query.trim().toLocaleLowerCase();
  return rows.filter((r) => matches[filter](r) && (!q || r.orgName.toLocaleLowerCase().includes(q) || (r.client?.name.toLocaleLowerCase().includes(q) ?? false)));
}
