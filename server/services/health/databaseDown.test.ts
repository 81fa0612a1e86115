import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { captureLogs } from '../../test/logCapture.js';
import { createTestServer, type TestServer } from '../../test/harness.js';
import { createWebhookDeliverer } from '../alerts/deliverer.js';
import { createHealthScheduler } from './scheduler.js';

/**
 * Issue 20 §3: while PostgreSQL restarts, the background loops failed every round and logged each
 * failure at error level (dozens of lines a restart, each one an operator's page). An unreachable
 * database is an outage, logged as a warning, as requests do (server/http/app.ts).
 */
describe('the health monitor while the database cannot be reached', () => {
  let server: TestServer;
  const deadDb = createDb('postgres://nobody:nothing@127.0.0.1:1/none', { max: 2 });
  const logs = captureLogs();
  let deps: AppDeps;

  beforeAll(async () => {
    server = await createTestServer();
    deps = { ...server.deps, db: deadDb, log: logs.log };
  });
  afterAll(async () => {
    await deadDb.close();
    await server.close();
  });

  it('logs the scheduler and the deliverer failing their rounds as warnings (an outage, not a bug)', async () => {
    const scheduler = createHealthScheduler(deps, { pollMs: 20 });
    const deliverer = createWebhookDeliverer(deps, { pollMs: 20 });
    scheduler.start();
    deliverer.start();
    const lines = () => logs.lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    for (let i = 0; i < 100 && !(lines().some((l) => l.msg.startsWith('health scheduler round failed')) && lines().some((l) => l.msg.startsWith('webhook delivery round failed'))); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await scheduler.stop({ graceMs: 0 });
    await deliverer.stop();
    const failures = lines().filter((l) => l.msg.includes('round failed'));
    expect(failures.map((l) => l.msg)).toEqual(expect.arrayContaining(['health scheduler round failed; retrying', 'webhook delivery round failed; retrying']));
    expect(lines().filter((l) => l.level >= 50)).toEqual([]);
    expect(failures.every((l) => l.level === 40)).toBe(true);
  });
});
