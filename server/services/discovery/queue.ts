import { z } from 'zod';
import type { JobQueue } from '../../jobs/engine.js';

/** A discovery job names its run; everything else (settings, who asked) is read when it runs. */
export const discoveryJobSchema = z.object({
  partnerId: z.number().int().positive(),
  runId: z.number().int().positive(),
  key: z.string().min(1).max(100),
});
export type DiscoveryJob = z.infer<typeof discoveryJobSchema>;

/**
 * Discovery runs on the job engine. An attempt may take up to 15 minutes (10,000 Syncro
 * customers are 400 pages, over two minutes of Syncro's request budget on their own); a worker
 * that dies is replaced by a retry on any instance once the attempt expires. Vendor failures do
 * not throw (the run records them), so retries happen only for lost workers and database trouble.
 */
export const discoveryQueue: JobQueue<DiscoveryJob> = {
  name: 'discovery',
  data: discoveryJobSchema,
  retryLimit: 2,
  retryDelaySeconds: 30,
  expireInSeconds: 15 * 60,
};

/**
 * A queued or running run whose heartbeat (every page) is older than this lost its worker and
 * was not retried: a new start replaces it (longer than an attempt may take, so a live run is
 * never replaced).
 */
export const staleRunAfterMs = 20 * 60_000;
