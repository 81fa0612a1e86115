import { createDb } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { createWebhookDeliverer, type DelivererOptions, type WebhookDeliverer } from '../alerts/deliverer.js';
import { createHealthScheduler, type HealthScheduler, type HealthSchedulerOptions, type StopReport } from './scheduler.js';

/** Connections of the monitor's own pool: recording checks is short work, but many run at once. */
export const monitorPoolSize = 16;

export interface HealthMonitor {
  scheduler: HealthScheduler;
  deliverer: WebhookDeliverer;
  /** Stops claiming, lets running checks finish (grace period), releases the rest, then stops deliveries. */
  stop(): Promise<StopReport>;
}

/**
 * What a server instance runs in the background for SPEC-005: the health scheduler and the
 * webhook deliverer, both claiming their work through PostgreSQL so any number of instances can
 * run them side by side. Started by server.ts unless HEALTH_SCHEDULER=off.
 */
export function startHealthMonitor(
  appDeps: AppDeps,
  options: { scheduler?: HealthSchedulerOptions; deliverer?: DelivererOptions; databaseUrl?: string } = {},
): HealthMonitor {
  // A pool of its own (when given the URL): a sweep's bursts of writes must not queue the API's
  // requests behind them, nor the other way round.
  const ownDb = options.databaseUrl ? createDb(options.databaseUrl, { max: monitorPoolSize }) : undefined;
  const deps = ownDb ? { ...appDeps, db: ownDb } : appDeps;
  const deliverer = createWebhookDeliverer(deps, options.deliverer);
  const scheduler = createHealthScheduler(deps, { ...options.scheduler, onTransition: () => deliverer.nudge() });
  deliverer.start();
  scheduler.start();
  deps.log.info({ instanceId: scheduler.instanceId, intervalMs: deps.config.healthCheckIntervalMs }, 'health monitor started');
  return {
    scheduler,
    deliverer,
    async stop() {
      const report = await scheduler.stop();
      await deliverer.stop();
      await ownDb?.close();
      deps.log.info({ instanceId: scheduler.instanceId, ...report }, 'health monitor stopped');
      return report;
    },
  };
}
