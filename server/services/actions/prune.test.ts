import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActionWorld, type ActionWorld } from '../../test/actionWorld.js';
import { pruneActionRunsQueue, startActionRunPruning } from './prune.js';

let w: ActionWorld;
beforeAll(async () => {
  w = await createActionWorld();
  await w.configure(w.a.admin);
});
afterAll(() => w.close());

it('schedules the hourly prune once, and its job deletes expired results only', async () => {
  const q = (sql: string) => w.server.deps.db.pool.query(sql);
  for (const key of ['prune-old-0001', 'prune-new-0001']) {
    expect((await w.run(w.a.admin, 'ticketdesk.tickets.comment', { input: { ticketId: '101', body: key }, idempotencyKey: key })).statusCode).toBe(200);
  }
  await q(`UPDATE action_runs SET expires_at = now() - interval '1 minute' WHERE idempotency_key = 'prune-old-0001'`);
  await startActionRunPruning(w.server.deps);
  // Scheduling again (another instance starting) keeps one schedule.
  await w.server.deps.jobs.schedule(pruneActionRunsQueue, '23 * * * *', {});
  expect((await q(`SELECT cron FROM pgboss.schedule WHERE name = 'action-runs-prune'`)).rows).toEqual([{ cron: '23 * * * *' }]);
  // What the schedule sends, sent now: the worker prunes.
  await w.server.deps.jobs.send(pruneActionRunsQueue, {});
  const deadline = Date.now() + 15_000;
  let keys: string[] = [];
  while (Date.now() < deadline) {
    keys = (await q('SELECT idempotency_key FROM action_runs ORDER BY id')).rows.map((r) => r.idempotency_key as string);
    if (keys.length === 1) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(keys).toEqual(['prune-new-0001']);
});
