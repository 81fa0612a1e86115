import type { AuditPage, IntegrationList } from '../../../shared/integrations/api.js';
import { defaultAuditPageSize } from '../../../shared/integrations/api.js';
import type { AuditAction, Category, IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { listAuditLogs, toAuditEntry } from '../../db/auditLogs.js';
import { findConfig, listConfigStates } from '../../db/integrationConfigs.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import { buildIntegrationDetail, buildIntegrationSummary } from './detail.js';
import { requireIntegration } from './lookup.js';

// Reads. `viewerPartnerId` is whose scope the transaction runs in (row-level security);
// `partnerId` is whose rows are read. They differ only for the dev partner's read-only views,
// which RLS allows for the dev partner alone. Every query still filters on `partnerId`.

export interface ReadScope {
  partnerId: number;
  viewerPartnerId: number;
}

/** Scope for a partner reading its own rows. */
export const ownScope = (partnerId: number): ReadScope => ({ partnerId, viewerPartnerId: partnerId });

export interface CatalogFilter {
  category?: Category;
  q?: string;
}

/** Every registry entry matching the filter, each with this partner's state. */
export async function listIntegrations(deps: AppDeps, scope: ReadScope, filter: CatalogFilter = {}): Promise<IntegrationList> {
  const q = filter.q?.trim().toLowerCase();
  const entries = deps.registry
    .list()
    .filter((i) => (!filter.category || i.entry.category === filter.category) && (!q || i.searchText.includes(q)));
  if (entries.length === 0) return { items: [] };
  const rows = await readAsPartner(deps.db, scope.viewerPartnerId, (q) => listConfigStates(q, scope.partnerId));
  const byKey = new Map(rows.map((r) => [r.integrationKey, r]));
  return { items: entries.map((i) => buildIntegrationSummary(i, byKey.get(i.entry.key))) };
}

/** One entry with field specs, masked settings and state; 404 for keys the registry lacks. */
export async function getIntegration(deps: AppDeps, scope: ReadScope, key: string): Promise<IntegrationDetail> {
  const integration = requireIntegration(deps.registry, key);
  const row = await readAsPartner(deps.db, scope.viewerPartnerId, (q) => findConfig(q, scope.partnerId, key));
  return buildIntegrationDetail(integration, row);
}

export interface AuditQuery {
  key: string;
  action?: AuditAction;
  cursor?: string;
  limit?: number;
}

/**
 * One page of an integration's audit, newest first. The trail outlives the configuration, so a
 * known key with no rows (or no configuration) is an empty page, not a 404.
 */
export async function getAuditPage(deps: AppDeps, scope: ReadScope, query: AuditQuery): Promise<AuditPage> {
  requireIntegration(deps.registry, query.key);
  const limit = query.limit ?? defaultAuditPageSize;
  const rows = await readAsPartner(deps.db, scope.viewerPartnerId, (q) =>
    listAuditLogs(q, scope.partnerId, query.key, {
      action: query.action,
      beforeId: query.cursor === undefined ? undefined : Number(query.cursor),
      limit: limit + 1,
    }),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEntry),
    nextCursor: rows.length > limit && last ? String(last.id) : null,
  };
}
