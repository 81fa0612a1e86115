import { scopedReader, scopeVariants, type ScopedReader, type ScopeVariant } from './partnerScope.js';

/**
 * Runs in its own process (see latency.ts measureScoped): one SQL statement under the partner
 * scope in each way of partnerScope.ts, N concurrent loops, in 200 ms slices that rotate through
 * the ways (and their order) until each has run `durationMs`. Prints figures per way as JSON.
 */
interface Job {
  target: string;
  sql: string;
  params: unknown[];
  partnerId: number;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const sliceMs = 200;

const readers = new Map<ScopeVariant, ScopedReader>(scopeVariants.map((v) => [v, scopedReader(v, job.target, job.concurrency)]));
const latencies = new Map<ScopeVariant, number[]>(scopeVariants.map((v) => [v, []]));
const failures = new Map<ScopeVariant, number>(scopeVariants.map((v) => [v, 0]));
const elapsed = new Map<ScopeVariant, number>(scopeVariants.map((v) => [v, 0]));

async function drive(variant: ScopeVariant, ms: number, record: boolean): Promise<void> {
  const reader = readers.get(variant) as ScopedReader;
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const ok = await reader.read(job.sql, job.params, job.partnerId).then(
          () => true,
          () => false,
        );
        if (!record) continue;
        latencies.get(variant)?.push(performance.now() - t);
        if (!ok) failures.set(variant, (failures.get(variant) ?? 0) + 1);
      }
    }),
  );
  if (record) elapsed.set(variant, (elapsed.get(variant) ?? 0) + (performance.now() - started) / 1000);
}

for (const variant of scopeVariants) await drive(variant, job.warmupMs, false);
const slices = Math.ceil(job.durationMs / sliceMs);
for (let i = 0; i < slices; i++) {
  const order = i % 2 === 0 ? scopeVariants : [...scopeVariants].reverse();
  for (const variant of order) await drive(variant, sliceMs, true);
}
await Promise.all([...readers.values()].map((r) => r.close()));

const figures = Object.fromEntries(
  scopeVariants.map((variant) => {
    const sorted = (latencies.get(variant) ?? []).sort((a, b) => a - b);
    const at = (q: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2));
    const seconds = elapsed.get(variant) ?? 1;
    return [
      variant,
      { requests: sorted.length, requestsPerSecond: Math.round(sorted.length / seconds), p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), failures: failures.get(variant) ?? 0 },
    ];
  }),
);
console.log(JSON.stringify(figures));
