import { insertAuditLog } from '../../db/auditLogs.js';
import { finishRun, type DiscoveryRunRow } from '../../db/discoveryRuns.js';
import { checkSoon } from '../../db/healthSchedule.js';
import { countMissingAtVendor } from '../../db/mappings.js';
import type { Queryable } from '../../db/pool.js';
import { findSnapshotHeader, readPresentNames, replaceSnapshot } from '../../db/orgSnapshots.js';
import type { Organization } from '../../../shared/integrations/discovery.js';
import { diffOrganizations } from './diff.js';

/**
 * Ends a run as failed with why, and writes its one audit row (counts and the reason only).
 * Returns the ended run, or undefined when it had already ended. The snapshot is not touched.
 */
export async function recordFailure(tx: Queryable, run: DiscoveryRunRow, message: string, progress?: { pages: number; seen: number }): Promise<DiscoveryRunRow | undefined> {
  const ended = await finishRun(tx, run.partnerId, run.id, { status: 'failed', error: message });
  if (!ended) return undefined;
  await insertAuditLog(tx, run.partnerId, {
    integrationKey: run.integrationKey,
    action: 'discovered',
    userId: run.requestedBy,
    actor: run.actor,
    details: {
      message,
      discovery: { runId: run.id, outcome: 'failed', pages: progress?.pages ?? run.pagesDone, organizations: progress?.seen ?? run.organizationsSeen, new: 0, renamed: 0, gone: 0 },
    },
  });
  return ended;
}

/**
 * Ends a run as succeeded: compares the organizations with the previous snapshot (locked, so two
 * finishing runs cannot interleave), replaces it, and writes the run's one audit row (counts
 * only) — all in the caller's transaction, so the old snapshot stays whole until this commits.
 * Undefined (and nothing written) when the run had already ended, e.g. given up as stale.
 */
export async function recordSuccess(tx: Queryable, run: DiscoveryRunRow, organizations: readonly Organization[], pages: number): Promise<DiscoveryRunRow | undefined> {
  const { partnerId, integrationKey: key } = run;
  const header = await findSnapshotHeader(tx, partnerId, key, { lock: true });
  const previous = header ? await readPresentNames(tx, partnerId, key) : new Map<string, string>();
  const { items, counts } = diffOrganizations(organizations, previous);
  const ended = await finishRun(tx, partnerId, run.id, { status: 'succeeded', counts });
  if (!ended) return undefined;
  const missingBefore = await countMissingAtVendor(tx, partnerId, key);
  await replaceSnapshot(tx, partnerId, { key, runId: run.id, takenAt: ended.finishedAt ?? new Date(), previousTakenAt: header?.takenAt ?? null, counts, items });
  // Mapped organizations gone (or back) change the health: check again now rather than an
  // interval from now, so the partner hears of it soon after the run.
  if ((await countMissingAtVendor(tx, partnerId, key)) !== missingBefore) await checkSoon(tx, partnerId, key);
  await insertAuditLog(tx, partnerId, {
    integrationKey: key,
    action: 'discovered',
    userId: run.requestedBy,
    actor: run.actor,
    details: { discovery: { runId: run.id, outcome: 'succeeded', pages, ...counts } },
  });
  return ended;
}
