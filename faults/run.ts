import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFaultPostgres } from './lib/database.js';
import type { ScenarioReport } from './lib/scenario.js';
import { scenarios } from './scenarios.js';

/**
 * `npm run test:faults [-- <scenario>… --seed <n> --quick]`: every fault scenario in full (or
 * the named ones), one after the other on loopback, then a table of what was checked and
 * `fault-results.json`. Exits 1 when any invariant broke or any client got a 5xx.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: 'string' }, quick: { type: 'boolean', default: false } },
});
const seed = Number(values.seed ?? Date.now() % 2 ** 31);
const unknown = positionals.filter((name) => !scenarios.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`Unknown scenario ${unknown.join(', ')}; there are: ${scenarios.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const chosen = positionals.length === 0 ? scenarios : scenarios.filter((s) => positionals.includes(s.name));

const postgres = await startFaultPostgres();
const results: Array<ScenarioReport & { scenario: string; title: string; durationMs: number; error?: string }> = [];
const started = Date.now();
try {
  console.log(`Fault suite: ${chosen.length} scenario(s), seed ${seed}${values.quick ? ', quick' : ''}`);
  for (const scenario of chosen) {
    console.log(`\n▶ ${scenario.name}: ${scenario.title}`);
    const t0 = Date.now();
    try {
      const report = await scenario.run({ seed, quick: values.quick, databaseUrl: await postgres.database(), log: (line) => console.log(`  ${line}`) });
      results.push({ scenario: scenario.name, title: scenario.title, durationMs: Date.now() - t0, ...report });
    } catch (error) {
      // A scenario that crashes is a failure of the suite, reported like a broken invariant.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ scenario: scenario.name, title: scenario.title, durationMs: Date.now() - t0, runs: 0, operationsChecked: 0, violations: [`the scenario itself failed: ${message}`], serverErrors: 0, error: message });
    }
  }
} finally {
  await postgres.close();
}

const pad = (text: string | number, width: number) => String(text).padStart(width);
console.log(`\n${'scenario'.padEnd(16)}${pad('runs', 8)}${pad('checked', 10)}${pad('violations', 12)}${pad('5xx', 6)}${pad('time', 9)}`);
for (const r of results) {
  console.log(`${r.scenario.padEnd(16)}${pad(r.runs, 8)}${pad(r.operationsChecked, 10)}${pad(r.violations.length, 12)}${pad(r.serverErrors, 6)}${pad(`${(r.durationMs / 1000).toFixed(1)} s`, 9)}`);
  for (const v of r.violations.slice(0, 10)) console.log(`    ✗ ${v.split('\n')[0]}`);
}
const failed = results.some((r) => r.violations.length > 0 || r.serverErrors > 0);
const file = path.resolve(import.meta.dirname, '..', 'fault-results.json');
await writeFile(file, `${JSON.stringify({ seed, quick: values.quick, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, passed: !failed, scenarios: results }, null, 2)}\n`);
console.log(`\n${failed ? 'FAILED' : 'All invariants held'} in ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${path.relative(process.cwd(), file)}`);
process.exit(failed ? 1 : 0);
