import type { Step } from '../../../shared/automations.js';
import { AppError } from '../../../shared/errors.js';
import { findAutomation, stepsAtVersion, type AutomationRow } from '../../db/automations.js';
import { findRun, listSteps, liveRunsOf, updateRun, upsertStep, type RunRow, type StepError } from '../../db/automationRuns.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { JobContext } from '../../jobs/engine.js';
import { runAction } from '../actions/run.js';
import type { Principal } from '../principal.js';
import { automationJobRetries, automationQueue, type AutomationJob } from './queue.js';
import { conditionHolds, renderInput, sandboxData } from './templates.js';

/**
 * Works one automation run (issue 23 §3): continues at `next_step`, each step through the
 * action framework. A side-effectful step's idempotency key is `automation:<run>:<step>:<attempt>`
 * and the attempt number is stored BEFORE the call, so a job retried after a crash reuses the key
 * and the action framework answers from its record (or "outcome unknown") instead of calling the
 * vendor again; a policy retry (the vendor said no) takes the next attempt number.
 */

const leaseMs = automationQueue.expireInSeconds * 1000;
/**
 * A run at its automation's concurrency looks again after 2 s, 4 s, 8 s, then every 15 s
 * (pg-boss's startAfter) rather than every few seconds behind a long run; the run that frees the
 * slot wakes the oldest waiting one at once (wakeNext). The cap stays short because a slot can
 * also free itself silently: a killed instance's run holds one until its lease runs out.
 */
const concurrencyWaitSeconds = (waits: number) => Math.min(15, 2 ** Math.min(waits, 4));
/** `job_id` of a queued run that found its automation at its concurrency. */
const waitingMark = 'waiting-for-slot';

type Claimed = { kind: 'claimed'; run: RunRow; automation: AutomationRow; steps: Step[] } | { kind: 'done' } | { kind: 'wait' };

/** Takes the run for this attempt, or says why not (finished, dead now, or its automation is at its concurrency). */
async function claim(deps: AppDeps, job: AutomationJob, jobId: string): Promise<Claimed> {
  const { partnerId, runId } = job;
  return withPartner(deps.db, partnerId, async (tx) => {
    const run = await findRun(tx, partnerId, runId, true);
    if (!run || (run.status !== 'queued' && run.status !== 'running')) return { kind: 'done' };
    // Another job holds it (a duplicate): that one finishes it. pg-boss's retry of the job that
    // held it (its worker died or stopped) has the same id and continues the run.
    if (run.status === 'running' && run.leaseLive && run.jobId !== jobId) return { kind: 'done' };
    const automation = await findAutomation(tx, partnerId, run.automationId, true);
    const finish = async (status: 'cancelled' | 'dead', error: StepError) => {
      await updateRun(tx, partnerId, runId, { status, error, leaseUntil: null, finishedAt: new Date() });
      return { kind: 'done' } as const;
    };
    if (!automation) return finish('cancelled', { code: 'deleted', message: 'The automation was deleted' });
    if (!automation.enabled) return finish('cancelled', { code: 'disabled', message: 'The automation was disabled; the run stopped' });
    if ((await liveRunsOf(tx, partnerId, automation.id, runId)) >= automation.concurrency) {
      // Marked, so the run that frees a slot knows to wake it (wakeNext).
      await updateRun(tx, partnerId, runId, { jobId: waitingMark });
      return { kind: 'wait' };
    }
    const attempts = run.jobAttempts + 1;
    if (attempts > automationJobRetries + 1) {
      deps.log.warn({ partnerId, runId, attempts: run.jobAttempts }, 'automation run dead after its last attempt');
      return finish('dead', { code: 'dead', message: `The run stopped after ${run.jobAttempts} attempts that did not finish (the server stopped or the database failed); an admin can replay it` });
    }
    await updateRun(tx, partnerId, runId, { status: 'running', jobAttempts: attempts, jobId, leaseUntil: new Date(Date.now() + leaseMs), ...(run.startedAt ? {} : { startedAt: new Date() }) });
    // The steps as saved when the run started: an edit meanwhile does not shift a run's steps.
    const steps = (await stepsAtVersion(tx, partnerId, automation.id, run.automationVersion)) ?? automation.steps;
    return { kind: 'claimed', run: { ...run, jobAttempts: attempts }, automation, steps };
  });
}

/** The automation as a caller of the action framework: its last editor, with a partner admin's rights (only admins save automations). */
function runner(automation: AutomationRow, partnerId: number): Principal {
  if (automation.updatedBy === null) throw new AppError('CONFLICT', 'The user who saved this automation no longer exists: save it again to run it');
  return { userId: automation.updatedBy, email: `automation:${automation.id}`, displayName: automation.name, partnerId, partnerName: '', isDev: false, role: 'partner_admin' };
}

type StepOutcome = { ok: true; output: unknown; actionRunId: number | null } | { ok: false; error: StepError; actionRunId: number | null };

/** The action framework still holds an earlier attempt's claim on this key (its instance died mid-call): ask again after this. */
type Busy = { busyForSeconds: number };

async function callAction(deps: AppDeps, automation: AutomationRow, partnerId: number, step: Step, input: Record<string, unknown>, key: string): Promise<StepOutcome | Busy> {
  try {
    const result = await runAction(deps, runner(automation, partnerId), { actionId: step.actionId, input, idempotencyKey: key });
    return { ok: true, output: result.output ?? null, actionRunId: result.runId };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = error.details as { code?: unknown; runId?: unknown; reason?: unknown; error?: { code?: unknown } } | undefined;
    if (error.code === 'CONFLICT' && details?.reason === 'in_progress') return { busyForSeconds: error.retryAfterSeconds ?? concurrencyWaitSeconds(1) };
    // Availability refusals carry {code, message}; failed runs carry the run result, whose error
    // code says what happened (`outcome_unknown` above all: never retried with a new key).
    const code = typeof details?.code === 'string' ? details.code : typeof details?.error?.code === 'string' ? details.error.code : error.code.toLowerCase();
    const fields = error.fields ? `: ${Object.entries(error.fields).map(([f, m]) => `${f} ${m.join(', ')}`).join('; ')}` : '';
    return { ok: false, error: { code, message: `${error.message}${fields}`.slice(0, 1_000) }, actionRunId: typeof details?.runId === 'number' ? details.runId : null };
  }
}

const stillEnabled = (deps: AppDeps, partnerId: number, automationId: number) =>
  withPartner(deps.db, partnerId, async (tx) => (await findAutomation(tx, partnerId, automationId))?.enabled === true);

/** The job handler: one attempt at a run. Throws only to be retried (stopping, database trouble). */
export async function processRun(deps: AppDeps, job: AutomationJob, ctx: Pick<JobContext, 'signal' | 'jobId'>): Promise<void> {
  const { partnerId, runId } = job;
  const claimed = await claim(deps, job, ctx.jobId);
  if (claimed.kind === 'wait') {
    const waits = (job.waits ?? 0) + 1;
    await deps.jobs.send(automationQueue, { partnerId, runId, waits }, { startAfterSeconds: concurrencyWaitSeconds(waits) });
    return;
  }
  if (claimed.kind === 'done') return;
  try {
    await work(deps, job, ctx, claimed);
  } catch (error) {
    // Let the retry (any job for this run) take it at once rather than after the lease.
    await withPartner(deps.db, partnerId, (tx) => updateRun(tx, partnerId, runId, { leaseUntil: null })).catch(() => undefined);
    throw error;
  }
  await wakeNext(deps, partnerId, claimed.automation.id, runId);
}

/**
 * This run left its slot: the oldest run of the automation waiting for one gets a job now
 * instead of at the end of its backoff (its pending job then finds it taken: a run is claimed
 * once). Only runs that did wait are woken: a run queued for a policy retry keeps its backoff.
 */
async function wakeNext(deps: AppDeps, partnerId: number, automationId: number, runId: number): Promise<void> {
  const next = await withPartner(deps.db, partnerId, async (tx) =>
    (await tx.query<{ id: number }>(`SELECT id FROM automation_runs WHERE partner_id = $1 AND automation_id = $2 AND id <> $3 AND status = 'queued' AND job_id = $4 ORDER BY id LIMIT 1`, [partnerId, automationId, runId, waitingMark])).rows[0],
  );
  if (next) await deps.jobs.send(automationQueue, { partnerId, runId: Number(next.id) });
}

async function work(deps: AppDeps, job: AutomationJob, ctx: Pick<JobContext, 'signal'>, claimed: Extract<Claimed, { kind: 'claimed' }>): Promise<void> {
  const { partnerId, runId } = job;
  const { run, automation, steps } = claimed;
  const save = (set: Parameters<typeof updateRun>[3]) => withPartner(deps.db, partnerId, (tx) => updateRun(tx, partnerId, runId, set));
  const stored = await withPartner(deps.db, partnerId, (tx) => listSteps(tx, partnerId, runId));
  const outputs: Record<string, { output: unknown; status: string }> = {};
  for (const s of stored) outputs[s.name] = { output: s.output, status: s.status };

  for (let index = run.nextStep; index < steps.length; index++) {
    const step = steps[index] as Step;
    if (ctx.signal.aborted) throw new Error(`automation run ${runId}: stopping before step ${index}`);
    // Disabling stops a run between steps: the step in flight finished, no further one starts.
    if (index > run.nextStep && !(await stillEnabled(deps, partnerId, automation.id))) {
      await save({ status: 'cancelled', error: { code: 'disabled', message: `The automation was disabled; the run stopped before step ${step.name}` }, leaseUntil: null, finishedAt: new Date() });
      return;
    }
    const previous = stored.find((s) => s.index === index);
    if (previous?.status === 'succeeded' || previous?.status === 'skipped') {
      // Already done (recorded by a version that moved the run on in a second transaction, and
      // was cut off between the two): its output stands; it is never called again.
      await save({ nextStep: index + 1 });
      continue;
    }
    // A step left `running` was cut off mid-call: the same attempt (the same key) finds out what happened.
    const attempt = previous?.status === 'running' ? previous.attempts : (previous?.attempts ?? 0) + 1;
    const started = performance.now();
    // A step's outcome and where the run goes next are written in ONE transaction: a kill between
    // the two would leave a finished step at `next_step`, and the retry would call it again as a
    // new attempt (a new key: the vendor called twice).
    const record = (status: 'running' | 'succeeded' | 'failed' | 'skipped', extra: { input?: unknown; output?: unknown; error?: StepError | null; actionRunId?: number | null } = {}, then?: Parameters<typeof updateRun>[3]) =>
      withPartner(deps.db, partnerId, async (tx) => {
        await upsertStep(tx, partnerId, runId, { index, name: step.name, actionId: step.actionId, status, attempts: attempt, input: extra.input ?? null, output: extra.output ?? null, error: extra.error ?? null, actionRunId: extra.actionRunId ?? null, durationMs: status === 'running' ? null : performance.now() - started, finished: status !== 'running' });
        if (then) await updateRun(tx, partnerId, runId, then);
      });

    let data: unknown;
    let outcome: StepOutcome;
    let input: Record<string, unknown> = {};
    try {
      data = sandboxData({ trigger: run.triggerData, steps: outputs });
      if (step.condition && !(await conditionHolds(step.condition, data))) {
        await record('skipped', {}, { nextStep: index + 1 });
        outputs[step.name] = { output: null, status: 'skipped' };
        continue;
      }
      const rendered = await renderInput(step.input, data);
      input = rendered.value;
      const bad = Object.entries(rendered.errors);
      outcome = bad.length > 0 ? { ok: false, error: { code: 'template', message: bad.map(([f, m]) => `input.${f}: ${m}`).join('; ') }, actionRunId: null } : { ok: true, output: null, actionRunId: null };
    } catch (error) {
      outcome = { ok: false, error: { code: 'template', message: error instanceof Error ? error.message : 'Template failed' }, actionRunId: null };
    }
    if (outcome.ok) {
      await record('running', { input });
      const called = await callAction(deps, automation, partnerId, step, input, `automation:${runId}:${index}:${attempt}`);
      if ('busyForSeconds' in called) {
        // A kill cut this attempt's call short and the framework's lease on it has not run out:
        // the same attempt (the same key) asks again then, and learns the result or "outcome
        // unknown"; the vendor is never called twice. The wait does not use up an attempt.
        await save({ status: 'queued', nextStep: index, leaseUntil: null, jobAttempts: run.jobAttempts - 1 });
        await deps.jobs.send(automationQueue, job, { startAfterSeconds: called.busyForSeconds });
        return;
      }
      outcome = called;
    }
    if (outcome.ok) {
      await record('succeeded', { input, output: outcome.output, actionRunId: outcome.actionRunId }, { nextStep: index + 1, leaseUntil: new Date(Date.now() + leaseMs) });
      outputs[step.name] = { output: outcome.output, status: 'succeeded' };
      continue;
    }
    const failed = { input, error: outcome.error, actionRunId: outcome.actionRunId };
    outputs[step.name] = { output: null, status: 'failed' };
    const policy = step.onFailure;
    // "Outcome unknown" is never retried by policy: the vendor may have done it.
    if (policy.mode === 'retry' && attempt <= policy.times && outcome.error.code !== 'outcome_unknown') {
      await record('failed', failed, { status: 'queued', nextStep: index, leaseUntil: null, jobAttempts: 0 });
      await deps.jobs.send(automationQueue, job, { startAfterSeconds: policy.backoffSeconds * 2 ** (attempt - 1) });
      return;
    }
    if (policy.mode === 'continue') {
      await record('failed', failed, { nextStep: index + 1 });
      continue;
    }
    await record('failed', failed, { status: 'failed', nextStep: index, error: { code: outcome.error.code, message: `Step ${step.name} failed: ${outcome.error.message}` }, leaseUntil: null, finishedAt: new Date() });
    return;
  }
  await save({ status: 'succeeded', nextStep: steps.length, error: null, leaseUntil: null, finishedAt: new Date() });
}

/** Works the queue: the one line in server/jobs/workers.ts. */
export async function startAutomationWorkers(deps: AppDeps): Promise<void> {
  await deps.jobs.work(automationQueue, (job, ctx) => processRun(deps, job, ctx), { concurrency: 4 });
}
