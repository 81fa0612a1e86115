import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import { incomingMessageToRequest } from '@trpc/server/adapters/node-http';
import { resolveResponse } from '@trpc/server/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { withSystem } from '../server/db/pool.js';
import { ensurePartner } from '../server/db/partners.js';
import { insertUser } from '../server/db/users.js';
import type { AppDeps } from '../server/deps.js';
import { trpcOptions } from '../server/http/app.js';
import type { Benchmark } from './lib/types.js';
import { measureHttp, type LatencyFigures } from './lib/latency.js';
import { measureInRounds, timesSlower } from './lib/rounds.js';
import { startBenchServer } from './lib/server.js';

/**
 * The framework's cost (issue 19 §2): an authenticated call of `auth.me` (JWT verify, the cached
 * user lookup, tRPC's middlewares and output validation) beside a bare Fastify handler in the same
 * process, at concurrency 16, every way the desktop could reach it:
 * - the shipped route (`server/http/trpcRoute.ts`): a single call answered directly, buffered;
 * - tRPC's own Fastify adapter, as it was before (a Fetch Request/Response per call, chunked);
 * - tRPC's fetch handler with the response buffered and sent with a content-length;
 * - the REST bridge (`createCaller` from a plain route);
 * - four calls batched in one request (what httpBatchLink would send), counted per call.
 * The cases run in interleaved rounds and each figure is the median round, so the machine's
 * drift hits them all alike; the ratios are to the bare handler of the same run.
 */
const rounds = 3;

function addVariants(deps: AppDeps) {
  return (app: FastifyInstance) => {
    app.get('/bench/bare', async () => ({ ok: true }));
    const options = trpcOptions(deps);
    void app.register(fastifyTRPCPlugin, { prefix: '/bench/trpc-adapter', trpcOptions: options });
    app.get('/bench/trpc-buffered/:path', async (req: FastifyRequest<{ Params: { path: string } }>, reply) => {
      const request = incomingMessageToRequest(req.raw, reply.raw, { maxBodySize: null });
      const response = await resolveResponse({ ...options, req: request, path: req.params.path, error: null, createContext: async () => options.createContext({ req }), onError: undefined });
      const body = await response.text();
      reply.code(response.status);
      response.headers.forEach((value, name) => void reply.header(name, value));
      return reply.send(body);
    });
  };
}

export const httpOverhead: Benchmark = {
  name: 'http-overhead',
  async run() {
    const server = await startBenchServer({ extend: (app, runtime) => addVariants(runtime.deps)(app) });
    try {
      const { deps } = server.runtime;
      const userId = await withSystem(deps.db, async (tx) => {
        const partner = await ensurePartner(tx, 'Bench Partner', false);
        return insertUser(tx, { partnerId: partner.id, email: 'bench@bench.test', displayName: 'Bench', passwordHash: 'x', role: 'partner_admin' });
      });
      const partnerId = (await deps.db.pool.query<{ partner_id: number }>('SELECT partner_id FROM users WHERE id = $1', [userId])).rows[0]?.partner_id as number;
      const { token } = await deps.tokens.sign({ userId, partnerId, role: 'partner_admin' });
      const auth = { authorization: `Bearer ${token}` };

      const cases = [
        { name: 'bare fastify handler', url: '/bench/bare', headers: {} },
        { name: 'tRPC auth.me, shipped route (direct, buffered)', url: '/trpc/auth.me', headers: auth },
        { name: "tRPC auth.me, tRPC's Fastify adapter (before)", url: '/bench/trpc-adapter/auth.me', headers: auth },
        { name: 'tRPC auth.me, fetch handler buffered + content-length', url: '/bench/trpc-buffered/auth.me', headers: auth },
        { name: 'REST /api/auth/me (createCaller)', url: '/api/auth/me', headers: auth },
        { name: 'tRPC 4 × auth.me batched in one request (per call)', url: `/trpc/auth.me,auth.me,auth.me,auth.me?batch=1&input=${encodeURIComponent('{}')}`, headers: auth, callsPerRequest: 4 },
      ];
      const medians = await measureInRounds(
        cases.map((c) => ({ ...c, measure: () => measureHttp(`${server.url}${c.url}`, c.headers, { durationMs: 3000, warmupMs: 500 }) })),
        { rounds, loadSeconds: 3.5 },
      );
      const bare = medians.get('bare fastify handler') as LatencyFigures;
      const rows = cases.map((c) => {
        const m = medians.get(c.name) as LatencyFigures;
        return { case: c.name, callsPerSecond: m.requestsPerSecond, p50Ms: m.p50Ms, p95Ms: m.p95Ms, p99Ms: m.p99Ms, bareOverThis: timesSlower(bare, m), serverCpuUs: m.serverCpuUsPerRequest, loadCpuUs: m.loadCpuUsPerRequest };
      });
      return {
        rows,
        figures: {
          rounds,
          cases: Object.fromEntries(rows.map((r) => [r.case, r])),
          throughputRatio: rows[1]?.bareOverThis,
          throughputRatioBefore: rows[2]?.bareOverThis,
        },
      };
    } finally {
      await server.stop();
    }
  },
};
