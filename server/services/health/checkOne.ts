import { finishLease, type ClaimedCheck } from '../../db/healthSchedule.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { HealthResult } from '../../integrations/types.js';
import { systemActor } from '../integrations/actor.js';
import { recordHealthResult, runHealthCheck } from '../integrations/health.js';
import { pluginConfig } from '../integrations/pluginConfig.js';
import { pluginSettings } from '../integrations/settings.js';
import type { Semaphore } from './semaphore.js';
import { nextCheckDelayMs } from './timing.js';

/**
 * How one claimed check ended:
 * - `ok` / `degraded` / `error`: recorded;
 * - `stale`: the settings changed while it ran, so the result was dropped (schedule advanced);
 * - `gone`: the configuration was deleted meanwhile;
 * - `lost`: our lease had expired and another instance owns the row now (nothing recorded);
 * - `released`: stopped before the vendor answered; the caller hands the lease back.
 */
export type CheckOutcome = HealthResult['status'] | 'stale' | 'gone' | 'lost' | 'released';

export interface CheckReport {
  outcome: CheckOutcome;
  /** Whether the recorded result changed status or health (an alert was raised). */
  transition: boolean;
}

class LeaseLost extends Error {}

export interface CheckEnv {
  deps: AppDeps;
  intervalMs: number;
  random: () => number;
  /** Per-vendor slots (one semaphore per integration key). */
  slotFor(key: string): Semaphore;
  /** Aborted when the instance stops: checks not yet answered are released, not recorded. */
  stopping: AbortSignal;
}

const released: CheckReport = { outcome: 'released', transition: false };

/** Settles when `signal` aborts (never rejects). */
const whenAborted = (signal: AbortSignal) =>
  new Promise<'aborted'>((resolve) => (signal.aborted ? resolve('aborted') : signal.addEventListener('abort', () => resolve('aborted'), { once: true })));

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
  if (!(await slot.acquire(env.stopping))) return released;
  let result: HealthResult;
  try {
    let settings;
    try {
      settings = pluginSettings(deps.secrets, integration, claim.partnerId, claim.settings);
    } catch {
      // The boot check makes this unlikely; still, the partner must see it rather than silence.
      settings = undefined;
    }
    const check = settings
      ? runHealthCheck(integration, { partnerId: claim.partnerId, settings, config: pluginConfig(deps.config), log: deps.log, signal: env.stopping }, deps.pluginTimeoutMs)
      : Promise.resolve<HealthResult>({ status: 'error', message: 'The stored credentials could not be decrypted on this server' });
    const answer = await Promise.race([check, whenAborted(env.stopping)]);
    if (answer === 'aborted') return released;
    result = answer;
  } finally {
    slot.release();
  }

  const checkedAt = new Date();
  try {
    return await withPartner(deps.db, claim.partnerId, async (tx) => {
      const updated = await recordHealthResult(tx, claim.partnerId, claim.integrationKey, result, systemActor, { expectedVersion: claim.version, checkedAt });
      const failures = updated?.consecutiveFailures ?? 0;
      const next = new Date(checkedAt.getTime() + nextCheckDelayMs(env.intervalMs, failures, env.random));
      const held = await finishLease(tx, claim.partnerId, claim.integrationKey, claim.leaseId, next);
      if (!held && updated) throw new LeaseLost();
      if (!updated) return { outcome: held ? 'stale' : 'gone', transition: false } satisfies CheckReport;
      return { outcome: result.status, transition: updated.status !== claim.status || updated.health !== claim.health } satisfies CheckReport;
    });
  } catch (error) {
    if (error instanceof LeaseLost) return { outcome: 'lost', transition: false };
    throw error;
  }
}
