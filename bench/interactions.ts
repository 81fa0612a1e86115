import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { withSystem } from '../server/db/pool.js';
import { ensurePartner } from '../server/db/partners.js';
import { startBudget } from '../server/integrations/http/budget.js';
import { withInteraction, type InteractionEntry, type InteractionScope } from '../server/integrations/http/interactionScope.js';
import { createVendorClient } from '../server/integrations/http/vendorClient.js';
import { createLogger } from '../server/logger.js';
import { createInteractionLog } from '../server/services/interactions/writer.js';
import type { Benchmark } from './lib/types.js';
import { startBenchServer } from './lib/server.js';

const calls = 4_000;
const never = new AbortController().signal;
const rounds = 4;
const batchRows = 20_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round3 = (n: number) => Number(n.toFixed(3));

/**
 * What the interaction log costs (issue 15): a loopback vendor call through the shared vendor
 * client without a recorder and with the real writer (alternating rounds, so drift hits both),
 * what `record` itself costs the caller, and how fast the writer's batched INSERTs store rows.
 */
export const interactionsBench: Benchmark = {
  name: 'interactions',
  async run() {
    const body = JSON.stringify({ tickets: Array.from({ length: 5 }, (_, i) => ({ id: i, number: 1000 + i, subject: `Backups ${i}`, status: 'Open' })) });
    const vendor = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(vendor.address() as AddressInfo).port}/api/v1/tickets`);
    const server = await startBenchServer();
    const log = createLogger({ level: process.env.BENCH_LOG ?? 'silent' });
    const client = createVendorClient({ vendor: 'Bench', rateLimit: { perMinute: 10_000_000, burst: 100_000 } });
    try {
      const { deps } = server.runtime;
      const partnerId = await withSystem(deps.db, async (tx) => (await ensurePartner(tx, 'Bench Interactions', false)).id);
      const scope: InteractionScope = { partnerId, integrationKey: 'syncro', kind: 'action', actionId: 'syncro.tickets.find', userId: null, recorder: deps.interactionLog };
      const call = () => client.request({ method: 'GET', url, operation: 'GET /tickets', budget: startBudget(never, 5_000), log, secrets: ['tok_bench_secret'] });

      const plain: number[] = [];
      const recorded: number[] = [];
      for (let i = 0; i < 200; i++) await call(); // warm-up
      for (let r = 0; r < rounds; r++) {
        for (const [into, run] of [[plain, call], [recorded, () => withInteraction(scope, call)]] as const) {
          for (let i = 0; i < calls / rounds; i++) {
            const t = performance.now();
            await run();
            into.push(performance.now() - t);
          }
        }
      }
      plain.sort((a, b) => a - b);
      recorded.sort((a, b) => a - b);
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

      // `record` alone, on a writer that never flushes during the loop (the caller's whole cost).
      const idle = createInteractionLog({ db: deps.db, log, flushMs: 60_000, batchSize: 1_000_000, maxPending: 1_000_000 });
      const entry: InteractionEntry = { vendor: 'Bench', method: 'GET', path: '/api/v1/tickets', host: url.host, status: 200, durationMs: 1, retries: 0, outcome: 'ok', responseBody: JSON.parse(body), secrets: ['tok_bench_secret'], startedAt: new Date() };
      const t0 = performance.now();
      for (let i = 0; i < batchRows; i++) idle.record(scope, entry);
      const recordUs = ((performance.now() - t0) * 1000) / batchRows;
      // Then the batched writes: redaction + multi-row INSERTs of 200 rows.
      const t1 = performance.now();
      await idle.stop();
      const flushMs = performance.now() - t1;
      const writerStats = idle.stats();
      const stored = Number((await deps.db.pool.query('SELECT count(*) AS n FROM interaction_log WHERE partner_id = $1', [partnerId])).rows[0]?.n);

      const figures = {
        vendorCallMs: {
          withoutRecorder: { p50: round3(percentile(plain, 50)), p95: round3(percentile(plain, 95)), mean: round3(mean(plain)) },
          withRecorder: { p50: round3(percentile(recorded, 50)), p95: round3(percentile(recorded, 95)), mean: round3(mean(recorded)) },
          overheadMeanMs: round3(mean(recorded) - mean(plain)),
        },
        recordCallMicroseconds: round3(recordUs),
        batchInsert: { rows: batchRows, ms: Math.round(flushMs), rowsPerSecond: Math.round(batchRows / (flushMs / 1000)), stored, writer: writerStats },
      };
      return {
        rows: [
          { case: 'loopback call, no recorder', ...figures.vendorCallMs.withoutRecorder },
          { case: 'loopback call, recorded', ...figures.vendorCallMs.withRecorder },
          { case: 'record() per call (µs)', mean: figures.recordCallMicroseconds },
          { case: `batch insert ${batchRows} rows`, mean: figures.batchInsert.rowsPerSecond, note: 'rows/s' },
        ],
        figures,
      };
    } finally {
      await client.close();
      await server.stop();
      await new Promise((resolve) => vendor.close(resolve));
    }
  },
};
