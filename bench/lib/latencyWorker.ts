import pg from 'pg';
import { Pool } from 'undici';

/**
 * Runs in its own process (see latency.ts): drives one HTTP URL or one SQL statement with N
 * concurrent loops for a fixed time, records every latency, and prints the figures as JSON.
 */
interface Job {
  kind: 'http' | 'sql';
  target: string;
  headers?: Record<string, string>;
  sql?: string;
  params?: unknown[];
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;

async function makeRunner(): Promise<{ once(): Promise<boolean>; close(): Promise<void> }> {
  if (job.kind === 'http') {
    const url = new URL(job.target);
    const pool = new Pool(url.origin, { connections: job.concurrency, pipelining: 1 });
    return {
      async once() {
        const res = await pool.request({ method: 'GET', path: url.pathname + url.search, headers: job.headers });
        await res.body.text();
        return res.statusCode >= 200 && res.statusCode < 300;
      },
      close: () => pool.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: job.target, max: job.concurrency });
  // Open every connection before timing, as the server's pool is warm too.
  await Promise.all(Array.from({ length: job.concurrency }, () => pool.query('SELECT 1')));
  return {
    async once() {
      await pool.query(job.sql as string, job.params);
      return true;
    },
    close: () => pool.end(),
  };
}

const runner = await makeRunner();
async function drive(ms: number, latencies: number[] | undefined) {
  const until = performance.now() + ms;
  let failures = 0;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        const ok = await runner.once().catch(() => false);
        latencies?.push(performance.now() - started);
        if (!ok) failures++;
      }
    }),
  );
  return failures;
}

await drive(job.warmupMs, undefined);
const latencies: number[] = [];
const started = performance.now();
const cpuBefore = process.cpuUsage();
const failures = await drive(job.durationMs, latencies);
const cpu = process.cpuUsage(cpuBefore);
const elapsed = (performance.now() - started) / 1000;
await runner.close();
latencies.sort((a, b) => a - b);
const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
console.log(
  JSON.stringify({
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    failures,
    // This load process's own CPU per request (the client side of the measured path).
    loadCpuUsPerRequest: Math.round((cpu.user + cpu.system) / Math.max(1, latencies.length)),
  }),
);
