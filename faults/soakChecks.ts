/** One sample of the soak: the process as a whole (server and its clients share it). */
export interface SoakSample {
  /** Seconds since traffic started. */
  atS: number;
  heapUsedMB: number;
  /** process.getActiveResourcesInfo().length: sockets, timers, file handles… */
  handles: number;
  /** Requests answered in the window that ends here, and their 95th percentile latency. */
  requests: number;
  p95Ms: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Growth allowed between the second and last thirds of the steady samples. A leak of one
 * request's worth of memory per request grows without bound, far past 25 % over a few minutes;
 * what stays below it is noise: V8 sizing its young generation, caches filling to their bound
 * (prepared statements, the principal cache), the pools opening their last connections.
 */
export const heapGrowthAllowed = 0.25;
/**
 * A heap that rises third after third by more than 5 % each time is still growing, even when no
 * single step reaches 25 % (a slow leak on a large base). Samples follow a full collection, so
 * what moves them is live memory: a few percent of noise, and bounded caches level off after the
 * first third.
 */
export const heapTrendAllowed = 0.05;
/**
 * Handles: the same 25 %, plus 10 handles of slack. The count is small (tens) and moves with
 * whatever is in flight at the sampling instant (a request's socket, a vendor call, a timer),
 * so a few either way is traffic, while a leak (a socket or timer per request) adds hundreds.
 */
export const handleGrowthAllowed = { ratio: 0.25, slack: 10 };
/**
 * The p95 at the end may be at most twice the p95 at the start of the steady part (issue 20 §6:
 * "p95 stable"). Each end is the median of three windows' p95, not one window: the machine is
 * shared (other suites, a checkpoint of PostgreSQL), and one window slowed by a neighbour is not
 * the server slowing down, while a real slowdown (a growing table scanned per request, a queue
 * that never drains) lasts. The floor of 50 ms: on loopback a p95 of a few milliseconds doubles
 * on any scheduling hiccup.
 */
export const p95GrowthAllowed = { ratio: 2, floorMs: 50 };

/**
 * The steady part of a soak: samples after the warm-up (the first fifth: pools connecting, JIT,
 * caches filling), split in thirds. Flatness compares the last third's median to the second's.
 */
export function checkFlat(samples: readonly SoakSample[]): string[] {
  const violations: string[] = [];
  const steady = samples.slice(Math.ceil(samples.length / 5));
  if (steady.length < 6) return [`only ${steady.length} steady samples: too few to tell whether heap and handles stay flat`];
  const third = Math.floor(steady.length / 3);
  const second = steady.slice(third, 2 * third);
  const last = steady.slice(steady.length - third);
  const heapFirst = median(steady.slice(0, third).map((s) => s.heapUsedMB));
  const heapBefore = median(second.map((s) => s.heapUsedMB));
  const heapAfter = median(last.map((s) => s.heapUsedMB));
  if (heapAfter > heapBefore * (1 + heapGrowthAllowed)) {
    violations.push(`heap grew from ${heapBefore.toFixed(1)} MB (median of the second third) to ${heapAfter.toFixed(1)} MB (last third): more than ${heapGrowthAllowed * 100} %`);
  } else if (heapBefore > heapFirst * (1 + heapTrendAllowed) && heapAfter > heapBefore * (1 + heapTrendAllowed)) {
    violations.push(`heap grew third after third: ${heapFirst.toFixed(1)}, ${heapBefore.toFixed(1)}, ${heapAfter.toFixed(1)} MB (medians): still growing`);
  }
  const handlesFirst = median(steady.slice(0, third).map((s) => s.handles));
  const handlesBefore = median(second.map((s) => s.handles));
  const handlesAfter = median(last.map((s) => s.handles));
  // Rising by more than the trend allowance and 5 handles each third: still piling up.
  const rose = (from: number, to: number) => to > from * (1 + heapTrendAllowed) && to - from > 5;
  if (handlesAfter > handlesBefore * (1 + handleGrowthAllowed.ratio) + handleGrowthAllowed.slack) {
    violations.push(`open handles grew from ${handlesBefore} (median of the second third) to ${handlesAfter} (last third)`);
  } else if (rose(handlesFirst, handlesBefore) && rose(handlesBefore, handlesAfter)) {
    violations.push(`open handles grew third after third: ${handlesFirst}, ${handlesBefore}, ${handlesAfter} (medians): still piling up`);
  }
  const p95First = median(steady.slice(0, 3).map((s) => s.p95Ms));
  const p95Last = median(steady.slice(-3).map((s) => s.p95Ms));
  if (p95Last > Math.max(p95First, p95GrowthAllowed.floorMs) * p95GrowthAllowed.ratio) {
    violations.push(`p95 latency went from ${p95First} ms (first steady windows) to ${p95Last} ms (last windows): more than ×${p95GrowthAllowed.ratio}`);
  }
  return violations;
}
