import { AppError } from '../../../shared/errors.js';
import type { StartDiscoveryOutput } from '../../../shared/integrations/discovery.js';
import { findActiveRun, insertRun, type DiscoveryRunRow } from '../../db/discoveryRuns.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { AuditActor } from '../integrations/actor.js';
import { notConfiguredError, readConfig, requireIntegration } from '../integrations/lookup.js';
import { recordFailure } from './outcome.js';
import { discoveryQueue, staleRunAfterMs } from './queue.js';
import { runView } from './views.js';

const isStale = (run: DiscoveryRunRow, now: number) => now - run.heartbeatAt.getTime() > staleRunAfterMs;

/**
 * Starts a discovery of one integration of the partner (partner admins), or returns the one
 * already queued or running: at most one per integration, whoever asks and however often. The
 * run row is committed first, then its job is queued; if the queue refuses, the run fails at
 * once saying so, rather than waiting forever.
 */
export async function startDiscovery(deps: AppDeps, partnerId: number, actor: AuditActor, key: string): Promise<StartDiscoveryOutput> {
  const integration = requireIntegration(deps.registry, key);
  if (!integration.capabilities.has('listOrganizations')) {
    throw new AppError('VALIDATION_FAILED', `${integration.entry.name} cannot list organizations`, {
      fields: { key: [`${integration.entry.name} does not support discovery`] },
    });
  }
  if (!(await readConfig(deps.db, partnerId, key))) throw notConfiguredError();

  const now = Date.now();
  const { run, started } = await withPartner(deps.db, partnerId, async (tx) => {
    const current = await findActiveRun(tx, partnerId, key);
    if (current && !isStale(current, now)) return { run: current, started: false };
    if (current) {
      // Its worker died and no retry took it over: it ends here, with its one audit row.
      await recordFailure(tx, current, 'The discovery was interrupted (its worker stopped) and was replaced by a new one');
    }
    const inserted = await insertRun(tx, partnerId, { key, requestedBy: actor.userId, actor: actor.actor });
    if (inserted) return { run: inserted, started: true };
    // Another start committed between our read and our insert: return that one.
    const other = await findActiveRun(tx, partnerId, key);
    if (!other) throw new AppError('CONFLICT', 'A discovery of this integration was started and ended at the same time; try again');
    return { run: other, started: false };
  });
  if (!started) return { run: runView(run), started };

  try {
    await deps.jobs.send(discoveryQueue, { partnerId, runId: run.id, key });
  } catch (error) {
    deps.log.error({ err: error instanceof Error ? { type: error.name, message: error.message } : undefined, partnerId, runId: run.id }, 'discovery job could not be queued');
    const failed = await withPartner(deps.db, partnerId, (tx) => recordFailure(tx, run, 'The discovery could not be queued on this server; try again'));
    if (failed) return { run: runView(failed), started: false };
    throw new AppError('UNAVAILABLE', 'The discovery could not be queued; try again');
  }
  return { run: runView(run), started: true };
}
