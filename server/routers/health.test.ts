import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePartner, makeUser } from '../test/factories.js';
import { createHealthWorld, type HealthWorld } from '../test/healthWorld.js';

// The monitoring API over REST (the same procedures as tRPC): history with uptime, alerts with
// keyset pages, the dev partner's fleet matrix; partner scope from the token only.

describe('health monitoring API', () => {
  let w: HealthWorld;
  const auth: Record<string, string> = {};
  let a: number;
  let b: number;

  beforeAll(async () => {
    w = await createHealthWorld({ partners: 2 });
    [a, b] = w.partners.map((p) => p.id) as [number, number];
    const dev = await makePartner(w.server.deps.db, { isDev: true, name: 'ACG' });
    const token = async (partnerId: number, role: 'partner_admin' | 'partner_user') => `Bearer ${await w.server.tokenFor(await makeUser(w.server.deps.db, partnerId, role))}`;
    auth.aTech = await token(a, 'partner_user');
    auth.aAdmin = await token(a, 'partner_admin');
    auth.bAdmin = await token(b, 'partner_admin');
    auth.dev = await token(dev.id, 'partner_user');

    // A's Syncro: ok, ok, error, ok (three transitions); B's: ok once.
    await w.query("UPDATE integration_health_schedule SET next_check_at = now() + interval '1 hour'");
    const subdomainA = w.partners[0]?.subdomain as string;
    for (const bad of [false, false, true, false]) {
      w.fake.setFaults({ badCredentials: bad }, subdomainA);
      await w.query('UPDATE integration_health_schedule SET next_check_at = now() WHERE partner_id = $1', [a]);
      await w.instance().sweep();
    }
    await w.query('UPDATE integration_health_schedule SET next_check_at = now() WHERE partner_id = $1', [b]);
    await w.instance().sweep();
  });
  afterAll(() => w.close());

  const get = (url: string, who: string) => w.server.app.inject({ method: 'GET', url, headers: { authorization: who } });

  it('returns the history of one integration with its uptime', async () => {
    // The four checks came milliseconds apart; spread them an hour apart (4 h … 1 h ago), so each
    // stands for an hour of the time-weighted uptime: three up, one down.
    await w.query(
      `UPDATE integration_health_history h SET checked_at = now() - make_interval(hours => 5 - n.rank)
         FROM (SELECT id, row_number() OVER (ORDER BY checked_at, id)::int AS rank FROM integration_health_history WHERE partner_id = $1) n
        WHERE h.partner_id = $1 AND h.id = n.id`,
      [a],
    );
    const res = await get('/api/integrations/syncro/health-history', auth.aTech as string);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.points.map((p: { health: string }) => p.health)).toEqual(['ok', 'ok', 'error', 'ok']);
    // The first check was 4 h ago: the day is not yet full, so the uptime counts since then.
    expect(body).toMatchObject({ key: 'syncro', checks: 4, okChecks: 3, errorChecks: 1, degradedChecks: 0, uptime: { range: '24h', full: false, percent: 75 } });
    expect(body.points[2]).toMatchObject({ status: 'Error', message: 'Syncro rejected the API token', source: 'scheduled' });
    expect(body.uptime.segments.map((s: { health: string }) => s.health)).toEqual(['ok', 'error', 'ok']);

    const week = await get('/api/integrations/syncro/health-history?range=7d', auth.aTech as string);
    expect(week.json()).toMatchObject({ checks: 4, uptime: { range: '7d', percent: 75 } });
    // The fleet shows the same number for the same integration.
    const fleet = await get('/api/dev/fleet', auth.dev as string);
    expect(fleet.json().rows.find((r: { partnerId: number }) => r.partnerId === a).cells.syncro.uptimePercent).toBe(75);
  });

  it('answers bad input with field messages and unknown keys with 404', async () => {
    const bad = await get('/api/integrations/syncro/health-history?range=yesterday', auth.aTech as string);
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['range']);
    const unknown = await get('/api/integrations/syncro/health-history?since=2000-01-01T00:00:00Z', auth.aTech as string);
    expect(unknown.statusCode).toBe(400);
    expect((await get('/api/integrations/nope/health-history', auth.aTech as string)).statusCode).toBe(404);
    expect((await get('/api/alerts?cursor=abc', auth.aTech as string)).statusCode).toBe(400);
    expect((await get('/api/alerts?limit=1000', auth.aTech as string)).statusCode).toBe(400);
    expect((await get('/api/alerts?partnerId=1', auth.aTech as string)).statusCode).toBe(400);
    expect((await get('/api/alerts', '')).statusCode).toBe(401);
  });

  it("pages the partner's alerts newest first", async () => {
    const first = await get('/api/alerts?limit=2', auth.aTech as string);
    expect(first.json().items.map((i: { kind: string }) => i.kind)).toEqual(['recovery', 'failure']);
    const cursor = first.json().nextCursor as string;
    const second = await get(`/api/alerts?limit=2&cursor=${cursor}`, auth.aTech as string);
    expect(second.json()).toMatchObject({ items: [{ kind: 'activated', fromStatus: 'Configured', toStatus: 'Active' }], nextCursor: null });
    const byKey = await get('/api/alerts?key=syncro', auth.aTech as string);
    expect(byKey.json().items).toHaveLength(3);
  });

  it('never shows one partner the history or alerts of another', async () => {
    const alerts = (await get('/api/alerts', auth.bAdmin as string)).json().items;
    expect(alerts).toHaveLength(1);
    expect((await get('/api/integrations/syncro/health-history', auth.bAdmin as string)).json()).toMatchObject({ checks: 1, uptime: { percent: 100 } });
    // Row-level security is the backstop: as B, even a query without a partner filter sees only B.
    const { withPartner } = await import('../db/pool.js');
    const seen = await withPartner(w.server.deps.db, b, async (tx) => ({
      history: (await tx.query('SELECT DISTINCT partner_id FROM integration_health_history')).rows,
      alerts: (await tx.query('SELECT DISTINCT partner_id FROM integration_alerts')).rows,
      schedule: (await tx.query('SELECT DISTINCT partner_id FROM integration_health_schedule')).rows,
    }));
    expect(seen).toEqual({ history: [{ partner_id: b }], alerts: [{ partner_id: b }], schedule: [{ partner_id: b }] });
  });

  it('shows the fleet matrix to the dev partner only', async () => {
    expect((await get('/api/dev/fleet', auth.aAdmin as string)).statusCode).toBe(403);
    const res = await get('/api/dev/fleet', auth.dev as string);
    expect(res.statusCode).toBe(200);
    const fleet = res.json();
    expect(fleet.keys).toEqual(['syncro']);
    const rowA = fleet.rows.find((r: { partnerId: number }) => r.partnerId === a);
    expect(rowA.cells.syncro).toMatchObject({ status: 'Active', health: 'ok', consecutiveFailures: 0, message: null });
    expect(fleet.rows.find((r: { partnerName: string }) => r.partnerName === 'ACG').cells).toEqual({});
    const page = await get('/api/dev/fleet?limit=1', auth.dev as string);
    expect(page.json().rows).toHaveLength(1);
    const next = await get(`/api/dev/fleet?limit=1&cursor=${page.json().nextCursor}`, auth.dev as string);
    expect(next.json().rows[0].partnerId).toBeGreaterThan(page.json().rows[0].partnerId);
    const failing = await get('/api/dev/fleet?status=Error', auth.dev as string);
    expect(failing.json().rows).toEqual([]);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await w.server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/integrations/{key}/health-history', '/api/alerts', '/api/alerts/webhook', '/api/alerts/webhook/test', '/api/dev/fleet', '/api/integrations/{key}/checks', '/api/alerts/webhook/rotate-secret', '/api/alerts/webhook/deliveries']) {
      expect(doc.paths[path]).toBeDefined();
    }
  });
});
