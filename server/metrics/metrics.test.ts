import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthWorld, type HealthWorld } from '../test/healthWorld.js';
import { createTestServer } from '../test/harness.js';

const token = 'metrics-operator-token-0123456789abcdef';

/** The value of one series in Prometheus's text format, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics (issue 20 §8)', () => {
  let w: HealthWorld;
  beforeAll(async () => {
    w = await createHealthWorld({ env: { METRICS_TOKEN: token }, partners: 2 });
  });
  afterAll(() => w.close());

  const scrape = async () => {
    const res = await w.server.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('answers only the operator token', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${token}x`, token]) {
      const res = await w.server.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.body).not.toContain('ic_http_requests_total');
    }
  });

  it('has no such route when no token is configured', async () => {
    const plain = await createTestServer();
    try {
      expect((await plain.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('counts requests by route pattern and tRPC procedure, never by URL', async () => {
    const before = await scrape();
    const count = (text: string, route: string, status: string) => sample(text, 'ic_http_requests_total', { route, status }) ?? 0;
    await w.server.app.inject({ url: '/healthz' });
    await w.server.app.inject({ url: '/api/integrations/syncro' });
    await w.server.app.inject({ url: '/trpc/auth.me' });
    await w.server.app.inject({ url: '/trpc/no.such.thing' });
    const after = await scrape();
    expect(count(after, '/healthz', '200') - count(before, '/healthz', '200')).toBe(1);
    expect(count(after, '/api/integrations/:key', '401') - count(before, '/api/integrations/:key', '401')).toBe(1);
    expect(count(after, '/trpc/auth.me', '401') - count(before, '/trpc/auth.me', '401')).toBe(1);
    expect(count(after, '/trpc/(unknown)', '404') - count(before, '/trpc/(unknown)', '404')).toBe(1);
    expect(after).not.toContain('route="/api/integrations/syncro"');
    expect(sample(after, 'ic_http_request_duration_seconds_count', { route: '/healthz' })).toBeGreaterThan(0);
  });

  it('reports the sweep lag, then the checks and vendor calls a sweep made, and the pool', async () => {
    await w.query(`UPDATE integration_health_schedule SET next_check_at = now() - interval '2 minutes'`);
    const due = await scrape();
    expect(sample(due, 'ic_health_sweep_lag_seconds')).toBeGreaterThanOrEqual(119);
    const checksBefore = sample(due, 'ic_health_checks_total', { outcome: 'ok' }) ?? 0;
    const callsBefore = sample(due, 'ic_vendor_calls_total', { provider: 'Syncro', outcome: 'ok' }) ?? 0;

    await w.instance().sweep();
    const swept = await scrape();
    expect(sample(swept, 'ic_health_sweep_lag_seconds')).toBe(0);
    expect((sample(swept, 'ic_health_checks_total', { outcome: 'ok' }) ?? 0) - checksBefore).toBe(2);
    // Each Syncro check reads three things (me, customers, tickets).
    expect((sample(swept, 'ic_vendor_calls_total', { provider: 'Syncro', outcome: 'ok' }) ?? 0) - callsBefore).toBe(6);
    expect(sample(swept, 'ic_vendor_call_duration_seconds_count', { provider: 'Syncro' })).toBeGreaterThanOrEqual(6);
    expect(sample(swept, 'ic_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(sample(swept, 'ic_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts a vendor 429 as the vendor refusing', async () => {
    const before = sample(await scrape(), 'ic_vendor_rate_limited_total', { provider: 'Syncro', source: 'vendor' }) ?? 0;
    w.fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 0 } });
    try {
      await w.query(`UPDATE integration_health_schedule SET next_check_at = now() - interval '1 second'`);
      await w.instance().sweep();
    } finally {
      w.fake.resetFaults();
    }
    expect((sample(await scrape(), 'ic_vendor_rate_limited_total', { provider: 'Syncro', source: 'vendor' }) ?? 0) - before).toBeGreaterThan(0);
  });
});
