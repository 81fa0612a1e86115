import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Pool } from 'undici';
import { inboundBodyLimitBytes, inboundToleranceSeconds } from '../shared/integrations/inboundWebhooks.js';
import { createControllablePlugin } from '../server/integrations/testing/controllablePlugin.js';
import { signWebhook, verifyWebhookSignature } from '../server/services/alerts/signature.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import type { LatencyFigures } from './lib/latency.js';
import { measureInRounds, timesSlower } from './lib/rounds.js';
import { startBenchServer } from './lib/server.js';
import { statementStats } from './lib/statementStats.js';
import type { Benchmark } from './lib/types.js';

const loadSeconds = 5;
const warmupSeconds = 1;
const concurrency = 16;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round2 = (n: number) => Number(n.toFixed(2));

/**
 * `concurrency` loops posting signed deliveries (each its own delivery id and signature, made
 * per request) for the warm-up and then `loadSeconds`; every latency recorded.
 */
async function load(pool: Pool, path: string, secret: string): Promise<LatencyFigures> {
  const latencies: number[] = [];
  let failures = 0;
  const warmupEnds = performance.now() + warmupSeconds * 1000;
  const ends = warmupEnds + loadSeconds * 1000;
  const loop = async () => {
    while (performance.now() < ends) {
      const body = JSON.stringify({ event: 'ticket.updated', id: Math.floor(Math.random() * 1e9), subject: 'Nightly backup failing on DF-FS01', status: 'Open' });
      const timestamp = Math.floor(Date.now() / 1000);
      const started = performance.now();
      const res = await pool.request({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'x-ic-timestamp': String(timestamp), 'x-ic-signature': signWebhook(secret, timestamp, body), 'x-ic-delivery-id': randomUUID() },
        body,
      });
      await res.body.dump();
      const done = performance.now();
      if (res.statusCode !== 202) failures++;
      else if (started >= warmupEnds) latencies.push(done - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / loadSeconds),
    p50Ms: round2(percentile(latencies, 50)),
    p95Ms: round2(percentile(latencies, 95)),
    p99Ms: round2(percentile(latencies, 99)),
    failures,
  };
}

/**
 * Issue 18 §5: inbound webhook acceptance on one instance. The product's route (endpoint lookup,
 * constant-time signature check, the delivery stored in a transaction, its processing job queued,
 * then 202) against a baseline in the same process and rounds: a bare route that checks the same
 * signature with the same secret and answers 202 without touching the database, so the ratio is
 * what storing before acknowledging costs. Processing runs meanwhile on the same instance's job
 * workers (4 slots); deliveries processed per second is measured from the first acceptance to the
 * last delivery processed. The load loops share the server's process (CPU figures include them).
 */
export const inboundWebhooksBench: Benchmark = {
  name: 'inboundWebhooks',
  async run() {
    const { plugin } = createControllablePlugin({ key: 'benchhook', name: 'Bench Hook' });
    let bareSecret = '';
    const server = await startBenchServer({
      plugins: [plugin],
      extend: (app) => {
        void app.register(async (scope) => {
          scope.removeAllContentTypeParsers();
          scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: inboundBodyLimitBytes }, (_req, body, done) => done(null, body));
          scope.post('/bench/bare-inbound', async (req, reply) => {
            const ok = verifyWebhookSignature({ secret: bareSecret, body: String(req.body), timestamp: req.headers['x-ic-timestamp'] as string, signature: req.headers['x-ic-signature'] as string, toleranceSeconds: inboundToleranceSeconds });
            return reply.code(ok ? 202 : 401).send({ id: req.headers['x-ic-delivery-id'], status: 'received' });
          });
        });
      },
    });
    const deps = server.runtime.deps;
    const pool = new Pool(server.url, { connections: concurrency });
    const client = new pg.Client({ connectionString: server.runtime.databaseUrl });
    await client.connect();
    const stats = statementStats(client);
    try {
      const partner = await makePartner(deps.db, { name: 'Bench Inbound' });
      const admin = await makeUser(deps.db, partner.id, 'partner_admin');
      const auth = `Bearer ${(await deps.tokens.sign({ userId: admin.id, partnerId: partner.id, role: 'partner_admin' })).token}`;
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
        return res.json() as Promise<Record<string, unknown>>;
      };
      await call('POST', '/api/integrations/benchhook/configure', { settings: { subdomain: 'bench', api_token: 'tok_bench_inbound_long_enough', region: 'us' } });
      const endpoint = (await call('POST', '/api/integrations/benchhook/inbound', {})) as { path: string; secret: string };
      bareSecret = endpoint.secret;

      await stats.reset();
      const measured = await measureInRounds(
        [
          { name: 'bare', measure: () => load(pool, '/bench/bare-inbound', bareSecret) },
          { name: 'inbound', measure: () => load(pool, endpoint.path, endpoint.secret) },
        ],
        { loadSeconds: loadSeconds + warmupSeconds, rounds: 3 },
      );
      // Processing catches up with what was accepted (it ran during the load too).
      const counts = async () =>
        (await deps.db.pool.query<{ status: string; n: number; first: Date; last: Date | null }>(
          'SELECT status, count(*)::int AS n, min(received_at) AS first, max(processed_at) AS last FROM inbound_deliveries WHERE partner_id = $1 GROUP BY status',
          [partner.id],
        )).rows;
      const backlogAfterLoad = (await counts()).find((r) => r.status === 'received')?.n ?? 0;
      const deadline = Date.now() + 3 * 60_000;
      while ((await counts()).some((r) => r.status === 'received') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const final = await counts();
      // Where PostgreSQL's time went, acceptance and processing together (pg-boss's statements included).
      const topStatements = await stats.top(8);
      const processed = final.find((r) => r.status === 'processed');
      // From the first delivery received to the last processed: the true processing rate when a
      // backlog was left after the load (processing was the slower side), else acceptance's.
      const processedPerSecond = processed?.last ? Math.round(processed.n / ((processed.last.getTime() - processed.first.getTime()) / 1000)) : 0;

      const bare = measured.get('bare') as LatencyFigures;
      const inbound = measured.get('inbound') as LatencyFigures;
      const figures = {
        concurrency,
        acceptance: { ...inbound },
        bareSignatureRoute: { ...bare },
        timesSlowerThanBare: timesSlower(bare, inbound),
        topStatements,
        processing: { backlogAfterLoad, processed: processed?.n ?? 0, left: final.filter((r) => r.status !== 'processed').reduce((s, r) => s + r.n, 0), processedPerSecond },
      };
      return {
        rows: [
          { case: 'bare route: signature check only, 202', 'req/s': bare.requestsPerSecond, p50Ms: bare.p50Ms, p95Ms: bare.p95Ms, serverCpuUs: bare.serverCpuUsPerRequest },
          { case: 'POST /api/inbound/:id (stored, job queued, 202)', 'req/s': inbound.requestsPerSecond, p50Ms: inbound.p50Ms, p95Ms: inbound.p95Ms, serverCpuUs: inbound.serverCpuUsPerRequest, pgCpuUs: inbound.postgresCpuUsPerRequest, ratio: figures.timesSlowerThanBare },
          { case: 'deliveries processed per second (4 job slots)', 'req/s': processedPerSecond, note: `${figures.processing.processed} processed, backlog after load ${backlogAfterLoad}, ${figures.processing.left} left` },
        ],
        figures,
      };
    } finally {
      await client.end();
      await pool.close();
      await server.stop();
    }
  },
};
