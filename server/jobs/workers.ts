import type { AppDeps } from '../deps.js';
import { startActionRunPruning } from '../services/actions/prune.js';
import { discoveryQueue } from '../services/discovery/queue.js';
import { runDiscovery } from '../services/discovery/run.js';
import { startCredentialAlerts } from '../services/alerts/credentialAlerts.js';
import { startInteractionPrune } from '../services/interactions/prune.js';
import { startInboundWorkers } from '../services/inboundWebhooks/process.js';
import { startAutomationWorkers } from '../services/automations/runner.js';
import { startAutomationSchedules } from '../services/automations/triggers.js';

/**
 * Every queue this instance works, one line each (the health sweep keeps its own SKIP LOCKED
 * claims for now). Two discoveries at a time: they mostly wait on vendors' request budgets.
 */
export async function startJobWorkers(deps: AppDeps): Promise<void> {
  await deps.jobs.start();
  await deps.jobs.work(discoveryQueue, (job, ctx) => runDiscovery(deps, job, ctx), { concurrency: 2 });
  await startActionRunPruning(deps);
  await startInteractionPrune(deps);
  await startCredentialAlerts(deps);
  await startInboundWorkers(deps);
  await startAutomationWorkers(deps);
  await startAutomationSchedules(deps);
}
