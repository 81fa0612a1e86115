import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHealthWorld, type HealthWorld } from '../../test/healthWorld.js';

// The scheduler against real PostgreSQL and the loopback fake Syncro; checks are counted where
// they land, at the fake vendor (its `GET /me` is the first call of every Syncro check).

const waitFor = async (what: string, condition: () => Promise<boolean>, timeoutMs = 20_000) => {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('health scheduler', () => {
  let w: HealthWorld;
  beforeEach(async () => {
    w = await createHealthWorld();
  });
  afterEach(() => w.close());

  const meCount = (subdomain: string) => w.fake.requestCount({ tenant: subdomain, path: '/me' });
  const state = async (partnerId: number) =>
    (await w.query<{ status: string; health: string; consecutive_failures: number; last_health_check: Date | null; error_message: string | null }>(
      'SELECT status, health, consecutive_failures, last_health_check, error_message FROM integration_configurations WHERE partner_id = $1',
      [partnerId],
    ))[0];
  const countRows = async (table: string, partnerId: number, where = 'true') =>
    Number((await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE partner_id = $1 AND ${where}`, [partnerId]))[0]?.n);
  const makeDue = () => w.query('UPDATE integration_health_schedule SET next_check_at = now()');

  it('writes exactly one audit row and one alert per transition, even with two instances racing, and one more on recovery', async () => {
    const [p] = await w.addPartners(1);
    if (!p) throw new Error('no partner');
    const a = w.instance();
    const b = w.instance();
    const sweepBoth = async () => {
      await makeDue();
      return Promise.all([a.sweep(), b.sweep()]);
    };

    await sweepBoth(); // Configured → Active
    expect(await state(p.id)).toMatchObject({ status: 'Active', health: 'ok' });
    await sweepBoth(); // still Active: no transition
    w.fake.setFaults({ badCredentials: true }, p.subdomain);
    await sweepBoth(); // Active → Error
    await sweepBoth(); // still Error: a second failure, no new alert
    expect(await state(p.id)).toMatchObject({ status: 'Error', consecutive_failures: 2, error_message: 'Syncro rejected the API token' });
    w.fake.resetFaults();
    await sweepBoth(); // Error → Active: recovery

    const audit = await w.query<{ details: { fromStatus: string; toStatus: string } }>(
      "SELECT details FROM integration_audit_logs WHERE partner_id = $1 AND action = 'health_changed' ORDER BY id",
      [p.id],
    );
    expect(audit.map((r) => `${r.details.fromStatus}→${r.details.toStatus}`)).toEqual(['Configured→Active', 'Active→Error', 'Error→Active']);
    const alerts = await w.query<{ kind: string; from_status: string; to_status: string; message: string | null }>(
      'SELECT kind, from_status, to_status, message FROM integration_alerts WHERE partner_id = $1 ORDER BY id',
      [p.id],
    );
    expect(alerts).toEqual([
      { kind: 'activated', from_status: 'Configured', to_status: 'Active', message: 'Connected to ' + p.subdomain + ': customers and tickets are readable' },
      { kind: 'failure', from_status: 'Active', to_status: 'Error', message: 'Syncro rejected the API token' },
      { kind: 'recovery', from_status: 'Error', to_status: 'Active', message: 'Connected to ' + p.subdomain + ': customers and tickets are readable' },
    ]);
    // Five sweeps of two instances each: five checks, each recorded once in the history.
    expect(meCount(p.subdomain)).toBe(5);
    expect(await countRows('integration_health_history', p.id)).toBe(5);
  });

  it('two instances over one database check each integration once per interval (counted at the fake vendor)', async () => {
    const made = await w.addPartners(24);
    w.fake.setFaults({ delayMs: 60 });
    await makeDue();
    const a = w.instance({ concurrency: 5 });
    const b = w.instance({ concurrency: 5 });
    a.start();
    b.start();
    await waitFor('every integration checked', async () => (await w.query('SELECT 1 FROM integration_configurations WHERE last_health_check IS NULL')).length === 0);
    // Keep both polling for a while: nothing is due again within the interval.
    await new Promise((r) => setTimeout(r, 400));
    const [ra, rb] = await Promise.all([a.stop(), b.stop()]);
    expect(ra.released + rb.released).toBe(0);
    for (const p of made) expect({ subdomain: p.subdomain, checks: meCount(p.subdomain) }).toEqual({ subdomain: p.subdomain, checks: 1 });
    expect(w.fake.requestCount({ path: '/me' })).toBe(24);
    // Each check recorded once, and a sweep by either instance now finds nothing due.
    const history = await w.query<{ n: number }>('SELECT count(*)::int AS n FROM integration_health_history');
    expect(history[0]?.n).toBe(24);
    const again = await Promise.all([w.instance().sweep(), w.instance().sweep()]);
    expect(again.map((s) => s.checked)).toEqual([0, 0]);
    expect(w.fake.requestCount({ path: '/me' })).toBe(24);
    // Next due times sit one interval (plus at most 5 % jitter) after each check.
    const gaps = await w.query<{ gap: number }>(
      `SELECT extract(epoch FROM s.next_check_at - c.last_health_check)::float AS gap
         FROM integration_health_schedule s JOIN integration_configurations c USING (partner_id, integration_key)`,
    );
    for (const { gap } of gaps) {
      expect(gap).toBeGreaterThanOrEqual(15 * 60);
      expect(gap).toBeLessThanOrEqual(15 * 60 * 1.05 + 1);
    }
  });

  it('a hanging vendor does not stall the sweep: it becomes an Error when its time is up, the rest go on', async () => {
    const made = await w.addPartners(8);
    const hanging = made[0];
    if (!hanging) throw new Error('no partner');
    w.fake.setFaults({ hang: true }, hanging.subdomain);
    const summary = await w.instance({ concurrency: 2, pluginTimeoutMs: 1_500 }).sweep();
    expect(summary).toMatchObject({ checked: 8, ok: 7, error: 1, transitions: 8 });
    const hung = await state(hanging.id);
    expect(hung).toMatchObject({ status: 'Error', error_message: 'No answer within 1.5 s' });
    // Every other integration was checked while the hanging one held its slot.
    for (const p of made.slice(1)) {
      const other = await state(p.id);
      expect(other?.status).toBe('Active');
      expect((other?.last_health_check as Date).getTime()).toBeLessThan((hung?.last_health_check as Date).getTime());
    }
  });

  it('stopping mid-sweep loses no result: running checks finish and are recorded, the rest are handed back', async () => {
    const made = await w.addPartners(12);
    w.fake.setFaults({ delayMs: 300 });
    await makeDue();
    const a = w.instance({ concurrency: 4 });
    a.start();
    await waitFor('checks in flight', async () => w.fake.requestCount({ path: '/me' }) >= 4);
    const report = await a.stop({ graceMs: 10_000 });

    // Every check that reached the vendor before the stop was recorded; none is left leased.
    const reached = made.filter((p) => meCount(p.subdomain) > 0);
    expect(report.released).toBe(0);
    expect(report.finished).toBeGreaterThan(0);
    const recorded = await w.query<{ n: number }>('SELECT count(DISTINCT partner_id)::int AS n FROM integration_health_history');
    expect(recorded[0]?.n).toBe(reached.length);
    expect(await w.query('SELECT 1 FROM integration_health_schedule WHERE lease_id IS NOT NULL')).toEqual([]);

    // Another instance finishes the sweep: each integration checked exactly once overall.
    const summary = await w.instance({ concurrency: 4 }).sweep();
    expect(summary.checked).toBe(12 - reached.length);
    for (const p of made) expect(meCount(p.subdomain)).toBe(1);
    const perIntegration = await w.query<{ n: number }>('SELECT count(*)::int AS n FROM integration_health_history GROUP BY partner_id');
    expect(perIntegration.map((r) => r.n)).toEqual(Array(12).fill(1));
  });

  it('a stop without grace releases unanswered checks instead of recording them as failures', async () => {
    const [p] = await w.addPartners(1);
    if (!p) throw new Error('no partner');
    w.fake.setFaults({ hang: true });
    await makeDue();
    const a = w.instance();
    a.start();
    await waitFor('the check in flight', async () => meCount(p.subdomain) === 1);
    expect(await a.stop({ graceMs: 0 })).toEqual({ finished: 0, released: 1 });
    expect(await state(p.id)).toMatchObject({ status: 'Configured', last_health_check: null });
    const schedule = await w.query<{ due: boolean; lease_id: string | null }>('SELECT next_check_at <= now() AS due, lease_id FROM integration_health_schedule');
    expect(schedule).toEqual([{ due: true, lease_id: null }]);
    w.fake.resetFaults();
    expect(await w.instance().sweep()).toMatchObject({ checked: 1, ok: 1 });
  });

  it('drops the result of a check whose lease ran out and was taken over: only the owner records', async () => {
    const [p] = await w.addPartners(1);
    if (!p) throw new Error('no partner');
    w.fake.setFaults({ delayMs: 300 });
    await makeDue();
    const a = w.instance({ leaseMs: 100, concurrency: 1 }); // far shorter than the check: a misconfiguration on purpose
    const first = a.sweep();
    await waitFor('the first check in flight', async () => meCount(p.subdomain) === 1);
    await new Promise((r) => setTimeout(r, 150));
    const second = await w.instance().sweep();
    expect(await first).toMatchObject({ lost: 1, checked: 0 });
    expect(second).toMatchObject({ checked: 1, ok: 1 });
    expect(await countRows('integration_health_history', p.id)).toBe(1);
    expect(await countRows('integration_alerts', p.id)).toBe(1);
  });

  it('backs off failing integrations but keeps them visible as Error', async () => {
    const [p] = await w.addPartners(1);
    if (!p) throw new Error('no partner');
    w.fake.setFaults({ badCredentials: true });
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      await makeDue();
      await w.instance().sweep();
      const [row] = await w.query<{ gap: number }>(
        `SELECT extract(epoch FROM s.next_check_at - c.last_health_check)::float / 60 AS gap
           FROM integration_health_schedule s JOIN integration_configurations c USING (partner_id, integration_key)`,
      );
      gaps.push(Math.floor(row?.gap ?? 0));
    }
    // 15 min interval: 1×, 2×, then capped at an hour.
    expect(gaps.map((g) => (g >= 60 ? 60 : g >= 30 ? 30 : 15))).toEqual([15, 30, 60, 60]);
    expect(await state(p.id)).toMatchObject({ status: 'Error', consecutive_failures: 4 });
  });

  it('places new configurations across the interval, and a manual test postpones the next scheduled check', async () => {
    await w.addPartners(20);
    const placer = w.instance();
    placer.start();
    await waitFor('placement', async () => (await w.query('SELECT 1 FROM integration_health_schedule WHERE next_check_at IS NULL')).length === 0);
    await placer.stop();
    const offsets = await w.query<{ s: number }>('SELECT extract(epoch FROM next_check_at - now())::float AS s FROM integration_health_schedule');
    for (const { s } of offsets) {
      expect(s).toBeGreaterThan(-5);
      expect(s).toBeLessThanOrEqual(15 * 60);
    }
    // Spread, not bunched: the due times span most of the interval.
    const spread = Math.max(...offsets.map((o) => o.s)) - Math.min(...offsets.map((o) => o.s));
    expect(spread).toBeGreaterThan(5 * 60);

    const [p] = w.partners;
    if (!p) throw new Error('no partner');
    await w.query('UPDATE integration_health_schedule SET next_check_at = now() WHERE partner_id = $1', [p.id]);
    const { testIntegration } = await import('../integrations/testConnection.js');
    const { systemActor } = await import('../integrations/actor.js');
    await testIntegration(w.server.deps, p.id, systemActor, { key: 'syncro' });
    const [row] = await w.query<{ s: number }>('SELECT extract(epoch FROM next_check_at - now())::float AS s FROM integration_health_schedule WHERE partner_id = $1', [p.id]);
    expect(row?.s).toBeGreaterThan(14 * 60);
    expect(await countRows('integration_health_history', p.id, "source = 'tested'")).toBe(1);
  });

  it('prunes history past the retention period in small batches', async () => {
    const [p] = await w.addPartners(1);
    if (!p) throw new Error('no partner');
    await w.query(
      `INSERT INTO integration_health_history (partner_id, integration_key, checked_at, health, status)
       SELECT $1, 'syncro', now() - make_interval(days => d), 'ok', 'Active' FROM generate_series(1, 40) d`,
      [p.id],
    );
    // Webhook delivery attempts are kept as long (issue 22).
    await w.query(
      `INSERT INTO webhook_deliveries (partner_id, attempted_at, kind, event, delivered, duration_ms)
       SELECT $1, now() - make_interval(days => d), 'test', 'webhook.test', true, 5 FROM generate_series(1, 40) d`,
      [p.id],
    );
    const s = w.instance({ retentionMs: 30 * 24 * 60 * 60_000, pruneBatch: 3 });
    s.start();
    await waitFor('pruning', async () => (await countRows('integration_health_history', p.id)) === 29);
    await waitFor('pruning deliveries', async () => (await countRows('webhook_deliveries', p.id)) === 29);
    await s.stop();
    const [oldest] = await w.query<{ days: number }>('SELECT extract(day FROM now() - min(checked_at))::int AS days FROM integration_health_history');
    expect(oldest?.days).toBeLessThan(30);
  });
});
