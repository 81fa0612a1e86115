import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAuditLogs } from '../../db/auditLogs.js';
import { withPartner } from '../../db/pool.js';
import { Health } from '../../integrations/types.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../../test/catalogWorld.js';
import { systemActor } from './actor.js';
import { recordHealthResult, runHealthCheck } from './health.js';

describe('recordHealthResult (shared with the scheduled health checks)', () => {
  let w: CatalogWorld;
  beforeAll(async () => {
    w = await createCatalogWorld();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.server.deps.db.pool.query('DELETE FROM integration_configurations; DELETE FROM integration_audit_logs');
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
  });

  const record = (result: Parameters<typeof recordHealthResult>[3], options?: Parameters<typeof recordHealthResult>[5]) =>
    withPartner(w.server.deps.db, w.a.id, (tx) => recordHealthResult(tx, w.a.id, 'testvendor', result, systemActor, options));
  const audit = () => withPartner(w.server.deps.db, w.a.id, (tx) => listAuditLogs(tx, w.a.id, 'testvendor', { limit: 50, action: 'health_changed' }));

  it('moves status with health and audits only transitions when not asked to', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const t1 = new Date('2026-01-01T00:15:00Z');
    const t2 = new Date('2026-01-01T00:30:00Z');
    const ok = await record(Health.ok(), { checkedAt: t0 });
    expect(ok).toMatchObject({ status: 'Active', health: 'ok', lastOkAt: t0, consecutiveFailures: 0, errorMessage: null });
    await record(Health.ok(), { checkedAt: t0 }); // no change: no audit row
    const e1 = await record(Health.error('Token revoked'), { checkedAt: t1 });
    const e2 = await record(Health.error('Token revoked'), { checkedAt: t2 });
    expect(e1).toMatchObject({ status: 'Error', consecutiveFailures: 1, lastOkAt: t0, lastHealthCheck: t1 });
    expect(e2).toMatchObject({ status: 'Error', consecutiveFailures: 2, lastOkAt: t0, errorMessage: 'Token revoked' });
    const degraded = await record(Health.degraded('Cannot read alerts'));
    expect(degraded).toMatchObject({ status: 'Active', health: 'degraded', consecutiveFailures: 0, errorMessage: 'Cannot read alerts' });
    expect(degraded?.version).toBe(1);
    const rows = await audit();
    expect(rows.map((r) => [r.actor, r.details.fromStatus, r.details.toStatus, r.details.health])).toEqual([
      ['system', 'Error', 'Active', 'degraded'],
      ['system', 'Active', 'Error', 'error'],
      ['system', 'Configured', 'Active', 'ok'],
    ]);
  });

  it('a manual test writes its `tested` row every time, and on a transition also the one `health_changed` row every transition gets', async () => {
    const tester = { userId: w.a.admin.id, actor: 'admin@a.example' };
    await w.server.deps.db.pool.query('DELETE FROM integration_alerts');
    const test = (result: Parameters<typeof recordHealthResult>[3]) =>
      withPartner(w.server.deps.db, w.a.id, (tx) => recordHealthResult(tx, w.a.id, 'testvendor', result, tester, { action: 'tested' }));
    await test(Health.ok()); // Configured → Active
    await test(Health.ok()); // no transition
    await test(Health.error('Token revoked')); // Active → Error
    await record(Health.error('Token revoked')); // scheduled, no transition
    await record(Health.ok()); // scheduled: Error → Active
    const all = await withPartner(w.server.deps.db, w.a.id, (tx) => listAuditLogs(tx, w.a.id, 'testvendor', { limit: 50 }));
    // A `tested` row carries its outcome only; the transition is the health_changed row's, so
    // no row ever reads "Active → Active".
    expect(all.filter((r) => r.action !== 'configured').map((r) => [r.action, r.actor, r.details.fromStatus ? `${r.details.fromStatus}→${r.details.toStatus}` : r.details.health])).toEqual([
      ['health_changed', 'system', 'Error→Active'],
      ['tested', tester.actor, 'error'],
      ['health_changed', tester.actor, 'Active→Error'],
      ['tested', tester.actor, 'ok'],
      ['tested', tester.actor, 'ok'],
      ['health_changed', tester.actor, 'Configured→Active'],
    ]);
    // Filtered on health_changed, the audit is the whole status history, as the alerts are.
    expect((await audit()).map((r) => `${r.details.fromStatus}→${r.details.toStatus}`)).toEqual(['Error→Active', 'Active→Error', 'Configured→Active']);
    const alerts = await w.server.deps.db.pool.query<{ kind: string }>("SELECT kind FROM integration_alerts WHERE partner_id = $1 AND integration_key = 'testvendor' ORDER BY id DESC", [w.a.id]);
    expect(alerts.rows.map((r) => r.kind)).toEqual(['recovery', 'failure', 'activated']);
  });

  it('after a settings edit the transition starts where the integration really was, not at the Configured bookkeeping state', async () => {
    await w.server.deps.db.pool.query('DELETE FROM integration_alerts');
    await record(Health.error('Token revoked')); // Configured (never checked) → Error
    const edit = (token: string) => w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: validSettings({ api_token: token }) });
    expect((await edit('tok_still_wrong_1234')).statusCode).toBe(200);
    const again = await record(Health.error('Token revoked')); // was Error, is Error: nothing happened
    expect(again).toMatchObject({ status: 'Error' });
    expect((await edit('tok_right_one_5678')).statusCode).toBe(200);
    await record(Health.ok()); // the fix
    expect((await audit()).map((r) => `${r.details.fromStatus}→${r.details.toStatus}`)).toEqual(['Error→Active', 'Configured→Error']);
    const alerts = await w.server.deps.db.pool.query<{ kind: string; from_status: string }>(
      "SELECT kind, from_status FROM integration_alerts WHERE partner_id = $1 AND integration_key = 'testvendor' ORDER BY id DESC",
      [w.a.id],
    );
    expect(alerts.rows).toEqual([{ kind: 'recovery', from_status: 'Error' }, { kind: 'failure', from_status: 'Configured' }]);
  });

  it('skips a result for settings that changed (or a configuration that is gone) meanwhile', async () => {
    expect(await record(Health.ok(), { expectedVersion: 2 })).toBeUndefined();
    await w.request('DELETE', '/api/integrations/testvendor', w.a.admin);
    expect(await record(Health.ok())).toBeUndefined();
  });

  it('bounds and cleans what a plugin answers', async () => {
    const integration = w.server.deps.registry.get('testvendor');
    if (!integration) throw new Error('test plugin missing');
    const ctx = { partnerId: w.a.id, settings: { api_token: 'tok_secret_in_message' }, config: w.server.deps.config, log: w.server.deps.log };
    const withPlugin = (healthCheck: () => Promise<unknown>) => ({ ...integration, plugin: { ...integration.plugin, healthCheck } }) as typeof integration;
    expect(await runHealthCheck(withPlugin(async () => Health.error(`bad tok_secret_in_message ${'x'.repeat(900)}`)), ctx)).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^bad \[redacted\] x+…$/),
    });
    expect((await runHealthCheck(withPlugin(async () => Health.error('x'.repeat(900))), ctx)).message).toHaveLength(500);
    expect(await runHealthCheck(withPlugin(async () => ({ status: 'great' })), ctx)).toEqual({ status: 'error', message: 'The health check gave no usable answer' });
    expect(await runHealthCheck(withPlugin(() => new Promise(() => undefined)), ctx, 50)).toEqual({ status: 'error', message: 'No answer within 0.1 s' });
  });
});
