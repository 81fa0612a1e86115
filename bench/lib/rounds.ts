import { cpuSnapshot } from './cpu.js';
import type { LatencyFigures } from './latency.js';

export interface RoundCase {
  name: string;
  measure(): Promise<LatencyFigures>;
  /** Calls one measured request stands for (a batch): throughput is reported per call. */
  callsPerRequest?: number;
}

/**
 * Measures the cases in interleaved rounds (a, b, c, a, b, c, …) and keeps each one's median
 * round: on a shared machine a drift in load then hits every case alike, so the ratios between
 * them hold even when the absolute figures move. Throws if any request failed.
 */
export async function measureInRounds(cases: RoundCase[], options: { rounds?: number; /** warm-up + measured time of each case */ loadSeconds: number }): Promise<Map<string, LatencyFigures>> {
  const rounds = options.rounds ?? 3;
  const runs = new Map<string, LatencyFigures[]>();
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const before = await cpuSnapshot();
      const measured = await c.measure();
      const after = await cpuSnapshot();
      // The server's and PostgreSQL's CPU are read around the whole call, warm-up included: divide
      // by the requests of both (the warm-up's estimated at the measured rate).
      const requests = Math.max(1, measured.requestsPerSecond * options.loadSeconds);
      const figures = {
        ...measured,
        serverCpuUsPerRequest: Math.round(((after.serverMs - before.serverMs) * 1000) / requests),
        postgresCpuUsPerRequest: Math.round(((after.postgresMs - before.postgresMs) * 1000) / requests),
      };
      if (figures.failures > 0) throw new Error(`${c.name}: ${figures.failures} requests failed`);
      const perCall = c.callsPerRequest ? { ...figures, requestsPerSecond: figures.requestsPerSecond * c.callsPerRequest } : figures;
      runs.set(c.name, [...(runs.get(c.name) ?? []), perCall]);
    }
  }
  const medians = new Map<string, LatencyFigures>();
  for (const [name, list] of runs) {
    const sorted = [...list].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    medians.set(name, sorted[Math.floor(sorted.length / 2)] as LatencyFigures);
  }
  return medians;
}

/** How many times fewer requests per second `figures` served than `baseline` (2.00: half as many). */
export const timesSlower = (baseline: LatencyFigures, figures: LatencyFigures) => Number((baseline.requestsPerSecond / Math.max(1, figures.requestsPerSecond)).toFixed(2));
