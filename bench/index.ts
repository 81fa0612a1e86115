import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { actionsBench } from './actions.js';
import { automationsBench } from './automations.js';
import { automationsKillBench } from './automationsKill.js';
import { catalogBench } from './catalog.js';
import { clientsBench } from './clients.js';
import { discoveryBench } from './discovery.js';
import { healthSweepBench } from './healthSweep.js';
import { huntressBench } from './huntress.js';
import { httpOverhead } from './httpOverhead.js';
import { interactionsBench } from './interactions.js';
import { keyRotationBench } from './keyRotation.js';
import { microsoft365Bench } from './microsoft365.js';
import { mcpBench } from './mcp.js';
import { inboundWebhooksBench } from './inboundWebhooks.js';
import { msp360MigrationBench } from './msp360Migration.js';
import { oauthBench } from './oauth.js';
import { syncBench } from './sync.js';
import type { Benchmark } from './lib/types.js';

/** Every benchmark, one line each. `npm run bench -- <name>…` runs a subset. */
const benchmarks: Benchmark[] = [httpOverhead, catalogBench, syncBench, msp360MigrationBench, healthSweepBench, discoveryBench, clientsBench, actionsBench, interactionsBench, huntressBench, oauthBench, keyRotationBench, inboundWebhooksBench, microsoft365Bench, automationsBench, automationsKillBench, mcpBench];

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = only.length ? benchmarks.filter((b) => only.includes(b.name)) : benchmarks;
if (only.length && selected.length !== only.length) {
  console.error(`Unknown benchmark. Available: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: process.platform },
  startedAt: new Date().toISOString(),
};
for (const bench of selected) {
  console.log(`\n== ${bench.name}`);
  const started = Date.now();
  const { rows, figures } = await bench.run();
  console.table(rows);
  results[bench.name] = { ...figures, wallSeconds: (Date.now() - started) / 1000 };
}
await writeFile('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nFigures written to bench-results.json');
process.exit(0);
