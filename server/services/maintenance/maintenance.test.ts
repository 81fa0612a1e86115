import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { makeUser } from '../../test/factories.js';
import { createHealthWorld, type HealthWorld } from '../../test/healthWorld.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhookReceiver.js';
import { createWebhookDeliverer } from '../alerts/deliverer.js';
import { releaseEndedWindows, releaseWindow } from './release.js';

/**
 * Issue 18 §4 against the real PostgreSQL and the real Syncro plugin over its fake: a failure in
 * a window is recorded but not sent, the window's end sends the state once if it changed, and
 * bad windows change nothing.
 */
describe('maintenance windows', () => {
  let w: HealthWorld;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    w = await createHealthWorld({ env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' } });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await w?.close();
  });
  afterEach(() => {
    receiver.received.length = 0;
    w.fake.resetFaults();
  });

  const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

  /** A partner with Syncro Active, its admin and technician, and its webhook pointing at the receiver. */
  async function partner() {
    const [p] = await w.addPartners(1);
    if (!p) throw new Error('no partner');
    const admin = `Bearer ${await w.server.tokenFor(await makeUser(w.server.deps.db, p.id, 'partner_admin'))}`;
    const tech = `Bearer ${await w.server.tokenFor(await makeUser(w.server.deps.db, p.id, 'partner_user'))}`;
    const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, auth = admin, payload?: object) =>
      w.server.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
    await check(p.id); // Configured → Active, before the webhook exists: not sent anywhere
    expect((await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url, secret: 'whsec_0123456789abcdefXYZ' })).statusCode).toBe(200);
    return { ...p, admin, tech, api };
  }
  const check = async (partnerId: number) => {
    await w.query('UPDATE integration_health_schedule SET next_check_at = now() WHERE partner_id = $1', [partnerId]);
    return w.instance().sweep();
  };
  const deliver = async () => {
    const deliverer = createWebhookDeliverer(w.server.deps, { backoffMs: 20 });
    await deliverer.drain();
    await deliverer.stop();
  };
  const alertsOf = (partnerId: number) =>
    w.query<{ kind: string; delivery_state: string; held_by: number | null; released_by: number | null; to_status: string }>(
      'SELECT kind, delivery_state, held_by, released_by, to_status FROM integration_alerts WHERE partner_id = $1 ORDER BY id',
      [partnerId],
    );
  const eventsFor = (partnerId: number) => receiver.received.map((r) => JSON.parse(r.body) as { partnerId: number; event: string; toStatus: string }).filter((e) => e.partnerId === partnerId);

  it('holds a real failure’s alert during the window and releases it once when the window ends', async () => {
    const p = await partner();
    const created = await p.api('POST', '/api/maintenance-windows', p.admin, { integrationKey: 'syncro', endsAt: minutes(60), reason: 'Syncro upgrade' });
    expect(created.statusCode, created.body).toBe(201);
    const win = created.json() as { id: number; state: string };
    expect(win.state).toBe('active');

    w.fake.setFaults({ badCredentials: true }, p.subdomain);
    const sweep = await check(p.id);
    expect(sweep.transitions).toBe(1);
    // The check and its history went on; the alert is recorded, held, and nothing is sent.
    const history = await w.query<{ health: string }>('SELECT health FROM integration_health_history WHERE partner_id = $1 ORDER BY id DESC LIMIT 1', [p.id]);
    expect(history[0]?.health).toBe('error');
    expect((await alertsOf(p.id)).at(-1)).toMatchObject({ kind: 'failure', delivery_state: 'none', held_by: win.id });
    await deliver();
    expect(eventsFor(p.id)).toEqual([]);
    const listed = (await p.api('GET', '/api/alerts?limit=1', p.tech)).json();
    expect(listed.items[0]).toMatchObject({ kind: 'failure', heldBy: win.id, delivery: { state: 'none' } });

    // A technician may read the window (the banner) but not end it.
    expect((await p.api('GET', '/api/maintenance-windows?key=syncro', p.tech)).json().items).toMatchObject([{ id: win.id, reason: 'Syncro upgrade', state: 'active' }]);
    expect((await p.api('POST', `/api/maintenance-windows/${win.id}/end`, p.tech)).statusCode).toBe(403);

    const ended = await p.api('POST', `/api/maintenance-windows/${win.id}/end`, p.admin);
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ outcome: 'ended', window: { state: 'ended', releasedAt: expect.any(String) } });
    const released = (await alertsOf(p.id)).filter((a) => a.released_by === win.id);
    expect(released).toEqual([expect.objectContaining({ kind: 'failure', to_status: 'Error', delivery_state: 'pending' })]);
    await deliver();
    await releaseEndedWindows(w.server.deps);
    await deliver();
    expect(eventsFor(p.id).map((e) => e.event)).toEqual(['alert.failure']);
    // Ended again: over already.
    expect((await p.api('POST', `/api/maintenance-windows/${win.id}/end`, p.admin)).statusCode).toBe(409);
    // Audited on the integration, scheduled then ended.
    const audit = (await p.api('GET', '/api/integrations/syncro/audit', p.admin)).json() as { items: { action: string; details: { maintenance?: { outcome: string } } }[] };
    expect(audit.items.filter((i) => i.action.startsWith('maintenance_')).map((i) => i.details.maintenance?.outcome)).toEqual(['ended', 'scheduled']);
  });

  it('releases exactly once when two instances release the same ended window at the same moment', async () => {
    const p = await partner();
    const win = (await p.api('POST', '/api/maintenance-windows', p.admin, { endsAt: minutes(30), reason: 'Partner-wide network work' })).json() as { id: number };
    w.fake.setFaults({ badCredentials: true }, p.subdomain);
    await check(p.id);
    // The window's end passes (as it would by the clock) without anyone pressing "End now".
    await w.query("UPDATE maintenance_windows SET starts_at = now() - interval '2 minutes', ends_at = now() - interval '1 second' WHERE id = $1", [win.id]);
    const pools = [createDb(w.server.database.url, { max: 3 }), createDb(w.server.database.url, { max: 3 })];
    try {
      const instances: AppDeps[] = pools.map((db) => ({ ...w.server.deps, db }));
      const raised = await Promise.all([
        releaseWindow(instances[0] as AppDeps, p.id, win.id),
        releaseWindow(instances[1] as AppDeps, p.id, win.id),
        releaseEndedWindows(instances[0] as AppDeps),
        releaseEndedWindows(instances[1] as AppDeps),
      ]);
      expect(raised.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await Promise.all(pools.map((db) => db.close()));
    }
    expect((await alertsOf(p.id)).filter((a) => a.released_by === win.id)).toHaveLength(1);
    await deliver();
    expect(eventsFor(p.id).map((e) => e.event)).toEqual(['alert.failure']);
  });

  it('is released by the webhook deliverer once its end passes, with no one pressing End now', async () => {
    const p = await partner();
    const win = (await p.api('POST', '/api/maintenance-windows', p.admin, { integrationKey: 'syncro', endsAt: minutes(30), reason: 'Clock runs out' })).json() as { id: number };
    w.fake.setFaults({ badCredentials: true }, p.subdomain);
    await check(p.id);
    await deliver();
    expect(eventsFor(p.id)).toEqual([]);
    await w.query("UPDATE maintenance_windows SET starts_at = now() - interval '2 minutes', ends_at = now() - interval '1 second' WHERE id = $1", [win.id]);
    await deliver();
    expect(eventsFor(p.id).map((e) => [e.event, e.toStatus])).toEqual([['alert.failure', 'Error']]);
    expect((await p.api('GET', '/api/maintenance-windows', p.tech)).json().items).toEqual([]);
  });

  it('sends nothing when the state at the end is the state before the window', async () => {
    const p = await partner();
    const win = (await p.api('POST', '/api/maintenance-windows', p.admin, { integrationKey: 'syncro', endsAt: minutes(30), reason: 'Token rotation' })).json() as { id: number };
    w.fake.setFaults({ badCredentials: true }, p.subdomain);
    await check(p.id);
    w.fake.resetFaults();
    await check(p.id);
    // Both transitions recorded and held.
    expect((await alertsOf(p.id)).filter((a) => a.held_by === win.id).map((a) => a.kind)).toEqual(['failure', 'recovery']);
    expect((await p.api('POST', `/api/maintenance-windows/${win.id}/end`, p.admin)).json()).toMatchObject({ outcome: 'ended' });
    expect((await alertsOf(p.id)).filter((a) => a.released_by !== null)).toEqual([]);
    await deliver();
    expect(eventsFor(p.id)).toEqual([]);
    // After the window, alerts go out again as usual.
    w.fake.setFaults({ badCredentials: true }, p.subdomain);
    await check(p.id);
    await deliver();
    expect(eventsFor(p.id).map((e) => e.event)).toEqual(['alert.failure']);
  });

  it('refuses overlapping and malformed windows with field messages, writing nothing', async () => {
    const p = await partner();
    const first = (await p.api('POST', '/api/maintenance-windows', p.admin, { startsAt: minutes(60), endsAt: minutes(120), reason: 'Datacenter move' })).json() as { id: number };
    const count = async () => Number((await w.query<{ n: string }>('SELECT count(*) AS n FROM maintenance_windows WHERE partner_id = $1', [p.id]))[0]?.n);
    const auditRows = async () => Number((await w.query<{ n: string }>("SELECT count(*) AS n FROM integration_audit_logs WHERE partner_id = $1 AND action LIKE 'maintenance%'", [p.id]))[0]?.n);
    const before = { windows: await count(), audit: await auditRows() };
    expect(before).toEqual({ windows: 1, audit: 1 });

    const refused = async (body: object, field: string, pattern: RegExp) => {
      const res = await p.api('POST', '/api/maintenance-windows', p.admin, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields[field], res.body).toEqual([expect.stringMatching(pattern)]);
    };
    await refused({ integrationKey: 'syncro', startsAt: minutes(90), endsAt: minutes(150), reason: 'x' }, 'startsAt', new RegExp(`^Overlaps maintenance window ${first.id} for all integrations`));
    await refused({ startsAt: minutes(30), endsAt: minutes(61), reason: 'x' }, 'startsAt', /^Overlaps maintenance window/);
    await refused({ startsAt: minutes(30), endsAt: minutes(20), reason: 'x' }, 'endsAt', /after the start/);
    await refused({ startsAt: minutes(-60), endsAt: minutes(-30), reason: 'x' }, 'startsAt', /not be in the past/);
    await refused({ endsAt: minutes(-1), reason: 'x' }, 'endsAt', /after the start|not be in the past/);
    await refused({ endsAt: minutes(8 * 24 * 60), reason: 'x' }, 'endsAt', /at most 7 days/);
    await refused({ endsAt: minutes(10), reason: '   ' }, 'reason', /1 to 500/);
    await refused({ endsAt: minutes(10), reason: 'r'.repeat(501) }, 'reason', /At most 500/);
    await refused({ endsAt: 'tomorrow', reason: 'x' }, 'endsAt', /ISO 8601/);
    await refused({ startsAt: '+275760-09-13T00:00:00.000Z', endsAt: minutes(10), reason: 'x' }, 'startsAt', /ISO 8601|within the next 90 days/);
    expect((await p.api('POST', '/api/maintenance-windows', p.admin, { integrationKey: 'nope', endsAt: minutes(10), reason: 'x' })).statusCode).toBe(404);
    expect((await p.api('POST', '/api/maintenance-windows', p.tech, { endsAt: minutes(10), reason: 'x' })).statusCode).toBe(403);
    expect((await p.api('POST', '/api/maintenance-windows/99999999999999999999/end', p.admin)).statusCode).toBe(400);
    expect({ windows: await count(), audit: await auditRows() }).toEqual(before);

    // After the first one: fine. Cancelling an upcoming window removes it, audited.
    const later = await p.api('POST', '/api/maintenance-windows', p.admin, { integrationKey: 'syncro', startsAt: minutes(120), endsAt: minutes(180), reason: 'Follow-up' });
    expect(later.statusCode, later.body).toBe(201);
    const cancelled = await p.api('POST', `/api/maintenance-windows/${first.id}/end`, p.admin);
    expect(cancelled.json()).toMatchObject({ outcome: 'cancelled', window: { id: first.id, state: 'upcoming' } });
    expect((await p.api('GET', '/api/maintenance-windows', p.tech)).json().items.map((i: { reason: string }) => i.reason)).toEqual(['Follow-up']);
  });

  it('shows the dev fleet which integrations are in maintenance', async () => {
    const p = await partner();
    const ends = minutes(45);
    await p.api('POST', '/api/maintenance-windows', p.admin, { integrationKey: 'syncro', endsAt: ends, reason: 'Fleet check' });
    const { makePartner } = await import('../../test/factories.js');
    const dev = await makePartner(w.server.deps.db, { isDev: true, name: 'Operator' });
    const devAuth = `Bearer ${await w.server.tokenFor(await makeUser(w.server.deps.db, dev.id, 'partner_admin'))}`;
    const fleet = (await w.server.app.inject({ method: 'GET', url: '/api/dev/fleet?limit=500', headers: { authorization: devAuth } })).json() as {
      rows: { partnerId: number; cells: Record<string, { maintenanceUntil?: string | null }> }[];
    };
    const cells = Object.fromEntries(fleet.rows.map((r) => [r.partnerId, r.cells.syncro?.maintenanceUntil ?? null]));
    expect(cells[p.id]).toBe(new Date(ends).toISOString());
    expect(Object.values(cells).filter((v) => v !== null)).toHaveLength(1);
  });
});
