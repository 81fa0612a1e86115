import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { automationLimits, type AutomationRunDetail } from '../../../shared/automations.js';
import { validSettings } from '../../test/catalogWorld.js';
import { postInbound, signedHeaders } from '../../test/inbound.js';
import { createAutomationWorld, type AutomationWorld } from '../../test/automationWorld.js';
import { startInboundWorkers } from '../inboundWebhooks/process.js';
import { startAutomationWorkers } from './runner.js';
import { withPartner } from '../../db/pool.js';
import { queueHealthRuns, scheduleTick } from './triggers.js';

/**
 * Where runs come from (issue 23 §1), end to end on the real job queue: a health transition
 * recorded by "test connection", a processed inbound webhook, a due schedule. Steps call the
 * counting loopback vendor (ticketdesk); `testvendor` is the integration whose health and
 * webhooks fire the triggers. Partner B has the same automations: A's events never run B's.
 */
let w: AutomationWorld;
const sql = async (text: string, values: unknown[] = []) => (await w.server.deps.db.pool.query(text, values)).rows;

const commentStep = (body: string) => ({ name: 'post', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '101', body } });

async function create(user: AutomationWorld['a']['admin'], def: Record<string, unknown>): Promise<number> {
  const res = await w.call(user, 'mutation', 'create', { enabled: true, ...def });
  if (res.status !== 200) throw new Error(res.res.body);
  return (res.data as { id: number }).id;
}
const runsOf = async (partnerId: number, automationId: number) =>
  (await sql('SELECT id, status, trigger_data FROM automation_runs WHERE partner_id = $1 AND automation_id = $2 ORDER BY id', [partnerId, automationId])) as { id: number; status: string; trigger_data: Record<string, unknown> }[];

async function finished(runId: number, timeoutMs = 20_000): Promise<AutomationRunDetail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = (await w.call(w.a.admin, 'query', 'run', { runId })).data as AutomationRunDetail;
    if (!['queued', 'running'].includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${runId} is still ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function firstRun(partnerId: number, automationId: number, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [run] = await runsOf(partnerId, automationId);
    if (run) return run;
    if (Date.now() > until) throw new Error(`automation ${automationId} has no run`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  w = await createAutomationWorld();
  for (const p of [w.a, w.b]) {
    await w.configure(p.admin);
    const res = await w.request('POST', '/api/integrations/testvendor/configure', p.admin, { settings: validSettings() });
    expect(res.statusCode, res.body).toBe(201);
  }
  await startAutomationWorkers(w.server.deps);
  await startInboundWorkers(w.server.deps);
}, 60_000);
afterAll(() => w.close());
beforeEach(() => {
  w.desk.comments.length = 0;
  w.vendor.outcome = 'ok';
});

describe('triggers', () => {
  it('a health transition to Error runs the partner\'s automation once, with the health in its data; B\'s does not run', async () => {
    const def = { name: 'On error', trigger: { kind: 'health', integrationKey: 'testvendor', on: ['error'] }, steps: [commentStep('Test Vendor is {{trigger.status}}: {{trigger.message}}')] };
    const a = await create(w.a.admin, def);
    const b = await create(w.b.admin, def);
    w.vendor.outcome = 'error';
    w.vendor.message = 'The API token was revoked';
    expect((await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, {})).statusCode).toBe(200);
    const run = await finished((await firstRun(w.a.id, a)).id);
    expect(run).toMatchObject({ status: 'succeeded', triggerKind: 'health', triggerData: { change: 'error', integrationKey: 'testvendor', status: 'Error' } });
    expect(w.desk.comments).toEqual([expect.objectContaining({ body: 'Test Vendor is Error: The API token was revoked' })]);
    // Still in Error: no transition, no new run.
    expect((await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, {})).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await runsOf(w.a.id, a)).toHaveLength(1);
    expect(await runsOf(w.b.id, b)).toHaveLength(0);
    expect(w.desk.comments).toHaveLength(1);
    // Recovery is a change of its own, which this automation does not listen for.
    w.vendor.outcome = 'ok';
    expect((await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, {})).statusCode).toBe(200);
    expect(await runsOf(w.a.id, a)).toHaveLength(1);
  }, 40_000);

  it('a trigger that fails never fails what fired it: the health transition is recorded, the failure logged', async () => {
    const id = await create(w.b.admin, { name: 'Unreadable trigger', trigger: { kind: 'health', integrationKey: 'testvendor', on: ['error'] }, steps: [commentStep('x')] });
    // A stored trigger this code cannot read (no `on` list: written by a later version, say).
    await sql(`UPDATE automations SET trigger = trigger - 'on' WHERE id = $1`, [id]);
    const logged = w.server.logs.lines.length;
    w.vendor.outcome = 'error';
    w.vendor.message = 'The API token was revoked';
    const res = await w.request('POST', '/api/integrations/testvendor/test', w.b.admin, {});
    expect(res.statusCode, res.body).toBe(200);
    const [config] = (await sql(`SELECT status FROM integration_configurations WHERE partner_id = $1 AND integration_key = 'testvendor'`, [w.b.id])) as { status: string }[];
    expect(config?.status).toBe('Error');
    expect(await runsOf(w.b.id, id)).toHaveLength(0);
    expect(w.server.logs.lines.slice(logged).join('\n')).toContain('automation health trigger failed; the health result is kept');
  }, 40_000);

  it('a processed inbound webhook runs the automation with the payload', async () => {
    const a = await create(w.a.admin, { name: 'On webhook', trigger: { kind: 'inbound', integrationKey: 'testvendor' }, steps: [commentStep('Event {{trigger.payload.event}} #{{trigger.payload.id}}')] });
    const b = await create(w.b.admin, { name: 'On webhook', trigger: { kind: 'inbound', integrationKey: 'testvendor' }, steps: [commentStep('B')] });
    const endpoint = await w.request('POST', '/api/integrations/testvendor/inbound', w.a.admin);
    expect(endpoint.statusCode, endpoint.body).toBe(200);
    const { secret, path } = endpoint.json() as { secret: string; path: string };
    const body = JSON.stringify({ event: 'alert.raised', id: 42 });
    expect((await postInbound(w.server.app, path, body, signedHeaders(secret, body))).statusCode).toBe(202);
    const run = await finished((await firstRun(w.a.id, a)).id);
    // The history shows the payload through the interaction log's allow-list (`event` is not on it).
    expect(run).toMatchObject({ status: 'succeeded', triggerKind: 'inbound', triggerData: { integrationKey: 'testvendor', payload: { event: '[redacted]', id: 42 } } });
    expect(w.desk.comments).toEqual([expect.objectContaining({ body: 'Event alert.raised #42' })]);
    expect(await runsOf(w.b.id, b)).toHaveLength(0);
  }, 40_000);

  it('a due schedule fires once even when two ticks race, and moves to its next time', async () => {
    const a = await create(w.a.admin, { name: 'Every morning', trigger: { kind: 'schedule', cron: '0 7 * * *', timeZone: 'Europe/Berlin' }, steps: [commentStep('Scheduled for {{trigger.scheduledFor}}')] });
    const [row] = await sql('SELECT next_run_at FROM automations WHERE id = $1', [a]);
    // 07:00 in Berlin is 05:00 or 06:00 UTC.
    expect([5, 6]).toContain(new Date(row.next_run_at).getUTCHours());
    await sql(`UPDATE automations SET next_run_at = now() - interval '1 minute' WHERE id = $1`, [a]);
    const started = await Promise.all([scheduleTick(w.server.deps), scheduleTick(w.server.deps)]);
    expect(started.reduce((x, y) => x + y, 0)).toBe(1);
    const run = await finished((await firstRun(w.a.id, a)).id);
    expect(run.status).toBe('succeeded');
    expect(await runsOf(w.a.id, a)).toHaveLength(1);
    const [after] = await sql('SELECT next_run_at FROM automations WHERE id = $1', [a]);
    expect(new Date(after.next_run_at).getTime()).toBeGreaterThan(Date.now());
  }, 40_000);

  it('refuses a run past the partner\'s hourly limit with a clear 429, and starts none', async () => {
    const a = await create(w.a.admin, { name: 'Limited', trigger: { kind: 'manual', inputs: [] }, steps: [commentStep('x')] });
    const used = Number((await sql(`SELECT count(*)::int AS n FROM automation_runs WHERE partner_id = $1 AND created_at > now() - interval '1 hour'`, [w.a.id]))[0].n);
    await sql(
      `INSERT INTO automation_runs (partner_id, automation_id, automation_version, trigger_kind, trigger_data, status, finished_at)
       SELECT $1, $2, 1, 'manual', '{}', 'succeeded', now() FROM generate_series(1, $3)`,
      [w.a.id, a, automationLimits.runsPerHour - used],
    );
    const res = await w.call(w.a.admin, 'mutation', 'runNow', { id: a, input: {} });
    expect(res.status).toBe(429);
    expect(res.error?.message).toMatch(/500 automation runs in the last hour/);
    expect(Number((await sql(`SELECT count(*)::int AS n FROM automation_runs WHERE partner_id = $1 AND status = 'queued'`, [w.a.id]))[0].n)).toBe(0);
    await sql(`DELETE FROM automation_runs WHERE partner_id = $1 AND automation_id = $2`, [w.a.id, a]);
  });

  it('counts the hourly limit under a lock for health transitions too: two at once, one slot left, one run', async () => {
    // The only automation of A's a health transition starts: one run per transition.
    await sql(`UPDATE automations SET enabled = false WHERE partner_id = $1 AND trigger->>'kind' = 'health'`, [w.a.id]);
    const a = await create(w.a.admin, { name: 'Any health', trigger: { kind: 'health', integrationKey: null, on: ['error'] }, steps: [commentStep('x')] });
    const used = Number((await sql(`SELECT count(*)::int AS n FROM automation_runs WHERE partner_id = $1 AND created_at > now() - interval '1 hour'`, [w.a.id]))[0].n);
    await sql(
      `INSERT INTO automation_runs (partner_id, automation_id, automation_version, trigger_kind, trigger_data, status, finished_at)
       SELECT $1, $2, 1, 'manual', '{}', 'succeeded', now() FROM generate_series(1, $3)`,
      [w.a.id, a, automationLimits.runsPerHour - used - 1],
    );
    // Two instances record transitions of two integrations at the same moment, each in its own
    // transaction that stays open a while (as recordHealthResult's does): without the lock both
    // would count one slot free and both queue a run.
    const transition = (integrationKey: string) =>
      withPartner(w.server.deps.db, w.a.id, async (tx) => {
        const queued = await queueHealthRuns(tx, w.a.id, { integrationKey, before: 'ok', after: 'error', status: 'Error', message: 'down', at: new Date() });
        await new Promise((r) => setTimeout(r, 300));
        return queued;
      });
    const queued = await Promise.all([transition('testvendor'), transition('ticketdesk')]);
    expect(queued.sort()).toEqual([0, 1]);
    expect(Number((await sql(`SELECT count(*)::int AS n FROM automation_runs WHERE partner_id = $1 AND automation_id = $2 AND trigger_kind = 'health'`, [w.a.id, a]))[0].n)).toBe(1);
    await sql(`DELETE FROM automation_runs WHERE partner_id = $1 AND automation_id = $2`, [w.a.id, a]);
  });
});
