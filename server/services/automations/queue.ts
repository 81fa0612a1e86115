import { z } from 'zod';
import type { JobQueue } from '../../jobs/engine.js';

/** A run job names its run; the automation, trigger data and step state are read when it runs. */
export const automationJobSchema = z.object({
  partnerId: z.number().int().positive(),
  runId: z.number().int().positive(),
  /** How many times this run already waited for a free slot of its automation's concurrency (its backoff). */
  waits: z.number().int().min(0).max(1_000).optional(),
});
export type AutomationJob = z.infer<typeof automationJobSchema>;

/** Handler attempts per job (pg-boss retries) before the run is parked as `dead`. */
export const automationJobRetries = 2;

/**
 * Automation runs on the job engine (server/jobs). A job works its run from `next_step` on; a
 * step failure is the run's outcome, not a throw, so pg-boss retries only lost workers, stopped
 * instances and database trouble. An attempt may take 10 minutes (ten steps of up to ACTION_TIMEOUT).
 */
export const automationQueue: JobQueue<AutomationJob> = {
  name: 'automation-run',
  data: automationJobSchema,
  retryLimit: automationJobRetries,
  retryDelaySeconds: 10,
  expireInSeconds: 10 * 60,
};

/** The minute tick that fires due schedules (once across instances: pg-boss's cron). */
export const automationTickQueue: JobQueue<Record<string, never>> = {
  name: 'automation-schedule-tick',
  data: z.object({}).strict() as z.ZodType<Record<string, never>>,
  retryLimit: 0,
  expireInSeconds: 60,
};
