import { killServerScenario } from './killServer.js';
import type { Scenario } from './lib/scenario.js';
import { twoInstancesScenario } from './twoInstances.js';

/** Every scenario `npm run test:faults` runs, in this order (the soak last: it is the longest). */
export const scenarios: Scenario[] = [killServerScenario, twoInstancesScenario];
