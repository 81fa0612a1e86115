import { finishLease, type ClaimedCheck } from '../../db/healthSchedule.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { withInteraction } from '../../integrations/http/interactionScope.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import type { HealthResult } from '../../integrations/types.js';
import { sendQueuedJobs } from '../automations/triggers.js';
import { systemActor } from '../integrations/actor.js';
import { recordHealthResult, runHealthCheck } from '../integrations/health.js';
import { mappedFor, oauthFor, pluginConfig } from '../integrations/pluginConfig.js';
import { pluginSettings } from '../integrations/settings.js';
import type { Semaphore } from './semaphore.js';
import { nextCheckDelayMs } from './timing.js';

/**
 * How one claimed check ended:
 * - `ok` / `degraded` / `error`: recorded;
 * - `stale`: the settings changed while it ran, so the result was dropped (next check soon);
 * - `gone`: the configuration was deleted meanwhile;
 * - `lost`: our lease had expired and another instance owns the row now (nothing recorded);
 * - `released`: stopped before the vendor answered; the caller hands the lease back.
 */
export type CheckOutcome = HealthResult['status'] | 'stale' | 'gone' | 'lost' | 'released';

export interface CheckReport {
  outcome: CheckOutcome;
  /** Whether the recorded result changed status or health (an alert was raised). */
  transition: boolean;
  /** Time spent waiting for a per-vendor slot, in the vendor check, and recording. */
  timings?: { waitMs: number; checkMs: number; recordMs: number };
}

class LeaseLost extends Error {}

export interface CheckEnv {
  deps: AppDeps;
  intervalMs: number;
  random: () => number;
  /**
   * Per-vendor slots (one semaphore per integration key). The scheduler claims no more of a key
   * than it has free slots, so a claim normally gets its slot at once; the semaphore stays as the
   * bound on concurrent vendor calls itself, whatever the claim accounting does.
   */
  slotFor(key: string): Semaphore;
  /**
   * A signal for one check, aborted when the instance stops (checks not yet answered are then
   * released, not recorded); `done` forgets it. One per check rather than one shared signal, so
   * a long-running instance does not pile listeners onto a signal that lives forever.
   */
  checkSignal(): { signal: AbortSignal; done(): void };
}

const released: CheckReport = { outcome: 'released', transition: false };

/** Settles when `signal` aborts (never rejects). */
const whenAborted = (signal: AbortSignal) =>
  new Promise<'aborted'>((resolve) => (signal.aborted ? resolve('aborted') : signal.addEventListener('abort', () => resolve('aborted'), { once: true })));

/** The vendor check itself; undefined when the instance stopped before it answered. */
async function runClaimed(env: CheckEnv, claim: ClaimedCheck, integration: RegisteredIntegration, signal: AbortSignal): Promise<HealthResult | undefined> {
  const { deps } = env;
  let settings;
  try {
    settings = pluginSettings(deps.secrets, integration, claim.partnerId, claim.settings);
  } catch {
    // The boot check makes this unlikely; still, the partner must see it rather than silence.
    return { status: 'error', message: 'The stored credentials could not be decrypted on this server' };
  }
  const ctx = { partnerId: claim.partnerId, settings, config: pluginConfig(deps.config), log: deps.log, signal, ...oauthFor(deps, integration, claim.partnerId, settings), ...mappedFor(deps, integration, claim.partnerId) };
  // The sweep's vendor calls are logged as `health` by nobody, and wait behind users' actions.
  const scope = { partnerId: claim.partnerId, integrationKey: claim.integrationKey, kind: 'health', actionId: 'health', userId: null, recorder: deps.interactionLog } as const;
  const check = withInteraction(scope, () => runHealthCheck(integration, ctx, deps.pluginTimeoutMs));
  const answer = await Promise.race([check, whenAborted(signal)]);
  return answer === 'aborted' ? undefined : answer;
}

/**
 * Runs one claimed check: the vendor call outside any transaction (bounded by the plugin time
 * budget), then the result, history point, alert and the next due time in one short partner
 * transaction that also proves the lease is still ours (else it rolls back: `lost`).
 */
export async function checkClaimed(env: CheckEnv, claim: ClaimedCheck): Promise<CheckReport> {
  const { deps } = env;
  const integration = deps.registry.get(claim.integrationKey);
  if (!integration) return released; // claims only name registered keys; defensive
  const slot = env.slotFor(claim.integrationKey);
  const stop = env.checkSignal();
  const t0 = performance.now();
  let t1 = t0;
  let answer: HealthResult | undefined;
  try {
    if (!(await slot.acquire(stop.signal))) return released;
    t1 = performance.now();
    answer = await runClaimed(env, claim, integration, stop.signal).finally(() => slot.release());
  } finally {
    stop.done();
  }
  if (answer === undefined) return released;
  const result = answer;
  const checkedAt = new Date();
  const t2 = performance.now();
  const timed = (report: CheckReport): CheckReport => ({ ...report, timings: { waitMs: t1 - t0, checkMs: t2 - t1, recordMs: performance.now() - t2 } });
  try {
    const report = timed(await withPartner(deps.db, claim.partnerId, async (tx) => {
      const updated = await recordHealthResult(tx, claim.partnerId, claim.integrationKey, result, systemActor, { expectedVersion: claim.version, checkedAt, durationMs: t2 - t1, log: deps.log });
      // Not recorded (stale): the settings were edited while we checked. The edit left our leased
      // row alone, so the new settings' first check is ours to schedule: soon, not an interval out.
      const next = updated
        ? new Date(checkedAt.getTime() + nextCheckDelayMs(env.intervalMs, updated.consecutiveFailures, env.random))
        : 'settings-changed';
      const held = await finishLease(tx, claim.partnerId, claim.integrationKey, claim.leaseId, next);
      if (!held && updated) throw new LeaseLost();
      if (!updated) return { outcome: held ? 'stale' : 'gone', transition: false } satisfies CheckReport;
      return { outcome: result.status, transition: updated.status !== claim.status || updated.health !== claim.health } satisfies CheckReport;
    }));
    // Automation runs the transition queued (issue 23): their jobs, now that they are committed.
    if (report.transition) await sendQueuedJobs(deps, claim.partnerId).catch(() => undefined);
    return report;
  } catch (error) {
    if (error instanceof LeaseLost) return { outcome: 'lost', transition: false };
    throw error;
  }
}
