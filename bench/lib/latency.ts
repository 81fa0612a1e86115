import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ScopeVariant } from './partnerScope.js';

const run = promisify(execFile);
const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'latencyWorker.ts');

export interface LatencyFigures {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  failures: number;
  /** CPU µs per request: the load process's own (always), the server's and PostgreSQL's (measureInRounds). */
  loadCpuUsPerRequest?: number;
  serverCpuUsPerRequest?: number;
  postgresCpuUsPerRequest?: number;
}

export interface LatencyJob {
  concurrency?: number;
  durationMs?: number;
  warmupMs?: number;
}

async function measure(job: Record<string, unknown>): Promise<LatencyFigures> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', worker, JSON.stringify({ concurrency: 16, durationMs: 5000, warmupMs: 1000, ...job })], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as LatencyFigures;
}

/**
 * Exact p50/p95/p99 (every latency recorded) and requests/s of GET requests to one URL, from a
 * separate process so the load generator does not share the server's event loop.
 */
export const measureHttp = (url: string, headers: Record<string, string>, job: LatencyJob = {}) =>
  measure({ kind: 'http', target: url, headers, ...job });

/** The same for one SQL statement sent straight through `pg` (the raw round-trip baseline). */
export const measureSql = (databaseUrl: string, sql: string, params: unknown[], job: LatencyJob = {}) =>
  measure({ kind: 'sql', target: databaseUrl, sql, params, ...job });

/**
 * The same for one SQL statement under the partner scope, every way at once: one process
 * alternates short slices of each (bench/lib/scopeWorker.ts), so a change in the machine's load
 * hits them all alike and their ratios hold even when the absolute figures drift.
 */
export async function measureScoped(
  databaseUrl: string,
  query: { sql: string; params: unknown[]; partnerId: number },
  job: LatencyJob = {},
): Promise<Record<ScopeVariant, LatencyFigures>> {
  const scopeWorker = path.join(path.dirname(worker), 'scopeWorker.ts');
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', scopeWorker, JSON.stringify({ concurrency: 16, durationMs: 5000, warmupMs: 1000, target: databaseUrl, ...query, ...job })],
    { maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<ScopeVariant, LatencyFigures>;
}
