import { describe, it } from 'vitest';
import { fuzzScenario } from './fuzz.js';
import { runQuick } from './lib/quick.js';

describe('fault scenario: fuzz (quick)', () => {
  it('finds no 5xx, no misshapen error and no change to partner B on any route or procedure', () => runQuick(fuzzScenario), 120_000);
});
