import { createActionPlugin, startLoopbackVendor } from '../server/integrations/testing/actionPlugin.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import type { Benchmark } from './lib/types.js';
import { startBenchServer } from './lib/server.js';

/**
 * Issue 15's figures, through the real server over HTTP on loopback, against the loopback test
 * vendor (server/integrations/testing/actionPlugin.ts), which answers at once and counts calls:
 * - a read action's round trip beside a bare tRPC query on the same server (the difference is
 *   the action framework's server time: availability, input check, context, one vendor call);
 * - the vendor call alone (the loopback round trip the read action contains);
 * - a side-effectful run with its idempotency record (claim + result), and its replay;
 * - 1,000 concurrent runs of one side-effectful action with 100 distinct keys: exactly 100
 *   vendor calls, and every caller gets its key's result (callers told "in progress" ask again
 *   every 50 ms, as the desktop's outbox would).
 * Run it on a quiet machine: p95s on a shared 2-core box are mostly scheduling noise.
 */
const samples = 400;
const warmup = 50;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50Ms: Number(pct(sorted, 50).toFixed(3)), p95Ms: Number(pct(sorted, 95).toFixed(3)), p99Ms: Number(pct(sorted, 99).toFixed(3)) };
}

async function timed(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

export const actionsBench: Benchmark = {
  name: 'actions',
  async run() {
    const vendor = await startLoopbackVendor();
    const { plugin } = createActionPlugin(vendor);
    // Server-side time of each request (Fastify's elapsed time, request in to response out).
    const serverMs: number[] = [];
    const server = await startBenchServer({
      plugins: [plugin],
      env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true', HEALTH_SCHEDULER: 'false' },
      extend: (app) => app.addHook('onResponse', async (_req, reply) => void serverMs.push(reply.elapsedTime)),
    });
    /** Server time of the last `n` requests minus the vendor's share of each (its calls, in order). */
    const serverOnly = (n: number, vendorCalls: number[]) => serverMs.slice(-n).map((ms, i) => ms - (vendorCalls[i] ?? 0));
    try {
      const { db, tokens } = server.runtime.deps;
      const partner = await makePartner(db, { name: 'Bench Actions' });
      const admin = await makeUser(db, partner.id, 'partner_admin');
      const auth = `Bearer ${(await tokens.sign({ userId: admin.id, partnerId: partner.id, role: 'partner_admin' })).token}`;
      const post = (path: string, body: unknown) =>
        fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const ok = async (res: Promise<Response>) => {
        const r = await res;
        if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
        return r.json() as Promise<Record<string, unknown>>;
      };
      await ok(post('/api/integrations/ticketdesk/configure', { settings: { subdomain: 'bench', api_token: 'bench-actions-token-long', region: 'us', base_url: vendor.url } }));

      const bare = await timed(samples, async () => void (await ok(fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: auth } }))));
      const bareServer = serverOnly(samples, []);
      const vendorOnly = await timed(samples, async () => void (await (await fetch(`${vendor.url}/tickets/101`, { headers: { authorization: 'Bearer x' } })).json()));
      const read = await timed(samples, async () => void (await ok(post('/api/actions/ticketdesk.tickets.get/run', { input: { ticketId: '101' } }))));
      const readServer = serverOnly(samples, vendor.callMs.slice(-samples));
      const sideEffect = await timed(samples, async (i) => void (await ok(post('/api/actions/ticketdesk.tickets.comment/run', { input: { ticketId: '101', body: `c${i}` }, idempotencyKey: `bench-single-${i}-${Date.now()}` }))));
      const sideEffectServer = serverOnly(samples, vendor.callMs.slice(-samples));
      await ok(post('/api/actions/ticketdesk.tickets.comment/run', { input: { ticketId: '101', body: 'replayed' }, idempotencyKey: 'bench-replay-key' }));
      const replay = await timed(samples, async () => void (await ok(post('/api/actions/ticketdesk.tickets.comment/run', { input: { ticketId: '101', body: 'replayed' }, idempotencyKey: 'bench-replay-key' }))));

      // 1,000 concurrent callers, 100 keys: a key's 10 callers start side by side (so they collide
      // while its first call is in flight), the vendor taking 100 ms a call.
      vendor.calls.clear();
      vendor.delayMs = 100;
      const keys = Array.from({ length: 100 }, (_, k) => `bench-burst-${k}-${Date.now()}`);
      let inProgressAnswers = 0;
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 1_000 }, async (_, i) => {
          const k = Math.floor(i / 10);
          for (;;) {
            const res = await post('/api/actions/ticketdesk.tickets.comment/run', { input: { ticketId: '102', body: `burst ${k}` }, idempotencyKey: keys[k] });
            if (res.status === 409) {
              inProgressAnswers++;
              await res.text();
              await new Promise((r) => setTimeout(r, 50));
              continue;
            }
            if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
            const body = (await res.json()) as { output: { commentId: string }; replayed: boolean };
            return { k, commentId: body.output.commentId, replayed: body.replayed };
          }
        }),
      );
      const burstS = (performance.now() - started) / 1000;
      const vendorCalls = vendor.count('POST', '/tickets/102/comment');
      const perKey = new Map<number, Set<string>>();
      for (const a of answers) perKey.set(a.k, (perKey.get(a.k) ?? new Set()).add(a.commentId));
      const everyCallerGotItsKeysResult = answers.length === 1_000 && perKey.size === 100 && [...perKey.values()].every((s) => s.size === 1);
      const distinctComments = new Set(answers.map((a) => a.commentId)).size;
      if (vendorCalls !== 100 || !everyCallerGotItsKeysResult || distinctComments !== 100) {
        throw new Error(`exactly once broken: ${vendorCalls} vendor calls, ${distinctComments} distinct comments, consistent per key: ${everyCallerGotItsKeysResult}`);
      }
      console.log(`1,000 concurrent runs, 100 keys: ${vendorCalls} vendor calls, ${distinctComments} distinct comments, every caller got its key's result (${inProgressAnswers} "in progress" answers retried) in ${burstS.toFixed(2)} s`);

      const s = { bare: summary(bare), vendor: summary(vendorOnly), read: summary(read), sideEffect: summary(sideEffect), replay: summary(replay) };
      const serverSide = { bare: summary(bareServer), read: summary(readServer), sideEffect: summary(sideEffectServer) };
      const rows = [
        { measure: 'bare tRPC query (auth.me), round trip', ...s.bare },
        { measure: '  its server time', ...serverSide.bare },
        { measure: 'loopback vendor GET alone', ...s.vendor },
        { measure: 'read action (tickets.get), round trip', ...s.read },
        { measure: '  its server time without the vendor call', ...serverSide.read },
        { measure: 'side-effectful run, new key, round trip', ...s.sideEffect },
        { measure: '  its server time without the vendor call (claim + result)', ...serverSide.sideEffect },
        { measure: 'side-effectful replay (stored result), round trip', ...s.replay },
      ];
      return {
        rows,
        figures: {
          samples,
          ...s,
          // Fastify's elapsed time of each request minus the time of its vendor call.
          serverTime: serverSide,
          burst: { callers: 1_000, keys: 100, vendorCalls, distinctComments, everyCallerGotItsKeysResult, inProgressAnswers, seconds: Number(burstS.toFixed(2)) },
          aims: { readActionServerTimeP95Ms: 3 },
        },
      };
    } finally {
      await server.stop();
      await vendor.close();
    }
  },
};
