import type { IntegrationSummary } from '../../../../shared/integrations/catalog.js';
import type { CatalogItem, Draft } from '../../../../shared/localApi.js';
import type { ApplySummary } from '../types.js';

/** A catalog card without the core's open-draft marker (the screens read drafts separately). */
export function toSummary({ draft: _draft, ...summary }: CatalogItem): IntegrationSummary {
  return summary;
}

/** How an "Apply" went, from each draft's state after the core's sync attempt. */
export function toApplySummary(drafts: readonly Draft[]): ApplySummary {
  const summary: ApplySummary = { applied: 0, queued: 0, conflicts: 0, rejected: 0 };
  for (const d of drafts) {
    if (d.state === 'applied') summary.applied++;
    else if (d.state === 'queued') summary.queued++;
    else if (d.state === 'conflict') summary.conflicts++;
    else if (d.state === 'rejected' || d.error) summary.rejected++;
  }
  return summary;
}

/**
 * Audit cursors: `c:<id>` continues in the cached window, `s:<id>` asks the server for entries
 * older than the window (needs a connection).
 */
export function parseAuditCursor(cursor: string | null): { source: 'cache' | 'server'; before: number | undefined } {
  const match = cursor ? /^([cs]):([1-9][0-9]*)$/.exec(cursor) : null;
  if (!match) return { source: 'cache', before: undefined };
  return { source: match[1] === 's' ? 'server' : 'cache', before: Number(match[2]) };
}
