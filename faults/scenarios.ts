import { fuzzScenario } from './fuzz.js';
import { killCoreScenario } from './killCore.js';
import type { Scenario } from './lib/scenario.js';
import { pgRestart } from './pgRestart.js';
import { soak } from './soak.js';

/** Every scenario `npm run test:faults` runs, in this order (the soak last: it is the longest). */
export const scenarios: Scenario[] = [killCoreScenario, pgRestart, fuzzScenario, soak];
