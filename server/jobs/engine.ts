import pg from 'pg';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { isDatabaseUnreachable } from '../db/unreachable.js';
import type { Logger } from '../logger.js';

/**
 * THE job engine of the server: every durable background job of wave 2 (discovery runs first;
 * webhook processing, log pruning, reminders and automation runs later) goes through this one
 * PostgreSQL queue, pg-boss, never through a home-made retry loop or dead-letter table.
 *
 * Why pg-boss: maintained, plain PostgreSQL (SKIP LOCKED fetches), so N instances share one
 * queue and a job is worked once; a job whose worker dies expires and is retried elsewhere;
 * retries, backoff, dead letters and retention are per queue. Version 10 is the line that runs
 * on Node 20 (11 and later need Node 22). It keeps its tables in their own schema (`pgboss`),
 * created and migrated by `start()` under an advisory lock; the product's migrations do not
 * manage it. Job rows carry ids only, never secrets or partner data beyond the partner id.
 */

/** A named queue and the shape of its jobs' data (checked when a job is sent and when it is worked). */
export interface JobQueue<T> {
  name: string;
  data: z.ZodType<T>;
  /** Attempts after the first when a handler throws or its worker dies (default 2). */
  retryLimit?: number;
  /** Seconds before a retry (default 30), doubling with each one. */
  retryDelaySeconds?: number;
  /** How long one attempt may run before it counts as failed (its worker is presumed dead). */
  expireInSeconds: number;
}

/** What a handler gets besides the data. */
export interface JobContext {
  jobId: string;
  /** Aborted when the instance stops or the attempt's time is up: stop, and throw to be retried. */
  signal: AbortSignal;
}

export type JobHandler<T> = (data: T, ctx: JobContext) => Promise<void>;

export interface JobEngine {
  /** Starts pg-boss (creating or migrating its schema). Idempotent; `send` and `work` call it. */
  start(): Promise<void>;
  /** Queues a job; returns its id. `startAfterSeconds` delays it (a backoff that must survive a restart). */
  send<T>(queue: JobQueue<T>, data: T, options?: { startAfterSeconds?: number }): Promise<string>;
  /**
   * Sends `data` to the queue on a cron schedule (UTC), once across all instances (pg-boss keeps
   * one schedule row per queue name; scheduling again replaces it). Workers still come from `work`.
   */
  schedule<T>(queue: JobQueue<T>, cron: string, data: T): Promise<void>;
  /** Works this instance's share of a queue, `concurrency` jobs at a time. */
  work<T>(queue: JobQueue<T>, handler: JobHandler<T>, options?: { concurrency?: number }): Promise<void>;
  /** Stops fetching, aborts running handlers' signals, waits for them (bounded), closes. */
  stop(): Promise<void>;
}

export interface JobEngineOptions {
  connectionString: string;
  log: Logger;
  /** The schema pg-boss keeps its tables in. Default `pgboss`. */
  schema?: string;
  /** How often an idle worker looks for jobs. Default 2 s (jobs sent by this instance wake it at once). */
  pollingIntervalSeconds?: number;
  /** How long `stop` waits for running handlers. Default 10 s. */
  stopTimeoutMs?: number;
  /**
   * How often pg-boss's maintenance runs (once across instances): it is what fails the jobs of a
   * worker that died, once their expiry has passed, so their retries can start. Default 120 s.
   */
  maintenanceIntervalSeconds?: number;
}

/** The advisory lock every instance takes to create a queue (see `createQueue`). */
const CREATE_QUEUE_LOCK = 'integration-center.pgboss.create-queue';

export function createJobEngine(options: JobEngineOptions): JobEngine {
  const log = options.log.child({ component: 'jobs' });
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: options.schema ?? 'pgboss',
    application_name: 'integration-center-jobs',
    // Its own small pool: a burst of jobs must not starve requests of connections.
    max: 4,
    // Cron schedules for periodic upkeep (issue 15: pruning expired action results and the
    // interaction log). pg-boss fires each scheduled job once across instances.
    schedule: true,
    ...(options.maintenanceIntervalSeconds ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds } : {}),
  });
  // pg-boss reports background failures (maintenance, fetches) as events; an EventEmitter
  // without a listener would crash the process on the first one. The database being down is an
  // outage (a warning, as for requests), not a bug.
  boss.on('error', (error: Error) => log[isDatabaseUnreachable(error) ? 'warn' : 'error']({ err: { type: error.name, message: error.message } }, 'job engine error'));

  const stopping = new AbortController();
  const workers = new Map<string, string[]>();
  const queues = new Map<string, Promise<void>>();
  let started: Promise<void> | undefined;

  const start = () =>
    (started ??= boss.start().then(
      () => undefined,
      (error: unknown) => {
        started = undefined;
        throw error;
      },
    ));

  /**
   * Creates the queue once per instance. pg-boss's create (a queue row, then a partition attached
   * to its job table) deadlocks when two sessions run it together: two replicas' first start, a
   * deploy that adds a queue, or one instance creating several queues at once. A retry on the
   * deadlock was not enough (six queues on each of two instances deadlocked five times running in
   * CI), so creations are serialized: one at a time per instance, and across instances by a
   * session advisory lock held on a connection of its own while pg-boss creates the queue. The lock
   * goes with the connection, so an instance that dies while holding it frees it.
   */
  let creating: Promise<unknown> = Promise.resolve();
  const createQueue = (queue: JobQueue<unknown>) => {
    const next = creating.then(() => createOne(queue), () => createOne(queue));
    creating = next.catch(() => undefined);
    return next;
  };
  const createOne = async (queue: JobQueue<unknown>) => {
    if (await boss.getQueue(queue.name)) return;
    const lock = new pg.Client({ connectionString: options.connectionString, application_name: 'integration-center-jobs' });
    lock.on('error', () => undefined); // a lost connection fails the query below instead
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', [CREATE_QUEUE_LOCK]);
      await boss.createQueue(queue.name, {
        name: queue.name,
        retryLimit: queue.retryLimit ?? 2,
        retryDelay: queue.retryDelaySeconds ?? 30,
        retryBackoff: true,
        expireInSeconds: queue.expireInSeconds,
        retentionDays: 7,
      });
    } finally {
      await lock.end().catch(() => undefined); // ends the session, which releases the lock
    }
  };

  const ensureQueue = async (queue: JobQueue<unknown>) => {
    await start();
    let created = queues.get(queue.name);
    if (!created) {
      created = createQueue(queue);
      queues.set(queue.name, created);
      created.catch(() => queues.delete(queue.name));
    }
    await created;
  };

  return {
    start,

    async send<T>(queue: JobQueue<T>, data: T, sendOptions: { startAfterSeconds?: number } = {}): Promise<string> {
      const checked = queue.data.parse(data);
      await ensureQueue(queue as JobQueue<unknown>);
      const delay = sendOptions.startAfterSeconds;
      const id = await boss.send(queue.name, checked as object, delay ? { startAfter: Math.ceil(delay) } : {});
      if (id === null) throw new Error(`job queue ${queue.name} refused the job`);
      // A worker of this instance need not wait for its next poll.
      for (const workerId of workers.get(queue.name) ?? []) boss.notifyWorker(workerId);
      return id;
    },

    async schedule<T>(queue: JobQueue<T>, cron: string, data: T): Promise<void> {
      const checked = queue.data.parse(data);
      await ensureQueue(queue as JobQueue<unknown>);
      await boss.schedule(queue.name, cron, checked as object, { tz: 'UTC' });
    },

    async work<T>(queue: JobQueue<T>, handler: JobHandler<T>, workOptions: { concurrency?: number } = {}): Promise<void> {
      await ensureQueue(queue as JobQueue<unknown>);
      const run = async ([job]: PgBoss.Job<unknown>[]) => {
        if (!job) return;
        const parsed = queue.data.safeParse(job.data);
        if (!parsed.success) {
          // A job this version cannot read (sent by an older or newer one): failing it keeps it
          // visible in pg-boss's tables instead of retrying it forever.
          log.error({ queue: queue.name, jobId: job.id }, 'job data does not match its queue; failed');
          throw new Error('job data does not match its queue');
        }
        // pg-boss fails an attempt at its expiry whatever the handler does; the signal tells the
        // handler to stop by then (a second early, so its own bookkeeping can still run).
        const expiry = AbortSignal.timeout(Math.max(1, job.expireInSeconds - 1) * 1000);
        await handler(parsed.data, { jobId: job.id, signal: AbortSignal.any([stopping.signal, expiry]) });
      };
      const ids: string[] = [];
      // One pg-boss worker per slot: each fetches one job at a time. pg-boss waits the polling
      // interval after every fetch, found or not, unless the worker is notified: a slot that just
      // worked a job notifies itself, so a backlog drains at the handlers' pace instead of one job
      // per slot per interval (inbound webhooks: 2 a second on four slots), and an idle slot still polls.
      for (let i = 0; i < Math.max(1, workOptions.concurrency ?? 1); i++) {
        let id = '';
        id = await boss.work(queue.name, { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async (jobs: PgBoss.Job<unknown>[]) => {
          try {
            await run(jobs);
          } finally {
            if (jobs.length > 0 && id) boss.notifyWorker(id);
          }
        });
        ids.push(id);
      }
      workers.set(queue.name, [...(workers.get(queue.name) ?? []), ...ids]);
    },

    async stop(): Promise<void> {
      if (!started) return;
      stopping.abort();
      await started.catch(() => undefined);
      await boss.stop({ graceful: true, wait: true, close: true, timeout: options.stopTimeoutMs ?? 10_000 });
      started = undefined;
    },
  };
}
