import { describe, it } from 'vitest';
import { runQuick } from './lib/quick.js';
import { twoInstancesScenario } from './twoInstances.js';

describe('fault scenario two-instances (quick)', () => {
  it('two servers on one database, one killed: every due check once, no action twice at the vendor, both start together', () => runQuick(twoInstancesScenario), 120_000);
});
