import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HealthRange } from '../../../shared/integrations/health.js';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';
import { getHealthHistory } from './history.js';

// Uptime over a hand-made history (HEALTH_CHECK_INTERVAL 15 min: the backoff cap is an hour, so
// one point counts for at most two hours). Counting checks would give the numbers in comments.

const now = new Date('2026-11-22T12:00:00Z');
const minute = 60_000;
const ago = (minutes: number) => new Date(now.getTime() - minutes * minute).toISOString();

describe('health history uptime (one rule for the number, the bar and the fleet)', () => {
  let w: CatalogWorld;
  beforeAll(async () => {
    w = await createCatalogWorld();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.server.deps.db.pool.query('DELETE FROM integration_health_history');
  });

  /** Points as [minutes before `now`, health], any order. */
  const history = async (points: [number, 'ok' | 'degraded' | 'error'][]) => {
    for (const [before, health] of points) {
      await w.server.deps.db.pool.query(
        `INSERT INTO integration_health_history (partner_id, integration_key, checked_at, health, status) VALUES ($1, 'testvendor', $2, $3, $4)`,
        [w.a.id, new Date(now.getTime() - before * minute), health, health === 'error' ? 'Error' : 'Active'],
      );
    }
  };
  const every = (fromAgo: number, toAgo: number, stepMinutes: number, health: 'ok' | 'degraded' | 'error') => {
    const points: [number, typeof health][] = [];
    for (let at = fromAgo; at >= toAgo; at -= stepMinutes) points.push([at, health]);
    return points;
  };
  const read = (range?: HealthRange) => getHealthHistory(w.server.deps, w.a.id, { key: 'testvendor', ...(range ? { range } : {}) }, now);
  const shape = (segments: { from: string; to: string; health: string }[]) => segments.map((s) => [s.health, (now.getTime() - Date.parse(s.from)) / minute, (now.getTime() - Date.parse(s.to)) / minute]);

  it('weighs each check by the time until the next: 12 h down checked hourly, then 12 h up every 15 min is 50 %', async () => {
    // Down from 24 h ago (hourly: backed off), up from 12 h ago (every 15 min, the last 15 min ago).
    await history([...every(24 * 60, 13 * 60, 60, 'error'), ...every(12 * 60, 15, 15, 'ok')]);
    const h = await read();
    expect(h).toMatchObject({ checks: 60, okChecks: 48, errorChecks: 12, degradedChecks: 0 }); // by checks: 80 %
    expect(h.uptime).toMatchObject({ range: '24h', from: ago(24 * 60), until: now.toISOString(), coveredFrom: ago(24 * 60), full: true, percent: 50 });
    // The bar: one segment per state, in time, not one bar per check.
    expect(shape(h.uptime.segments)).toEqual([
      ['error', 24 * 60, 12 * 60],
      ['ok', 12 * 60, 0],
    ]);
  });

  it('counts degraded as working, and the check before the range covers its start', async () => {
    // Failing hourly from 30 h ago, degraded hourly from 18 h ago, ok for the last 30 min.
    await history([...every(30 * 60, 19 * 60, 60, 'error'), ...every(18 * 60, 60, 60, 'degraded'), [30, 'ok']]);
    const h = await read();
    expect(h.uptime).toMatchObject({ full: true, coveredFrom: ago(24 * 60), percent: 75 });
    expect(shape(h.uptime.segments)).toEqual([
      ['error', 24 * 60, 18 * 60],
      ['degraded', 18 * 60, 30],
      ['ok', 30, 0],
    ]);
  });

  it('counts from the first check when the range is not yet full ("since first check")', async () => {
    // A new integration: ok 3 h ago, failing 2 h ago, ok again 1 h ago. Not 3 h out of 24.
    await history([[180, 'ok'], [120, 'error'], [60, 'ok']]);
    const h = await read();
    expect(h.uptime).toMatchObject({ full: false, coveredFrom: ago(180), percent: 66.67 });
    expect(shape(h.uptime.segments)).toEqual([
      ['ok', 180, 120],
      ['error', 120, 60],
      ['ok', 60, 0],
    ]);
    // Minutes later the same rule gives a close number, not a jump: 2 h 10 min up of 3 h 10 min.
    const later = await getHealthHistory(w.server.deps, w.a.id, { key: 'testvendor' }, new Date(now.getTime() + 10 * minute));
    expect(later.uptime.percent).toBe(Math.round((130 / 190) * 10_000) / 100);
  });

  it('does not stretch a state over a gap where nobody checked: a point counts for two hours at most', async () => {
    // Up for 12 h, then one failure 12 h ago, then nothing (every scheduler stopped).
    await history([...every(24 * 60, 12 * 60 + 15, 15, 'ok'), [12 * 60, 'error']]);
    const h = await read();
    // Known: 12 h up, 2 h down; the last 10 h are unknown, not down (nor up). By checks: 97.96 %.
    expect(h).toMatchObject({ checks: 49, errorChecks: 1 });
    expect(h.uptime.percent).toBe(Math.round((12 / 14) * 10_000) / 100);
    expect(shape(h.uptime.segments)).toEqual([
      ['ok', 24 * 60, 12 * 60],
      ['error', 12 * 60, 10 * 60],
      ['unknown', 10 * 60, 0],
    ]);
  });

  it('offers 7 and 30 days: the same checks, a longer range', async () => {
    // Checked every 2 h for the last 3 days, failing for the most recent 12 h.
    await history([...every(72 * 60, 14 * 60, 120, 'ok'), ...every(12 * 60, 0, 120, 'error')]);
    const day = await read('24h');
    expect(day.uptime).toMatchObject({ full: true, percent: 50 });
    const week = await read('7d');
    expect(week.uptime).toMatchObject({ range: '7d', from: ago(7 * 24 * 60), full: false, coveredFrom: ago(72 * 60), percent: Math.round((60 / 72) * 10_000) / 100 });
    expect(week.checks).toBe(37);
    // A check 8 days ago: the week is then covered from its start, with the gap after it unknown.
    await history([[8 * 24 * 60, 'ok']]);
    const full = await read('30d');
    expect(full.uptime).toMatchObject({ full: false, coveredFrom: ago(8 * 24 * 60) });
    expect((await read('7d')).uptime).toMatchObject({ full: true, coveredFrom: ago(7 * 24 * 60), percent: Math.round((60 / 72) * 10_000) / 100 });
    expect(shape((await read('7d')).uptime.segments)[0]).toEqual(['unknown', 7 * 24 * 60, 72 * 60]);
  });

  it('is null without any check, and a lone check made just now reads as its own health', async () => {
    expect(await read()).toMatchObject({ checks: 0, points: [], uptime: { percent: null, coveredFrom: null, full: false, segments: [] } });
    await history([[0, 'error']]);
    expect((await read()).uptime).toMatchObject({ percent: 0, coveredFrom: now.toISOString() });
  });
});
