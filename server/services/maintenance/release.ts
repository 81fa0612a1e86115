import { findConfig } from '../../db/integrationConfigs.js';
import { insertAlert } from '../../db/alerts.js';
import { claimRelease, listBaselines, lockCoveredConfigs, windowsToRelease } from '../../db/maintenanceWindows.js';
import { withPartner, withSystem } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { alertKindFor } from '../health/observations.js';
import { previousState } from '../integrations/health.js';

/**
 * Issue 18 §4: releases a maintenance window that is over, exactly once whoever calls it (the
 * webhook deliverer's round on any instance, or "End now"). In one partner transaction:
 *
 * 1. claim: a conditional UPDATE sets released_at; a concurrent releaser waits on that row and
 *    then finds it released, and does nothing;
 * 2. lock the covered configurations (key order): a health check recording a held alert holds
 *    its configuration's lock, so the release waits for it and then sees its baseline; a check
 *    after the commit sees the window released and raises an ordinary alert;
 * 3. per integration with a held alert: compare the state before the window with the state now;
 *    if different, raise ONE alert for the state now (sent like any other). The held alerts stay
 *    as they are: recorded, never sent.
 *
 * Returns the number of alerts raised.
 */
export async function releaseWindow(deps: AppDeps, partnerId: number, windowId: number): Promise<number> {
  return withPartner(deps.db, partnerId, async (tx) => {
    const window = await claimRelease(tx, partnerId, windowId);
    if (!window) return 0;
    await lockCoveredConfigs(tx, partnerId, window.integrationKey);
    let raised = 0;
    for (const base of await listBaselines(tx, partnerId, windowId)) {
      const row = await findConfig(tx, partnerId, base.integrationKey);
      if (!row) continue;
      const now = await previousState(tx, partnerId, row);
      if (now.health === 'unknown' || (now.status === base.beforeStatus && now.health === base.beforeHealth)) continue;
      await insertAlert(tx, partnerId, {
        integrationKey: base.integrationKey,
        kind: alertKindFor(base.beforeHealth, now.health),
        fromStatus: base.beforeStatus,
        toStatus: now.status,
        health: now.health,
        message: now.health === 'ok' ? null : row.errorMessage,
        createdAt: new Date(),
        releasedBy: windowId,
      });
      raised++;
    }
    return raised;
  });
}

/** Releases every window that is over (at most `limit` per call), across partners; returns alerts raised. */
export async function releaseEndedWindows(deps: AppDeps, limit = 50): Promise<number> {
  const due = await withSystem(deps.db, (tx) => windowsToRelease(tx, limit));
  let raised = 0;
  for (const w of due) raised += await releaseWindow(deps, w.partnerId, Number(w.id));
  return raised;
}
