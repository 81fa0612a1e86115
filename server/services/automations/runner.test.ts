import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { automationLimits, type AutomationRunDetail } from '../../../shared/automations.js';
import { insertRun } from '../../db/automationRuns.js';
import { withPartner } from '../../db/pool.js';
import { loopbackTickets } from '../../integrations/testing/actionPlugin.js';
import { commentAutomation, createAutomationWorld, type AutomationWorld } from '../../test/automationWorld.js';
import { startAutomationWorkers, processRun } from './runner.js';

/**
 * Durable runs (issue 23 §3–5) against the counting loopback vendor: the vendor, not a mock,
 * says how many comments it received. Most tests work a run's job by calling the job handler
 * (as pg-boss would, attempt by attempt); the last one goes through the real queue.
 */
let w: AutomationWorld;
let jobSeq = 0;
const deps = () => w.server.deps;

beforeAll(async () => {
  w = await createAutomationWorld();
  await w.configure(w.a.admin);
}, 60_000);
afterAll(() => w.close());
beforeEach(() => {
  w.desk.comments.length = 0;
  w.desk.calls.clear();
  w.desk.failWith = null;
  w.desk.delayMs = 0;
  w.desk.scopes.length = 0;
});

async function create(def: Record<string, unknown>): Promise<{ id: number; version: number }> {
  const res = await w.call(w.a.admin, 'mutation', 'create', def);
  if (res.status !== 200) throw new Error(res.res.body);
  return res.data as { id: number; version: number };
}
/** A queued run (no job sent: the test works it by hand). */
const queue = (a: { id: number; version: number }, data: unknown = { kind: 'manual', input: { note: 'disk' } }) =>
  withPartner(deps().db, w.a.id, (tx) => insertRun(tx, w.a.id, { automationId: a.id, automationVersion: a.version, triggerKind: 'manual', triggerData: data }));
/** One attempt of the run's job, as pg-boss would make it (a retry of a job keeps its id). */
const attempt = (runId: number, options: { jobId?: string; signal?: AbortSignal } = {}) =>
  processRun(deps(), { partnerId: w.a.id, runId }, { jobId: options.jobId ?? `job-${++jobSeq}`, signal: options.signal ?? new AbortController().signal });
const detail = async (runId: number) => (await w.call(w.a.admin, 'query', 'run', { runId })).data as AutomationRunDetail;
const sql = (text: string, values: unknown[]) => w.server.deps.db.pool.query(text, values);

describe('a run', () => {
  it('runs each step with its rendered input, records the history and links the vendor calls', async () => {
    const a = await create(commentAutomation('History'));
    const runId = await queue(a);
    await attempt(runId);
    const run = await detail(runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([['read', 'succeeded', 1], ['post', 'succeeded', 1]]);
    expect(run.steps[1]?.input).toMatchObject({ ticketId: '101', body: 'Note: disk on Backups failing at Dataforth' });
    expect(w.desk.comments).toEqual([expect.objectContaining({ ticketId: '101', body: 'Note: disk on Backups failing at Dataforth' })]);
    const actionRunId = run.steps[1]?.actionRunId as number;
    expect(actionRunId).toBeGreaterThan(0);
    // The loopback plugin calls fetch itself (no instrumented client), so it records the
    // interaction scope each call ran under: the one the interaction log files it under (`action_run:<id>`).
    expect(w.desk.scopes.at(-1)).toMatchObject({ partnerId: w.a.id, kind: 'action', actionId: 'ticketdesk.tickets.comment', actionRunId });
    const listed = await w.call(w.a.tech, 'query', 'runs', { automationId: a.id, status: 'succeeded' });
    expect(listed.data).toMatchObject({ items: [{ id: runId, status: 'succeeded', automationName: 'History' }] });
  });

  it('a step retried after a crash never repeats its vendor call (same idempotency key, stored answer)', async () => {
    const a = await create(commentAutomation('Crash'));
    const runId = await queue(a);
    await attempt(runId, { jobId: 'crashy' });
    expect(w.desk.comments).toHaveLength(1);
    // As if the instance died after the vendor answered but before the step was recorded.
    await sql(`UPDATE automation_run_steps SET status = 'running', output = NULL, finished_at = NULL WHERE partner_id = $1 AND run_id = $2 AND step_index = 1`, [w.a.id, runId]);
    await sql(`UPDATE automation_runs SET status = 'running', next_step = 1, lease_until = now() + interval '1 hour', finished_at = NULL WHERE partner_id = $1 AND id = $2`, [w.a.id, runId]);
    // A different job finds the lease live and leaves the run alone; pg-boss's retry of the job continues it.
    await attempt(runId, { jobId: 'duplicate' });
    expect((await detail(runId)).status).toBe('running');
    await attempt(runId, { jobId: 'crashy' });
    const run = await detail(runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps[1]).toMatchObject({ status: 'succeeded', attempts: 1, output: expect.objectContaining({ commentId: expect.any(String) }) });
    expect(w.desk.comments).toHaveLength(1);
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(1);
  });

  it('a retry that finds the killed attempt\'s call still leased waits with the same key instead of failing the step', async () => {
    const a = await create(commentAutomation('Leased'));
    const runId = await queue(a);
    await attempt(runId, { jobId: 'killed' });
    expect(w.desk.comments).toHaveLength(1);
    // As if the instance was killed mid-call: the action's claim is running with a live lease.
    const key = `automation:${runId}:1:1`;
    await sql(`UPDATE action_runs SET status = 'running', finished_at = NULL, lease_until = now() + interval '1 minute' WHERE partner_id = $1 AND idempotency_key = $2`, [w.a.id, key]);
    await sql(`UPDATE automation_run_steps SET status = 'running', output = NULL, finished_at = NULL WHERE partner_id = $1 AND run_id = $2 AND step_index = 1`, [w.a.id, runId]);
    await sql(`UPDATE automation_runs SET status = 'running', next_step = 1, job_attempts = 1, lease_until = NULL, finished_at = NULL WHERE partner_id = $1 AND id = $2`, [w.a.id, runId]);
    await attempt(runId, { jobId: 'killed' });
    let run = await detail(runId);
    // Queued again for later, the step still on its first attempt, the retry not counted.
    expect(run.status).toBe('queued');
    expect(run.steps[1]).toMatchObject({ status: 'running', attempts: 1 });
    expect((await sql('SELECT job_attempts FROM automation_runs WHERE partner_id = $1 AND id = $2', [w.a.id, runId])).rows[0].job_attempts).toBe(1);
    // The first call did finish (its instance was only slow): the next attempt gets its answer.
    await sql(`UPDATE action_runs SET status = 'succeeded', finished_at = now() WHERE partner_id = $1 AND idempotency_key = $2`, [w.a.id, key]);
    await attempt(runId);
    run = await detail(runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps[1]).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(1);
  });

  it('never calls a finished step again, even when the run was left pointing at it', async () => {
    const a = await create(commentAutomation('Lagging'));
    const runId = await queue(a);
    await attempt(runId, { jobId: 'lagging' });
    expect(w.desk.comments).toHaveLength(1);
    // Cut off after the step was recorded but before the run moved on (two transactions, before they were one).
    await sql(`UPDATE automation_runs SET status = 'running', next_step = 1, lease_until = NULL, finished_at = NULL WHERE partner_id = $1 AND id = $2`, [w.a.id, runId]);
    await attempt(runId, { jobId: 'lagging' });
    const run = await detail(runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps[1]).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(1);
  });

  it('a step whose call a kill cut short fails as "outcome unknown" and is not retried by its policy', async () => {
    const a = await create({ ...commentAutomation('Cut short'), steps: [{ name: 'post', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '101', body: 'Once' }, onFailure: { mode: 'retry', times: 3, backoffSeconds: 1 } }] });
    const runId = await queue(a);
    await attempt(runId, { jobId: 'cut' });
    expect(w.desk.comments).toHaveLength(1);
    // The instance died mid-call long ago: the action's claim is running and its lease gone.
    await sql(`UPDATE action_runs SET status = 'running', finished_at = NULL, lease_until = now() - interval '1 minute' WHERE partner_id = $1 AND idempotency_key = $2`, [w.a.id, `automation:${runId}:0:1`]);
    await sql(`UPDATE automation_run_steps SET status = 'running', output = NULL, finished_at = NULL WHERE partner_id = $1 AND run_id = $2`, [w.a.id, runId]);
    await sql(`UPDATE automation_runs SET status = 'running', next_step = 0, lease_until = NULL, finished_at = NULL WHERE partner_id = $1 AND id = $2`, [w.a.id, runId]);
    await attempt(runId, { jobId: 'cut' });
    const run = await detail(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'outcome_unknown', message: expect.stringMatching(/^Step post failed: .*whether it was done is unknown/) });
    expect(run.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(1);
  });

  it('retries a failed step with a new key after its backoff; the vendor gets one comment', async () => {
    const a = await create({ ...commentAutomation('Retry'), steps: [{ name: 'post', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '101', body: 'Retried' }, onFailure: { mode: 'retry', times: 2, backoffSeconds: 1 } }] });
    const runId = await queue(a);
    w.desk.failWith = { status: 503, message: 'Busy' };
    await attempt(runId);
    let run = await detail(runId);
    expect(run.status).toBe('queued');
    expect(run.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    w.desk.failWith = null;
    await attempt(runId);
    run = await detail(runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(w.desk.comments).toHaveLength(1);
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(2);
  });

  it('stops on a failed step and re-runs from it: earlier steps are not called again', async () => {
    // Step 2 comments on a ticket the vendor does not have yet: 404, the run stops there.
    const a = await create({ ...commentAutomation('Rerun'), steps: [commentAutomation().steps[0], { name: 'post', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '909', body: 'On {{steps.read.output.ticket.number}}' } }] });
    const runId = await queue(a);
    await attempt(runId);
    const failed = await detail(runId);
    expect(failed).toMatchObject({ status: 'failed', nextStep: 1 });
    expect(failed.error?.message).toMatch(/^Step post failed: .*Ticket not found/);
    expect(failed.steps.map((s) => s.status)).toEqual(['succeeded', 'failed']);
    expect(w.desk.count('GET', '/tickets/101')).toBe(1);
    expect((await w.call(w.a.tech, 'mutation', 'rerun', { runId })).status).toBe(403);
    expect((await w.call(w.b.admin, 'mutation', 'rerun', { runId })).status).toBe(404);
    loopbackTickets['909'] = { number: 'T-909', subject: 'Created meanwhile', status: 'Open', org: 'org-1' };
    try {
      const rerun = await w.call(w.a.admin, 'mutation', 'rerun', { runId });
      expect(rerun.status, rerun.res.body).toBe(200);
      const newRun = (rerun.data as { runId: number }).runId;
      await attempt(newRun);
      const after = await detail(newRun);
      expect(after).toMatchObject({ status: 'succeeded', rerunOf: runId });
      // The first step's output was kept (the template read it), and it was not called again.
      expect(after.steps[1]?.input).toMatchObject({ ticketId: '909', body: 'On T-101' });
      expect(w.desk.count('GET', '/tickets/101')).toBe(1);
      expect(w.desk.comments).toEqual([expect.objectContaining({ ticketId: '909', body: 'On T-101' })]);
      expect((await w.call(w.a.admin, 'mutation', 'rerun', { runId: newRun })).status).toBe(409);
    } finally {
      delete loopbackTickets['909'];
    }
  });

  it('lands in the dead-letter list after its last attempt, and an admin replays it', async () => {
    const a = await create(commentAutomation('Dead'));
    const runId = await queue(a);
    const stopped = AbortSignal.abort();
    for (let i = 0; i < 3; i++) await expect(attempt(runId, { signal: stopped })).rejects.toThrow(/stopping/);
    await attempt(runId);
    const dead = await detail(runId);
    expect(dead.status).toBe('dead');
    expect(dead.error?.message).toMatch(/after 3 attempts/);
    expect(w.desk.comments).toHaveLength(0);
    const list = await w.call(w.a.admin, 'query', 'runs', { status: 'dead' });
    expect((list.data as { items: { id: number }[] }).items.map((r) => r.id)).toContain(runId);
    expect((await w.call(w.a.tech, 'mutation', 'replay', { runId })).status).toBe(403);
    expect((await w.call(w.b.admin, 'mutation', 'replay', { runId })).status).toBe(404);
    expect((await w.call(w.a.admin, 'mutation', 'replay', { runId })).status).toBe(200);
    await attempt(runId);
    expect((await detail(runId)).status).toBe('succeeded');
    expect(w.desk.comments).toHaveLength(1);
  });

  it('a disabled automation starts no new run, and one in flight stops after its current step', async () => {
    const a = await create(commentAutomation('Disable'));
    const waiting = await queue(a);
    const inFlight = await queue(a);
    w.desk.delayMs = 400;
    const running = attempt(inFlight);
    // Disable while the first step's vendor call is in flight.
    while (w.desk.calls.size === 0) await new Promise((r) => setTimeout(r, 10));
    const off = await w.call(w.a.admin, 'mutation', 'setEnabled', { id: a.id, enabled: false, baseVersion: a.version });
    expect(off.status, off.res.body).toBe(200);
    await running;
    const stopped = await detail(inFlight);
    expect(stopped.status).toBe('cancelled');
    expect(stopped.steps.map((s) => s.status)).toEqual(['succeeded']);
    await attempt(waiting);
    expect((await detail(waiting)).status).toBe('cancelled');
    expect(w.desk.comments).toHaveLength(0);
    expect((await w.call(w.a.admin, 'mutation', 'runNow', { id: a.id, input: { note: 'x' } })).status).toBe(409);
  });

  it('a step whose integration is in Error fails with the action framework\'s actionable error', async () => {
    const a = await create(commentAutomation('Broken'));
    const runId = await queue(a);
    await sql(`UPDATE integration_configurations SET status = 'Error', error_message = 'Token revoked: reconnect Ticket Desk' WHERE partner_id = $1`, [w.a.id]);
    try {
      await attempt(runId);
    } finally {
      await sql(`UPDATE integration_configurations SET status = 'Active', error_message = NULL WHERE partner_id = $1`, [w.a.id]);
    }
    const run = await detail(runId);
    expect(run.status).toBe('failed');
    expect(run.steps[0]?.error).toEqual({ code: 'error', message: 'Token revoked: reconnect Ticket Desk' });
    expect(run.error?.message).toBe('Step read failed: Token revoked: reconnect Ticket Desk');
    expect(w.desk.calls.size).toBe(0);
  });

  it('runs one at a time per automation by default: a second run waits while the first holds its lease', async () => {
    const a = await create(commentAutomation('One at a time'));
    const first = await queue(a);
    const second = await queue(a);
    await sql(`UPDATE automation_runs SET status = 'running', job_id = 'elsewhere', lease_until = now() + interval '1 minute' WHERE id = $1`, [first]);
    const jobsOf = async (runId: number) =>
      (await sql(`SELECT data, extract(epoch FROM start_after - now())::float8 AS "inSeconds" FROM pgboss.job WHERE name = 'automation-run' AND (data->>'runId')::bigint = $1 ORDER BY created_on, id`, [runId])).rows as { data: { waits?: number }; inSeconds: number }[];
    await attempt(second);
    expect((await detail(second)).status).toBe('queued');
    expect(w.desk.comments).toHaveLength(0);
    // It looks again with a backoff (2 s, then 4 s … a minute), not every few seconds.
    const [waiting] = await jobsOf(second);
    expect(waiting?.data.waits).toBe(1);
    expect(waiting?.inSeconds).toBeGreaterThan(1);
    // The first run's instance finishes it (its own job's retry), which wakes the second at once.
    await attempt(first, { jobId: 'elsewhere' });
    const woken = (await jobsOf(second))[1];
    expect(woken?.data.waits).toBeUndefined();
    expect(woken?.inSeconds).toBeLessThan(1);
    await attempt(second);
    expect([(await detail(first)).status, (await detail(second)).status]).toEqual(['succeeded', 'succeeded']);
    expect(w.desk.comments).toHaveLength(2);
  });

  it('a step whose integration is not configured fails with the reason, and the automation still saved', async () => {
    const a = await create({ ...commentAutomation('Unconfigured'), steps: [{ name: 'read', actionId: 'ticketdesk.tickets.get', input: { ticketId: '101' } }] });
    await sql(`DELETE FROM integration_configurations WHERE partner_id = $1 AND integration_key = 'ticketdesk'`, [w.a.id]);
    try {
      const runId = await queue(a);
      await attempt(runId);
      const run = await detail(runId);
      expect(run).toMatchObject({ status: 'failed', error: { code: 'not_configured', message: 'Step read failed: Ticket Desk is not configured' } });
      expect(w.desk.calls.size).toBe(0);
      // Still editable and saved while its integration is away.
      expect((await w.call(w.a.admin, 'mutation', 'create', commentAutomation('Saved while away'))).status).toBe(200);
    } finally {
      await w.configure(w.a.admin);
    }
  });

  it('refuses the automation past the per-partner limit, saving nothing', async () => {
    const before = Number((await sql('SELECT count(*)::int AS n FROM automations WHERE partner_id = $1', [w.b.id])).rows[0].n);
    await sql(
      `INSERT INTO automations (partner_id, name, enabled, trigger, trigger_kind, steps) SELECT $1, 'filler ' || g, false, '{"kind":"manual","inputs":[]}', 'manual', '[]' FROM generate_series(1, $2) g`,
      [w.b.id, automationLimits.automations - before],
    );
    const res = await w.call(w.b.admin, 'mutation', 'create', commentAutomation('One too many'));
    expect(res.status).toBe(409);
    expect(res.error?.message).toMatch(/at most 50 automations/);
    expect(Number((await sql('SELECT count(*)::int AS n FROM automations WHERE partner_id = $1', [w.b.id])).rows[0].n)).toBe(automationLimits.automations);
    await sql(`DELETE FROM automations WHERE partner_id = $1 AND name LIKE 'filler %'`, [w.b.id]);
  });

  it('checks run-now input against the manual trigger form', async () => {
    const a = await create(commentAutomation('Form'));
    const res = await w.call(w.a.admin, 'mutation', 'runNow', { id: a.id, input: { note: 5, extra: true } });
    expect(res.status).toBe(400);
    expect(res.error?.fields).toEqual({ 'input.note': ['Must be a string'], 'input.extra': ['Unknown input'] });
  });

  it('goes through the real job queue: "run now" to a finished run', async () => {
    await startAutomationWorkers(deps());
    const a = await create(commentAutomation('Queued'));
    const res = await w.call(w.a.admin, 'mutation', 'runNow', { id: a.id, input: { note: 'queue' } });
    expect(res.status, res.res.body).toBe(200);
    const { runId } = res.data as { runId: number };
    const deadline = Date.now() + 20_000;
    while ((await detail(runId)).status !== 'succeeded' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await detail(runId)).status).toBe('succeeded');
    expect(w.desk.comments).toHaveLength(1);
  }, 30_000);
});
