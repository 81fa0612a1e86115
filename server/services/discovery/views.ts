import type { DiscoveryRun } from '../../../shared/integrations/discovery.js';
import type { DiscoveryRunRow } from '../../db/discoveryRuns.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A run as clients see it. */
export function runView(row: DiscoveryRunRow): DiscoveryRun {
  const succeeded = row.status === 'succeeded' && row.organizations !== null;
  return {
    id: row.id,
    integrationKey: row.integrationKey,
    status: row.status,
    requestedBy: row.actor,
    pagesDone: row.pagesDone,
    totalPages: row.totalPages,
    organizationsSeen: row.organizationsSeen,
    counts: succeeded ? { organizations: row.organizations ?? 0, new: row.newCount ?? 0, renamed: row.renamedCount ?? 0, gone: row.goneCount ?? 0 } : null,
    error: row.errorMessage,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}
