import { expect } from 'vitest';
import { createTestDatabase } from '../../test/db.js';
import type { Scenario, ScenarioReport } from './scenario.js';

/**
 * Runs a scenario's quick subset inside `npm test` on a database of the run's PostgreSQL, and
 * asserts what the full suite asserts: something was checked, no invariant broke, no 5xx.
 * The seed is fixed so a failure reproduces; FAULT_SEED picks another.
 */
export async function runQuick(scenario: Scenario): Promise<ScenarioReport> {
  const database = await createTestDatabase();
  try {
    const report = await scenario.run({
      seed: Number(process.env.FAULT_SEED ?? 20261206),
      quick: true,
      databaseUrl: database.url,
      log: () => undefined,
    });
    expect(report.violations).toEqual([]);
    expect(report.serverErrors).toBe(0);
    expect(report.operationsChecked).toBeGreaterThan(0);
    return report;
  } finally {
    await database.drop();
  }
}
