import { sendQueuedJobs } from '../automations/triggers.js';
import type { TestOutput } from '../../../shared/integrations/api.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { withPartner, type Queryable } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { withInteraction } from '../../integrations/http/interactionScope.js';
import type { HealthResult } from '../../integrations/types.js';
import { systemActor, type AuditActor } from './actor.js';
import { buildIntegrationDetail } from './detail.js';
import { recordHealthResult, runHealthCheck } from './health.js';
import { notConfiguredError, readConfig, requireIntegration } from './lookup.js';
import { draftOAuth, mappedFor, oauthFor, pluginConfig } from './pluginConfig.js';
import { pluginSettings, resolveSettings } from './settings.js';

/**
 * "Test connection" now. Without `draft`, checks the saved configuration and records the result
 * (status, health, audit `tested`). With `draft`, checks those unsaved settings merged with the
 * stored secrets (mask or blank keeps one) and persists nothing. The vendor is called outside
 * any transaction; the result is recorded in a short one afterwards, unless the settings were
 * edited while the check ran: then it describes settings that are gone, so only the audit notes it.
 */
export async function testIntegration(
  deps: AppDeps,
  partnerId: number,
  tester: AuditActor,
  input: { key: string; settings?: SettingsInput | undefined; afterSave?: boolean | undefined },
): Promise<TestOutput> {
  const { key, settings: draft } = input;
  const integration = requireIntegration(deps.registry, key);
  const row = await readConfig(deps.db, partnerId, key);
  if (!row && !draft) throw notConfiguredError();
  // The first check of the caller's own, still unchecked edit: the system checks, nobody tested.
  const automatic = !draft && input.afterSave === true && row?.status === 'Configured' && row.updatedBy === tester.userId;
  const actor = automatic ? systemActor : tester;

  const settings = draft
    ? resolveSettings(deps.secrets, integration, partnerId, draft, row?.settings).plain
    : pluginSettings(deps.secrets, integration, partnerId, row?.settings ?? {});
  // A draft's token is requested and kept in memory only; saved settings use the stored connection.
  const ctx = { partnerId, settings, config: pluginConfig(deps.config), log: deps.log, ...(draft ? draftOAuth(deps, integration, settings) : oauthFor(deps, integration, partnerId, settings)), ...mappedFor(deps, integration, partnerId) };
  const started = performance.now();
  // Logged as `health` by the person who asked (a draft's calls too: the vendor was called).
  const scope = { partnerId, integrationKey: key, kind: 'health', actionId: 'health', userId: tester.userId, recorder: deps.interactionLog } as const;
  const result: HealthResult = await withInteraction(scope, () => runHealthCheck(integration, ctx, deps.pluginTimeoutMs));
  const durationMs = performance.now() - started;
  const checkedAt = new Date();

  let current = row;
  let recorded = false;
  if (!draft && row) {
    const updated = await withPartner(deps.db, partnerId, (tx) =>
      recordHealthResult(tx, partnerId, key, result, actor, {
        ...(automatic ? {} : { action: 'tested' as const }),
        expectedVersion: row.version,
        checkedAt,
        durationMs,
        postponeScheduledMs: deps.config.healthCheckIntervalMs,
        log: deps.log,
      }),
    );
    recorded = updated !== undefined;
    // Automation runs a transition queued (issue 23): their jobs, now that they are committed.
    if (updated && (updated.health !== row.health || updated.status !== row.status)) await sendQueuedJobs(deps, partnerId).catch(() => undefined);
    // The vendor was still called with the stored credentials: that is audited even when the
    // result describes settings that are gone (no status or health change comes of it).
    if (!recorded) await withPartner(deps.db, partnerId, (tx) => auditUnrecordedTest(tx, partnerId, key, actor, result));
    current = updated ?? (await readConfig(deps.db, partnerId, key));
  }
  // What was recorded when it was: the recording folds in what the check alone cannot see
  // (mapped organizations missing at the vendor), and the answer must agree with the detail.
  const shown = recorded && current && current.health !== 'unknown' ? { status: current.health, message: current.errorMessage } : result;
  return {
    health: shown.status,
    message: shown.message ?? null,
    draft: draft !== undefined,
    recorded,
    checkedAt: checkedAt.toISOString(),
    detail: buildIntegrationDetail(integration, current),
  };
}

function auditUnrecordedTest(tx: Queryable, partnerId: number, key: string, actor: AuditActor, result: HealthResult) {
  const outcome = result.message ?? (result.status === 'ok' ? 'The connection worked' : 'The check failed');
  return insertAuditLog(tx, partnerId, {
    integrationKey: key,
    action: 'tested',
    userId: actor.userId,
    actor: actor.actor,
    details: { health: result.status, message: `${outcome} (not applied: the settings changed while the check ran)` },
  });
}
