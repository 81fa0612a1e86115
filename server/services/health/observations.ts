import type { Health, IntegrationStatus } from '../../../shared/integrations/catalog.js';
import type { AlertKind } from '../../../shared/integrations/health.js';
import { insertAlert } from '../../db/alerts.js';
import { insertHealthPoint } from '../../db/healthHistory.js';
import type { Queryable } from '../../db/pool.js';
import type { HealthResult } from '../../integrations/types.js';
import { holdingWindow, keepBaseline } from '../../db/maintenanceWindows.js';
import { queueHealthRuns } from '../automations/triggers.js';
import type { Logger } from '../../logger.js';

/** What kind of alert a transition raises. */
export function alertKindFor(before: Health, after: HealthResult['status']): AlertKind {
  if (after === 'error') return 'failure';
  if (after === 'degraded') return 'degraded';
  return before === 'error' || before === 'degraded' ? 'recovery' : 'activated';
}

export interface Observation {
  before: { status: IntegrationStatus; health: Health };
  status: IntegrationStatus;
  result: HealthResult;
  checkedAt: Date;
  /** Whether status or health changed: the same test that decides the `health_changed` audit row. */
  changed: boolean;
  source: 'scheduled' | 'tested';
  durationMs?: number | undefined;
  /** Where a failing automation trigger is reported (it never fails the recording). */
  log?: Pick<Logger, 'warn'> | undefined;
}

/**
 * The monitoring side of a recorded health result, inside recordHealthResult's transaction and
 * under its row lock: a history point for every check, and exactly one alert per transition.
 * Two instances recording the same configuration serialise on that lock, so the second sees the
 * status the first wrote and finds no transition to alert on.
 */
export async function recordObservation(tx: Queryable, partnerId: number, key: string, o: Observation): Promise<void> {
  const message = o.result.message ?? null;
  const pointStatus = o.result.status === 'error' ? 'Error' : 'Active';
  await insertHealthPoint(tx, partnerId, { integrationKey: key, checkedAt: o.checkedAt, health: o.result.status, status: pointStatus, message, source: o.source, durationMs: o.durationMs });
  if (!o.changed) return;
  // Issue 18 §4: in a maintenance window the alert is recorded but held (never sent), and the
  // state before the window's first held alert is kept for the release at its end.
  const heldBy = await holdingWindow(tx, partnerId, key, o.checkedAt);
  if (heldBy !== undefined) await keepBaseline(tx, partnerId, heldBy, key, o.before);
  await insertAlert(tx, partnerId, {
    integrationKey: key,
    kind: alertKindFor(o.before.health, o.result.status),
    fromStatus: o.before.status,
    toStatus: o.status,
    health: o.result.status,
    message,
    createdAt: o.checkedAt,
    heldBy,
  });
  // Issue 23: automations triggered by this transition, queued in the same transaction.
  await queueHealthRuns(tx, partnerId, { integrationKey: key, before: o.before.health, after: o.result.status, status: o.status, message, at: o.checkedAt }, o.log);
}
