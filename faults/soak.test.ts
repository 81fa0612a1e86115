import { describe, expect, it } from 'vitest';
import { runQuick } from './lib/quick.js';
import { soak } from './soak.js';
import { checkFlat, type SoakSample } from './soakChecks.js';

describe('soak', () => {
  it('serves mixed traffic with failing vendors for a few seconds: no 5xx, nothing logged at error level', async () => {
    const report = await runQuick(soak);
    expect(report.figures?.samples).not.toHaveLength(0);
  }, 60_000);

  // Flatness is asserted only in the full soak (15 s says nothing about leaks): its checker fed
  // made-up series, to see that it passes a flat one and catches each kind of growth.
  const series = (f: (i: number) => Partial<SoakSample>): SoakSample[] =>
    Array.from({ length: 30 }, (_, i) => ({ atS: i * 10, heapUsedMB: 80, handles: 40, requests: 500, p95Ms: 20, ...f(i) }));

  it('passes a flat series, with noise', () => {
    expect(checkFlat(series((i) => ({ heapUsedMB: 80 + (i % 3) * 4, handles: 40 + (i % 5), p95Ms: 20 + (i % 4) * 10 })))).toEqual([]);
  });

  it('catches a heap that keeps growing, handles that pile up, and a p95 that creeps up', () => {
    expect(checkFlat(series((i) => ({ heapUsedMB: 80 + i * i })))).toEqual([expect.stringMatching(/^heap grew from/)]);
    expect(checkFlat(series((i) => ({ heapUsedMB: 80 + i * 3 })))).toEqual([expect.stringMatching(/^heap grew third after third/)]);
    // Caches filling in the first minutes, then level: not a leak.
    expect(checkFlat(series((i) => ({ heapUsedMB: 80 + Math.min(i, 12) * 2 })))).toEqual([]);
    expect(checkFlat(series((i) => ({ handles: 40 + i * 10 })))).toEqual([expect.stringMatching(/^open handles grew from/)]);
    expect(checkFlat(series((i) => ({ handles: 40 + i * 4 })))).toEqual([expect.stringMatching(/^open handles grew third after third/)]);
    expect(checkFlat(series((i) => ({ p95Ms: i < 26 ? 40 : 150 })))).toEqual([expect.stringMatching(/^p95 latency went/)]);
    // One slow window at the end (a neighbour's burst) is not a trend.
    expect(checkFlat(series((i) => ({ p95Ms: i < 29 ? 40 : 400 })))).toEqual([]);
  });
});
