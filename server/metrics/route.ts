import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { withSystem } from '../db/pool.js';
import type { AppDeps } from '../deps.js';
import { appRouter } from '../routers/index.js';
import { dbPool, healthSweepLag, httpDuration, httpRequests, registry } from './metrics.js';

const procedures = new Set(Object.keys(appRouter._def.procedures));

/**
 * The route label of a request: Fastify's route pattern (`/api/integrations/:key`), never the
 * URL itself (ids and keys would make a series per value). tRPC answers every procedure under
 * one pattern, so its calls are told apart by procedure name, known names only.
 */
export function routeLabel(req: FastifyRequest): string {
  const pattern = req.routeOptions.url;
  if (pattern === undefined) return '(unmatched)';
  // The tRPC adapter's one route (`/trpc/:path`) serves every procedure.
  if (!pattern.startsWith('/trpc/')) return pattern;
  const name = (req.url.split('?')[0] ?? '').slice('/trpc/'.length);
  if (name.includes(',')) return '/trpc/(batch)';
  return procedures.has(name) ? `/trpc/${name}` : '/trpc/(unknown)';
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /metrics` behind the operator's METRICS_TOKEN (Bearer), and the request figures. Without
 * a token configured there is no route at all (404), so nothing about the server's traffic is
 * readable by default. The database gauges are read at scrape: the oldest due health check and
 * the pool's connections.
 */
export function registerMetrics(app: FastifyInstance, deps: AppDeps): void {
  const token = deps.config.metricsToken;
  if (!token) return;
  app.addHook('onResponse', async (req, reply) => {
    const route = routeLabel(req);
    if (route === '/metrics') return;
    httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (req, reply) => {
    if (!tokenMatches(req.headers.authorization, token)) {
      return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'Metrics need the operator token (METRICS_TOKEN) as a Bearer token' } });
    }
    const { pool } = deps.db;
    dbPool.set({ state: 'total' }, pool.totalCount);
    dbPool.set({ state: 'idle' }, pool.idleCount);
    dbPool.set({ state: 'waiting' }, pool.waitingCount);
    try {
      // Across partners, as the scheduler reads it (withSystem); claimed checks carry their
      // lease's end as next_check_at, so only checks nobody is running count.
      const { rows } = await withSystem(deps.db, (tx) =>
        tx.query<{ lag: number | null }>(`SELECT extract(epoch FROM now() - min(next_check_at))::float8 AS lag FROM integration_health_schedule WHERE next_check_at <= now()`),
      );
      healthSweepLag.set(Math.max(0, rows[0]?.lag ?? 0));
    } catch {
      // The database is down: the lag is unknown, not zero. The scrape still answers.
      healthSweepLag.set(Number.NaN);
    }
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(await registry.metrics());
  });
}
