import { fuzzScenario } from './fuzz.js';
import { killCoreScenario } from './killCore.js';
import { killServerScenario } from './killServer.js';
import type { Scenario } from './lib/scenario.js';
import { pgRestart } from './pgRestart.js';
import { soak } from './soak.js';
import { twoInstancesScenario } from './twoInstances.js';

/** Every scenario `npm run test:faults` runs, in this order (the soak last: it is the longest). */
export const scenarios: Scenario[] = [killCoreScenario, killServerScenario, twoInstancesScenario, pgRestart, fuzzScenario, soak];
