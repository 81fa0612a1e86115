import type { HealthSample } from '../types.js';

/**
 * The in-memory source's stand-in for the server's uptime: each check's state lasts until the
 * next check, the last one until `now` but no longer than the longest gap seen (an idle
 * scheduler does not stretch it). Ok and Degraded count as up.
 */
export function timeWeightedUptime(samples: readonly HealthSample[], now: Date): number | null {
  if (samples.length === 0) return null;
  const times = samples.map((s) => new Date(s.at).getTime());
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const cap = Math.max(0, ...gaps);
  let up = 0;
  let total = 0;
  samples.forEach((sample, i) => {
    const start = times[i] ?? 0;
    const end = times[i + 1] ?? Math.min(now.getTime(), start + cap);
    const span = Math.max(0, end - start);
    total += span;
    if (sample.health === 'ok' || sample.health === 'degraded') up += span;
  });
  if (total === 0) return samples.at(-1)?.health === 'ok' || samples.at(-1)?.health === 'degraded' ? 100 : 0;
  return Math.round((up / total) * 1000) / 10;
}
