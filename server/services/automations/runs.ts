import type { AutomationRun, AutomationRunDetail, RunStatus } from '../../../shared/automations.js';
import { AppError } from '../../../shared/errors.js';
import { findAutomation } from '../../db/automations.js';
import { copySteps, findRun, listRuns, listSteps, updateRun, type RunRow } from '../../db/automationRuns.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { redactBody } from '../interactions/redact.js';
import type { Principal } from '../principal.js';
import { enqueueRuns } from './enqueue.js';
import { automationQueue } from './queue.js';

/**
 * Run history (issue 23 §5): runs with their trigger data and steps, shown through the
 * interaction log's allow-list redaction (no credential, capped size); a failed run re-runs from
 * its failed step (a new run that keeps the earlier steps' outputs); a dead run is replayed
 * (the same run, its attempts counted afresh).
 */

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const shown = (value: unknown) => redactBody(value ?? null, [])?.value ?? null;

/**
 * The envelope every trigger writes (shared/automations.ts triggers, filled by triggers.ts) is the
 * server's own words (kinds, keys, times, the health message already shown on the integration);
 * shown as is. What came from outside (an inbound payload, a manual input) goes through the
 * interaction log's allow-list like step inputs and outputs.
 */
const envelope = new Set(['kind', 'integrationKey', 'change', 'health', 'status', 'message', 'at', 'deliveryId', 'receivedAt', 'scheduledFor', 'timeZone', 'userId']);
function shownTrigger(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return shown(data);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    out[key] = envelope.has(key) && (value === null || typeof value !== 'object') ? value : shown(value);
  }
  return out;
}

function toRun(row: RunRow): AutomationRun {
  return {
    id: row.id,
    automationId: row.automationId,
    automationName: row.automationName,
    automationVersion: row.automationVersion,
    triggerKind: row.triggerKind,
    status: row.status,
    nextStep: row.nextStep,
    error: row.error,
    rerunOf: row.rerunOf,
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

/** `viewer`: whose scope reads (the dev partner reading another partner's runs; row-level security lets it read, never write). */
export async function listAutomationRuns(deps: AppDeps, partnerId: number, q: { automationId?: number | undefined; status?: RunStatus | undefined; before?: number | undefined; limit: number }, viewer = partnerId) {
  const rows = await withPartner(deps.db, viewer, (tx) => listRuns(tx, partnerId, { ...q, limit: q.limit + 1 }));
  const page = rows.slice(0, q.limit);
  return { items: page.map(toRun), nextBefore: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function getRun(deps: AppDeps, partnerId: number, runId: number, viewer = partnerId): Promise<AutomationRunDetail> {
  const { run, steps } = await withPartner(deps.db, viewer, async (tx) => ({ run: await findRun(tx, partnerId, runId), steps: await listSteps(tx, partnerId, runId) }));
  if (!run) throw new AppError('NOT_FOUND', 'There is no automation run with this id');
  return {
    ...toRun(run),
    triggerData: shownTrigger(run.triggerData),
    steps: steps.map((s) => ({
      index: s.index,
      name: s.name,
      actionId: s.actionId,
      status: s.status,
      attempts: s.attempts,
      input: shown(s.input),
      output: shown(s.output),
      error: s.error,
      actionRunId: s.actionRunId,
      durationMs: s.durationMs,
      startedAt: new Date(s.startedAt).toISOString(),
      finishedAt: iso(s.finishedAt),
    })),
  };
}

/** A new run of a failed one, from its failed step: the steps before it keep their outputs (nothing before it is called again). */
export async function rerunFromFailed(deps: AppDeps, principal: Principal, runId: number): Promise<{ runId: number }> {
  const { partnerId } = principal;
  const { run, automation } = await withPartner(deps.db, partnerId, async (tx) => {
    const r = await findRun(tx, partnerId, runId);
    return { run: r, automation: r ? await findAutomation(tx, partnerId, r.automationId) : undefined };
  });
  if (!run) throw new AppError('NOT_FOUND', 'There is no automation run with this id');
  if (run.status !== 'failed') throw new AppError('CONFLICT', 'Only a failed run can be re-run from its failed step');
  if (!automation) throw new AppError('CONFLICT', 'The automation of this run was deleted');
  if (!automation.enabled) throw new AppError('CONFLICT', 'This automation is disabled: enable it to re-run');
  const [id] = await enqueueRuns(deps, partnerId, [automation], { kind: run.triggerKind, data: run.triggerData }, {
    throwAtLimit: true,
    nextStep: run.nextStep,
    rerunOf: run.id,
    copyFrom: (tx, newRun) => copySteps(tx, partnerId, run.id, newRun, run.nextStep),
  });
  return { runId: id as number };
}

/** Replays a dead run (the dead-letter list): the same run continues where it stopped, with fresh attempts. */
export async function replayDead(deps: AppDeps, principal: Principal, runId: number): Promise<{ runId: number }> {
  const { partnerId } = principal;
  await withPartner(deps.db, partnerId, async (tx) => {
    const run = await findRun(tx, partnerId, runId, true);
    if (!run) throw new AppError('NOT_FOUND', 'There is no automation run with this id');
    if (run.status !== 'dead') throw new AppError('CONFLICT', 'Only a dead run (stopped after its last attempt) can be replayed');
    await updateRun(tx, partnerId, runId, { status: 'queued', jobAttempts: 0, error: null, leaseUntil: null, finishedAt: null });
  });
  await deps.jobs.send(automationQueue, { partnerId, runId });
  return { runId };
}
