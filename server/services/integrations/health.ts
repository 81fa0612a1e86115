import type { Logger } from '../../logger.js';
import type { AuditEntry, Health, IntegrationStatus } from '../../../shared/integrations/catalog.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { markVersionPassed } from '../../db/configVersions.js';
import { findConfig, updateConfigHealth, type ConfigRow } from '../../db/integrationConfigs.js';
import type { Queryable } from '../../db/pool.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import type { HealthResult, PluginContext } from '../../integrations/types.js';
import { postponeCheck } from '../../db/healthSchedule.js';
import { lastHealthPoint } from '../../db/healthHistory.js';
import { withMissingAtVendor } from '../health/missingAtVendor.js';
import { recordObservation } from '../health/observations.js';
import type { AuditActor } from './actor.js';
import { redactSecrets } from './settings.js';
import { statusForHealth } from './state.js';

/** Upper bound of one vendor check, whatever the plugin does with its signal. */
export const defaultHealthCheckTimeoutMs = 20_000;
const maxMessageLength = 500;

const isHealthResult = (value: unknown): value is HealthResult => {
  if (!value || typeof value !== 'object') return false;
  const { status, message } = value as Record<string, unknown>;
  if (status === 'ok') return message === undefined || typeof message === 'string';
  return (status === 'degraded' || status === 'error') && typeof message === 'string';
};

const clip = (text: string) => (text.length > maxMessageLength ? `${text.slice(0, maxMessageLength - 1)}…` : text);

/**
 * Runs a plugin's health check with a time budget and never throws: a timeout, an exception or
 * a malformed answer become Error results. Messages are cleaned of the settings' secret values
 * and clipped, and an exception is logged by type only (its message may quote a credential).
 * No database transaction may be open while this runs.
 */
export async function runHealthCheck(
  integration: RegisteredIntegration,
  ctx: Omit<PluginContext, 'signal'> & { signal?: AbortSignal },
  timeoutMs = defaultHealthCheckTimeoutMs,
): Promise<HealthResult> {
  const budget = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, budget.signal]) : budget.signal;
  let timer: NodeJS.Timeout | undefined;
  // Resolves even when a plugin ignores its signal and never settles.
  const timedOut = new Promise<HealthResult>((resolve) => {
    timer = setTimeout(() => {
      budget.abort();
      resolve({ status: 'error', message: `No answer within ${Number((timeoutMs / 1000).toFixed(1))} s` });
    }, timeoutMs);
  });
  let result: HealthResult;
  try {
    const answer = await Promise.race([integration.plugin.healthCheck({ ...ctx, signal }), timedOut]);
    result = isHealthResult(answer) ? answer : { status: 'error', message: 'The health check gave no usable answer' };
  } catch (error) {
    ctx.log.warn({ integration: integration.entry.key, partnerId: ctx.partnerId, errorType: error instanceof Error ? error.name : typeof error }, 'health check threw');
    result = { status: 'error', message: 'The health check failed unexpectedly' };
  } finally {
    clearTimeout(timer);
  }
  if (result.message === undefined) return result;
  return { ...result, message: clip(redactSecrets(result.message, integration, ctx.settings)) } as HealthResult;
}

export interface RecordHealthOptions {
  /**
   * `tested` for a check someone asked for: audited as `tested` every time. Either way a change
   * of status or health writes one `health_changed` row (by `actor`).
   */
  action?: 'tested' | 'health_changed';
  /** Skip (and return undefined) when the settings changed since the checked version. */
  expectedVersion?: number;
  checkedAt?: Date;
  /** After a check someone asked for: no scheduled check for this long (the result is fresh). */
  postponeScheduledMs?: number;
  /** How long the check's vendor calls took, kept in the history for the check list. */
  durationMs?: number;
  /** Where a failing automation trigger of this transition is reported (server log). */
  log?: Pick<Logger, 'warn'>;
}

/**
 * Records a health result on this partner's configuration: status (Ok/Degraded → Active,
 * Error → Error), health, last check, last ok, consecutive failures and message, plus in the
 * same transaction a health history point, the audit rows (`tested` for a manual test; one
 * `health_changed` on a transition) and, on a transition, one alert. Returns the updated row, or
 * undefined when the configuration is gone or was edited after `expectedVersion` (the result
 * describes settings that no longer exist). Shared by the test procedure and the scheduled
 * health checks; pass it what runHealthCheck returned (bounded, secrets redacted), and call it
 * in a short transaction of its own.
 */
export async function recordHealthResult(
  tx: Queryable,
  partnerId: number,
  key: string,
  checked: HealthResult,
  actor: AuditActor,
  options: RecordHealthOptions = {},
): Promise<ConfigRow | undefined> {
  const row = await findConfig(tx, partnerId, key, { lock: true });
  if (!row || (options.expectedVersion !== undefined && row.version !== options.expectedVersion)) return undefined;
  // Folded in here, the one place results are recorded, so the fleet view, the detail, the
  // history and the alerts all say the same thing about mappings gone at the vendor.
  const result = await withMissingAtVendor(tx, partnerId, key, checked);
  const checkedAt = options.checkedAt ?? new Date();
  const failed = result.status === 'error';
  const status = statusForHealth(result.status);
  // Read before this check's own history point is written.
  const before = await previousState(tx, partnerId, row);
  const changed = before.status !== status || before.health !== result.status;
  // History point always; an alert exactly when the audit below sees a transition (same row
  // lock). Written first: the writes below bump the partner's sync version, whose row lock is
  // then held until commit, and every write of this partner queues behind it.
  await recordObservation(tx, partnerId, key, { before, status, result, checkedAt, changed, source: options.action === 'tested' ? 'tested' : 'scheduled', durationMs: options.durationMs, log: options.log });
  if (options.postponeScheduledMs !== undefined) await postponeCheck(tx, partnerId, key, new Date(checkedAt.getTime() + options.postponeScheduledMs));
  // The version checked passed: "roll back to the last passing version" can offer it.
  if (!failed) await markVersionPassed(tx, partnerId, key, row.version);
  const updated = await updateConfigHealth(tx, partnerId, key, {
    status,
    health: result.status,
    checkedAt,
    lastOkAt: failed ? row.lastOkAt : checkedAt,
    consecutiveFailures: failed ? row.consecutiveFailures + 1 : 0,
    errorMessage: result.status === 'ok' ? null : result.message,
  });
  // Every recorded transition writes exactly one `health_changed` row, whoever asked for the
  // check (the system, or someone's "Test connection"): the audit filtered on health_changed is
  // the whole status history, like the alerts; a check that changes nothing writes none. A
  // manual test also writes its `tested` row, transition or not, with its outcome only (the
  // transition is the other row's), after that row so that it reads first (newest first).
  const outcome: AuditEntry['details'] = { health: result.status, ...(result.message ? { message: result.message } : {}) };
  const audit = (action: 'tested' | 'health_changed', details: AuditEntry['details']) =>
    insertAuditLog(tx, partnerId, { integrationKey: key, action, userId: actor.userId, actor: actor.actor, details });
  if (changed) await audit('health_changed', { fromStatus: before.status, toStatus: status, ...outcome });
  if (options.action === 'tested') await audit('tested', outcome);
  return updated;
}

/**
 * The state a check moves the integration FROM. Usually the stored one; but a settings edit
 * parks the status at Configured (health unknown) until the next check, and that bookkeeping is
 * not where the integration was: a fix of a failing integration is Error → Active, not
 * Configured → Active. So after an edit the last check of this configuration counts; only one
 * never checked is really Configured.
 */
export async function previousState(tx: Queryable, partnerId: number, row: ConfigRow): Promise<{ status: IntegrationStatus; health: Health }> {
  if (row.status !== 'Configured') return { status: row.status, health: row.health };
  const last = await lastHealthPoint(tx, partnerId, row.integrationKey, row.createdAt);
  return last ? { status: last.status, health: last.health } : { status: row.status, health: row.health };
}
