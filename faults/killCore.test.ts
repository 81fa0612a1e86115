import { expect, it } from 'vitest';
import { killCoreScenario } from './killCore.js';
import { runQuick } from './lib/quick.js';

it('the desktop core killed mid-write keeps every acknowledged draft, mapping edit and action request, consistent and sendable', async () => {
  const report = await runQuick(killCoreScenario);
  expect(report.runs).toBe(4);
}, 60_000);
