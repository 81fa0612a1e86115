import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';
import { getHealthHistory } from './history.js';

// Uptime over a hand-made history (HEALTH_CHECK_INTERVAL 15 min: the backoff cap is an hour, so
// one point counts for at most two hours). Counting checks would give the numbers in comments.

const now = new Date('2026-11-22T12:00:00Z');
const minute = 60_000;

describe('health history uptime', () => {
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
    for (const [ago, health] of points) {
      await w.server.deps.db.pool.query(
        `INSERT INTO integration_health_history (partner_id, integration_key, checked_at, health, status) VALUES ($1, 'testvendor', $2, $3, $4)`,
        [w.a.id, new Date(now.getTime() - ago * minute), health, health === 'error' ? 'Error' : 'Active'],
      );
    }
  };
  const every = (fromAgo: number, toAgo: number, stepMinutes: number, health: 'ok' | 'degraded' | 'error') => {
    const points: [number, typeof health][] = [];
    for (let ago = fromAgo; ago >= toAgo; ago -= stepMinutes) points.push([ago, health]);
    return points;
  };
  const read = (sinceAgoMinutes?: number) =>
    getHealthHistory(
      w.server.deps,
      w.a.id,
      { key: 'testvendor', ...(sinceAgoMinutes === undefined ? {} : { since: new Date(now.getTime() - sinceAgoMinutes * minute).toISOString() }) },
      now,
    );

  it('weighs each check by the time until the next: 12 h down checked hourly, then 12 h up every 15 min is 50 %', async () => {
    // Down from 24 h ago (hourly: backed off), up from 12 h ago (every 15 min, the last 15 min ago).
    await history([...every(24 * 60, 13 * 60, 60, 'error'), ...every(12 * 60, 15, 15, 'ok')]);
    const h = await read();
    expect(h).toMatchObject({ checks: 60, okChecks: 48, errorChecks: 12, degradedChecks: 0 }); // by checks: 80 %
    expect(h.uptimePercent).toBe(50);
  });

  it('counts degraded as working, and the check before the window covers its start', async () => {
    // Window: the last 6 h. Failing since 9 h ago (hourly), degraded from 2 h 30 min ago, ok from 1 h ago.
    await history([...every(9 * 60, 3 * 60, 60, 'error'), [150, 'degraded'], [90, 'degraded'], [60, 'ok'], [30, 'ok']]);
    const h = await read(6 * 60);
    // In the window: errors at 6 h … 3 h ago (4 checks) and 4 working ones; the one at 6 h ago is
    // exactly at the start. Down 6 h → 2 h 30 min ago (3.5 h), up for the last 2.5 h: 2.5 / 6.
    expect(h).toMatchObject({ checks: 8, errorChecks: 4, degradedChecks: 2, okChecks: 2 }); // by checks: 50 %
    expect(h.uptimePercent).toBe(41.67);

    // From 6 h 30 min ago: the error at 7 h ago (before the window) stands for the first 30 min.
    const earlier = await read(6 * 60 + 30);
    expect(earlier.checks).toBe(8);
    expect(earlier.uptimePercent).toBe(Math.round((2.5 / 6.5) * 10_000) / 100);
  });

  it('does not stretch a state over a gap where nobody checked: a point counts for two hours at most', async () => {
    // Up for 12 h, then one failure 12 h ago, then nothing (every scheduler stopped).
    await history([...every(24 * 60, 12 * 60 + 15, 15, 'ok'), [12 * 60, 'error']]);
    const h = await read();
    // Known: 12 h up, 2 h down; the last 10 h are unknown, not down (nor up). By checks: 97.96 %.
    expect(h).toMatchObject({ checks: 49, errorChecks: 1 });
    expect(h.uptimePercent).toBe(Math.round((12 / 14) * 10_000) / 100);

    // The same holds in the middle of a history: a gap of 5 h after an ok check counts 2 h up.
    await w.server.deps.db.pool.query('DELETE FROM integration_health_history');
    await history([[8 * 60, 'ok'], [3 * 60, 'error'], [2 * 60, 'error'], [60, 'error']]);
    expect((await read()).uptimePercent).toBe(Math.round((2 / 5) * 10_000) / 100);
  });

  it('is null without any check, and a lone check made just now reads as its own health', async () => {
    expect(await read()).toMatchObject({ checks: 0, points: [], uptimePercent: null });
    await history([[0, 'error']]);
    expect(await read()).toMatchObject({ checks: 1, uptimePercent: 0 });
  });
});
