import { withSystem } from '../server/db/pool.js';
import { ensurePartner } from '../server/db/partners.js';
import { insertUser } from '../server/db/users.js';
import type { Benchmark } from './lib/types.js';
import { measureHttp } from './lib/latency.js';
import { startBenchServer } from './lib/server.js';

/**
 * The framework's cost: an authenticated tRPC call (JWT verify + user lookup + tRPC) beside a
 * bare Fastify handler in the same process, both at concurrency 16.
 */
export const httpOverhead: Benchmark = {
  name: 'http-overhead',
  async run() {
    const server = await startBenchServer({ extend: (app) => app.get('/bench/bare', async () => ({ ok: true })) });
    try {
      const { deps } = server.runtime;
      const userId = await withSystem(deps.db, async (tx) => {
        const partner = await ensurePartner(tx, 'Bench Partner', false);
        return insertUser(tx, { partnerId: partner.id, email: 'bench@bench.test', displayName: 'Bench', passwordHash: 'x', role: 'partner_admin' });
      });
      const partnerId = (await deps.db.pool.query<{ partner_id: number }>('SELECT partner_id FROM users WHERE id = $1', [userId])).rows[0]?.partner_id as number;
      const { token } = await deps.tokens.sign({ userId, partnerId, role: 'partner_admin' });

      // Exact percentiles (every latency recorded) from a separate process, 1 s warm-up each.
      const bare = await measureHttp(`${server.url}/bench/bare`, {});
      const authed = await measureHttp(`${server.url}/trpc/auth.me`, { authorization: `Bearer ${token}` });
      if (authed.failures > 0 || bare.failures > 0) throw new Error(`calls failed: ${bare.failures} bare, ${authed.failures} authenticated`);
      return {
        rows: [
          { case: 'bare fastify handler', ...bare },
          { case: 'authed tRPC auth.me', ...authed },
        ],
        figures: {
          bare,
          authedTrpc: authed,
          throughputRatio: Number((bare.requestsPerSecond / Math.max(1, authed.requestsPerSecond)).toFixed(2)),
        },
      };
    } finally {
      await server.stop();
    }
  },
};
