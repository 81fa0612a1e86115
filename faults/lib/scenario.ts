/**
 * The contract every fault scenario keeps (issue 20): it attacks one promise of the product
 * (nothing lost, applied once, no 5xx, no cross-partner change), checks a whole history against
 * its invariants, and reports what it checked. `npm run test:faults` (faults/run.ts) runs the full
 * version of each; the scenario's own `*.test.ts` runs the quick one inside `npm test`.
 */
export interface ScenarioOptions {
  /** Seeds every random choice: a failing run is reproduced with `npm run test:faults -- --seed <n>`. */
  seed: number;
  /** The quick subset for `npm test`: few runs, seconds not minutes. */
  quick: boolean;
  /** An empty, migrated database this scenario may own (a scenario that restarts PostgreSQL starts its own). */
  databaseUrl: string;
  /** Progress for a person watching; one line at a time. */
  log(line: string): void;
}

export interface ScenarioReport {
  /** Independent runs (kills, restarts, fuzz cases…), seeded from `seed`. */
  runs: number;
  /** Operations whose outcome was checked against the invariants. */
  operationsChecked: number;
  /** Each broken invariant in words, with the seed or run that shows it; empty when it held. */
  violations: string[];
  /** Answers with a 5xx status seen by clients (a 503 a scenario provokes on purpose is not one: count it in figures). */
  serverErrors: number;
  /** What else the scenario measured (latency, memory over time, 503s while the database was down…). */
  figures?: Record<string, unknown>;
}

export interface Scenario {
  /** Short id: `kill-server`, `pg-restart`, … (used by `npm run test:faults -- <name>`). */
  name: string;
  /** One line saying what is attacked. */
  title: string;
  run(options: ScenarioOptions): Promise<ScenarioReport>;
}

/** A small seeded generator (mulberry32), so runs are reproducible without a dependency. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
