import { AppError } from '../../../shared/errors.js';
import type { AuditEntry } from '../../../shared/integrations/catalog.js';
import {
  maintenanceStartSlackMs,
  maxMaintenanceLeadMs,
  maxMaintenanceWindowMs,
  type CreateMaintenanceValues,
  type EndMaintenanceOutput,
  type MaintenanceList,
  type MaintenanceWindow,
} from '../../../shared/integrations/maintenance.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { findConfig } from '../../db/integrationConfigs.js';
import {
  configuredKeys,
  deleteWindow,
  endWindowNow,
  findOverlapping,
  findWindow,
  insertWindow,
  listOpenWindows,
  lockPartnerWindows,
  type WindowRow,
} from '../../db/maintenanceWindows.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner, type Queryable } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { AuditActor } from '../integrations/actor.js';
import { notConfiguredError, requireIntegration } from '../integrations/lookup.js';
import { releaseWindow } from './release.js';

/** A window as the API shows it; its state follows from the clock and the release. */
export function windowView(row: WindowRow, now = new Date()): MaintenanceWindow {
  const state = row.startsAt > now ? 'upcoming' : row.endsAt > now && row.releasedAt === null ? 'active' : 'ended';
  return {
    id: Number(row.id),
    integrationKey: row.integrationKey,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason,
    actor: row.actor,
    createdAt: row.createdAt.toISOString(),
    state,
    releasedAt: row.releasedAt?.toISOString() ?? null,
  };
}

/** Current and upcoming windows of the partner (with `key`: those covering that integration). */
export async function listMaintenance(deps: AppDeps, partnerId: number, key: string | undefined): Promise<MaintenanceList> {
  if (key !== undefined) requireIntegration(deps.registry, key);
  const rows = await readAsPartner(deps.db, partnerId, (q) => listOpenWindows(q, partnerId, key));
  const now = new Date();
  return { items: rows.map((r) => windowView(r, now)) };
}

const describeWindow = (w: Pick<WindowRow, 'integrationKey' | 'startsAt' | 'endsAt' | 'reason'>) =>
  `${w.integrationKey === null ? 'for all integrations' : `for ${w.integrationKey}`} from ${w.startsAt.toISOString()} to ${w.endsAt.toISOString()} (“${w.reason}”)`;

/**
 * Schedules a window (partner admin). The dates are checked against the clock here (zod knows
 * none): start not in the past (a few minutes' slack), end after start and in the future, at most
 * seven days long, at most 90 days ahead; and no overlap with another window of the partner that
 * covers the same integration. Every refusal is a 400 naming the field, and nothing is written.
 */
export async function createMaintenance(deps: AppDeps, partnerId: number, actor: AuditActor, input: CreateMaintenanceValues): Promise<MaintenanceWindow> {
  const key = input.integrationKey ?? null;
  if (key !== null) requireIntegration(deps.registry, key);
  const now = new Date();
  const startsAt = input.startsAt === undefined ? now : new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  const fields: Record<string, string[]> = {};
  if (startsAt.getTime() < now.getTime() - maintenanceStartSlackMs) fields.startsAt = ['The start must not be in the past'];
  else if (startsAt.getTime() > now.getTime() + maxMaintenanceLeadMs) fields.startsAt = ['The start must be within the next 90 days'];
  if (endsAt <= startsAt) fields.endsAt = ['The end must be after the start'];
  else if (endsAt <= now) fields.endsAt = ['The end must not be in the past'];
  else if (endsAt.getTime() - startsAt.getTime() > maxMaintenanceWindowMs) fields.endsAt = ['A maintenance window lasts at most 7 days'];
  if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', 'The maintenance window cannot be scheduled', { fields });

  return withPartner(deps.db, partnerId, async (tx) => {
    await lockPartnerWindows(tx, partnerId);
    if (key !== null && !(await findConfig(tx, partnerId, key))) throw notConfiguredError();
    const clash = await findOverlapping(tx, partnerId, { key, startsAt, endsAt });
    if (clash) {
      throw new AppError('VALIDATION_FAILED', 'The maintenance window overlaps another one', {
        fields: { startsAt: [`Overlaps maintenance window ${clash.id} ${describeWindow(clash)}: end or change that one first`] },
      });
    }
    const row = await insertWindow(tx, partnerId, { key, startsAt, endsAt, reason: input.reason, userId: actor.userId, actor: actor.actor });
    await auditWindow(tx, partnerId, actor, row, 'scheduled');
    return windowView(row);
  });
}

/**
 * Ends a running window now (its held alerts are released at once: the current state is sent if
 * it differs from the state before), or cancels one that has not started (it is removed). A
 * window already over answers 409. Partner admin; audited either way.
 */
export async function endMaintenance(deps: AppDeps, partnerId: number, actor: AuditActor, id: number): Promise<EndMaintenanceOutput> {
  const result = await withPartner(deps.db, partnerId, async (tx) => {
    const row = await findWindow(tx, partnerId, id, { lock: true });
    if (!row) throw new AppError('NOT_FOUND', 'There is no such maintenance window');
    const now = new Date();
    if (row.startsAt > now) {
      await deleteWindow(tx, partnerId, id);
      await auditWindow(tx, partnerId, actor, row, 'cancelled');
      return { outcome: 'cancelled' as const, window: windowView(row, now) };
    }
    if (row.endsAt <= now || row.releasedAt !== null) throw new AppError('CONFLICT', 'This maintenance window is over already');
    const ended = await endWindowNow(tx, partnerId, id);
    await auditWindow(tx, partnerId, actor, ended, 'ended');
    return { outcome: 'ended' as const, window: windowView(ended) };
  });
  if (result.outcome === 'cancelled') return result;
  // After the commit, in a transaction of its own: the same step the background releaser runs,
  // so whichever comes first releases and the other finds nothing to do.
  await releaseWindow(deps, partnerId, id);
  const released = await readAsPartner(deps.db, partnerId, (q) => findWindow(q, partnerId, id));
  return { outcome: 'ended', window: released ? windowView(released) : result.window };
}

/** One audit row on each integration the window covers (every configured one when partner-wide). */
async function auditWindow(tx: Queryable, partnerId: number, actor: AuditActor, row: WindowRow, outcome: 'scheduled' | 'ended' | 'cancelled'): Promise<void> {
  const keys = row.integrationKey === null ? await configuredKeys(tx, partnerId) : [row.integrationKey];
  const maintenance: NonNullable<AuditEntry['details']['maintenance']> = {
    windowId: Number(row.id),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason,
    partnerWide: row.integrationKey === null,
    outcome,
  };
  for (const integrationKey of keys) {
    await insertAuditLog(tx, partnerId, { integrationKey, action: outcome === 'scheduled' ? 'maintenance_scheduled' : 'maintenance_ended', userId: actor.userId, actor: actor.actor, details: { maintenance } });
  }
}
