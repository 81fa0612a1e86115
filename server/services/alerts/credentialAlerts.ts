import { z } from 'zod';
import { credentialAge } from '../../../shared/integrations/credentialAge.js';
import { insertAlert } from '../../db/alerts.js';
import { listCredentialAges, markCredentialAlert, type CredentialAlertStage } from '../../db/credentialAges.js';
import { holdingWindow } from '../../db/maintenanceWindows.js';
import { withPartner, withSystem } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { JobContext, JobQueue } from '../../jobs/engine.js';
import { credentialLimit, storedCredentials } from '../integrations/credentialAge.js';

/** The scan carries nothing: what is due is read when it runs. */
export const credentialAlertQueue: JobQueue<Record<string, never>> = {
  name: 'credential-age-scan',
  data: z.strictObject({}),
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 15 * 60,
};

/** Hourly: a limit counted in days needs no finer clock. */
export const credentialAlertCron = '41 * * * *';

const page = 500;

/**
 * Issue 18 §2: raises "rotate soon" once when a credential comes within 14 days of its limit, and
 * "rotate overdue" once when it passes it, through the health alerts' path (the partner's
 * webhook when one is set). Reads every partner's configurations a page at a time (upkeep, not a
 * partner's request); each alert is written in its partner's scope, after a conditional update
 * that only one scan can win. A maintenance window over the integration defers them until it is
 * released. Returns the alerts raised.
 */
export async function raiseCredentialAlerts(deps: Pick<AppDeps, 'db' | 'registry' | 'log'>, ctx?: Pick<JobContext, 'signal'>, now = new Date()): Promise<number> {
  let raised = 0;
  let after = { partnerId: 0, id: 0 };
  for (;;) {
    if (ctx?.signal.aborted) break;
    const rows = await withSystem(deps.db, (tx) => listCredentialAges(tx, after, page));
    for (const row of rows) {
      const integration = deps.registry.get(row.integrationKey);
      if (!integration) continue;
      const limit = credentialLimit(integration, row);
      for (const credential of storedCredentials(integration, row)) {
        const age = credentialAge(credential.setAt, limit.maxAgeDays, now, credential.expiresAt);
        // Due on the date the vendor gave (issue 26), not at the age limit: say that date.
        const byExpiry = credential.expiresAt !== null && age.dueAt.getTime() === credential.expiresAt.getTime();
        const stage: CredentialAlertStage | undefined = age.state === 'overdue' ? 'overdue' : age.state === 'rotate_soon' ? 'soon' : undefined;
        const alerted = row.credentialAlerts[credential.field];
        if (!stage || alerted === stage || (stage === 'soon' && alerted === 'overdue')) continue;
        const name = integration.entry.name;
        const message =
          byExpiry
            ? stage === 'soon'
              ? `${name}'s ${credential.label} expires on ${age.dueAt.toISOString().slice(0, 10)}: rotate it before then`
              : `${name}'s ${credential.label} expired on ${age.dueAt.toISOString().slice(0, 10)}: rotate it now`
            : stage === 'soon'
            ? `${name}'s ${credential.label} was set ${age.ageDays} days ago: rotate it before ${age.dueAt.toISOString().slice(0, 10)} (its limit is ${limit.maxAgeDays} days)`
            : `${name}'s ${credential.label} is ${age.ageDays} days old, past its limit of ${limit.maxAgeDays} days: rotate it now`;
        const wrote = await withPartner(deps.db, row.partnerId, async (tx) => {
          // In a maintenance window (issue 18 §4) the reminder waits: not marked, so the first scan
          // after the window raises it (a held alert would never be sent).
          if ((await holdingWindow(tx, row.partnerId, row.integrationKey, now)) !== undefined) return false;
          const marked = await markCredentialAlert(tx, row.partnerId, row.integrationKey, credential.field, stage, credential.recorded);
          if (!marked) return false;
          await insertAlert(tx, row.partnerId, {
            integrationKey: row.integrationKey,
            kind: stage === 'soon' ? 'rotate_soon' : 'rotate_overdue',
            fromStatus: marked.status,
            toStatus: marked.status,
            // A credential alert's health is the credential's, not a check's.
            health: stage === 'soon' ? 'degraded' : 'error',
            message,
            createdAt: now,
          });
          return true;
        });
        if (wrote) raised += 1;
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < page) break;
    after = { partnerId: last.partnerId, id: last.id };
  }
  if (raised > 0) deps.log.info({ raised }, 'credential age alerts raised');
  return raised;
}

/** Works the scan queue and (re)places its schedule: the one line in server/jobs/workers.ts. */
export async function startCredentialAlerts(deps: AppDeps): Promise<void> {
  await deps.jobs.work(credentialAlertQueue, (_data, ctx) => raiseCredentialAlerts(deps, ctx).then(() => undefined));
  await deps.jobs.schedule(credentialAlertQueue, credentialAlertCron, {});
  // And once now: a server that was down at the hour (or a demo just seeded) need not wait an hour.
  await deps.jobs.send(credentialAlertQueue, {});
}
