import type { Dispatcher } from 'undici';
import { claimDueDeliveries, dropOrphanDeliveries, finishDelivery, type ClaimedDelivery } from '../../db/alerts.js';
import { withSystem } from '../../db/pool.js';
import { isDatabaseUnreachable } from '../../db/unreachable.js';
import { insertWebhookDelivery } from '../../db/webhookDeliveries.js';
import type { AppDeps } from '../../deps.js';
import { createGuardedAgent } from '../../integrations/netGuard.js';
import { sendWebhook, type WebhookEvent } from './send.js';
import { decryptWebhookSecret } from './webhookSecret.js';
import { webhookDeliveries } from '../../metrics/metrics.js';
import { releaseEndedWindows } from '../maintenance/release.js';

export interface DelivererOptions {
  /** Deliveries in flight at once (default 8). */
  concurrency?: number;
  pollMs?: number;
  /** First retry delay; each further one is 4× longer, capped at `maxBackoffMs` (defaults 30 s, 1 h). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts before an alert's delivery is marked failed (default 8: about 4 hours with the defaults). */
  maxAttempts?: number;
  timeoutMs?: number;
  /**
   * How long a claimed delivery is this deliverer's before another round may take it again
   * (default: twice the timeout plus 30 s). A claim whose recording never happened (the database
   * went away mid-attempt) is retried when it ends.
   */
  leaseMs?: number;
  /** How to connect (default: the network guard with INTEGRATIONS_ALLOW_PRIVATE_NETWORK). */
  dispatcher?: Dispatcher;
}

export interface WebhookDeliverer {
  start(): void;
  /** Looks for due deliveries now instead of at the next poll. */
  nudge(): void;
  /** Delivers everything due now (tests, CLI); resolves when those attempts are done. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export function alertEvent(a: Pick<ClaimedDelivery, 'id' | 'partnerId' | 'integrationKey' | 'kind' | 'fromStatus' | 'toStatus' | 'health' | 'message' | 'createdAt'>): WebhookEvent {
  return {
    event: `alert.${a.kind}`,
    id: String(a.id),
    partnerId: a.partnerId,
    integrationKey: a.integrationKey,
    kind: a.kind,
    fromStatus: a.fromStatus,
    toStatus: a.toStatus,
    health: a.health,
    message: a.message,
    occurredAt: a.createdAt.toISOString(),
  };
}

/**
 * Sends alerts to partners' webhooks. The queue is the alerts table itself (delivery_state
 * 'pending', next_delivery_at), claimed with SKIP LOCKED and a lease like the health schedule, so
 * retries survive a restart and N instances deliver each alert once (a receiver may still see a
 * retry of an attempt whose answer was lost; the `X-IC-Delivery` id lets it drop those).
 */
export function createWebhookDeliverer(deps: AppDeps, options: DelivererOptions = {}): WebhookDeliverer {
  const concurrency = options.concurrency ?? 8;
  const pollMs = options.pollMs ?? 2_000;
  const backoffMs = options.backoffMs ?? 30_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60 * 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const ownAgent = options.dispatcher ? undefined : createGuardedAgent({ allowPrivateNetwork: deps.config.allowPrivateNetwork });
  const dispatcher = options.dispatcher ?? (ownAgent as Dispatcher);
  const leaseMs = options.leaseMs ?? 2 * timeoutMs + 30_000;
  const log = deps.log.child({ component: 'webhook-deliverer' });

  let stopped = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function deliver(d: ClaimedDelivery): Promise<void> {
    const event = alertEvent(d);
    const attemptedAt = new Date();
    const started = performance.now();
    let outcome;
    try {
      outcome = await sendWebhook({ url: d.url, secret: decryptWebhookSecret(deps.secrets, d.partnerId, d.secret) }, event, { dispatcher, ports: deps.config.webhookPorts, timeoutMs });
    } catch {
      outcome = { delivered: false, status: null, error: 'The webhook secret could not be decrypted on this server' };
    }
    const durationMs = performance.now() - started;
    const retryAt = d.deliveryAttempts >= maxAttempts ? null : new Date(Date.now() + Math.min(backoffMs * 4 ** (d.deliveryAttempts - 1), maxBackoffMs));
    // The alert's state and the attempt's row together: the deliveries list never shows an
    // attempt the alert does not count, nor the reverse.
    await withSystem(deps.db, async (tx) => {
      await finishDelivery(tx, d.partnerId, d.id, outcome.delivered ? { delivered: true } : { delivered: false, error: outcome.error ?? 'not delivered', retryAt });
      await insertWebhookDelivery(tx, d.partnerId, {
        kind: 'alert', alertId: d.id, event: event.event, attempt: d.deliveryAttempts, attemptedAt, durationMs,
        delivered: outcome.delivered, httpStatus: outcome.status, error: outcome.error,
      });
    });
    // Never the URL, body or secret: the alert id and partner say which one it was.
    webhookDeliveries.inc({ kind: 'alert', outcome: outcome.delivered ? 'delivered' : 'failed' });
    if (!outcome.delivered) log.warn({ partnerId: d.partnerId, alertId: d.id, attempt: d.deliveryAttempts, status: outcome.status, willRetry: retryAt !== null }, 'webhook delivery failed');
  }

  async function round(): Promise<number> {
    // Maintenance windows that are over release their state first (issue 18 §4), so the alert a
    // release raises goes out in this same round. Its own failure must not stop deliveries.
    await releaseEndedWindows(deps).catch((error: unknown) =>
      log[isDatabaseUnreachable(error) ? 'warn' : 'error']({ errorType: error instanceof Error ? error.name : typeof error }, 'releasing ended maintenance windows failed; retrying next round'),
    );
    await withSystem(deps.db, (tx) => dropOrphanDeliveries(tx));
    const due = await withSystem(deps.db, (tx) => claimDueDeliveries(tx, concurrency, leaseMs));
    // The database being down is an outage (a warning, as for requests), not a bug.
    await Promise.all(due.map((d) => deliver(d).catch((error: unknown) => log[isDatabaseUnreachable(error) ? 'warn' : 'error']({ errorType: error instanceof Error ? error.name : typeof error, alertId: d.id }, 'recording a webhook delivery failed'))));
    return due.length;
  }

  async function runLoop() {
    while (!stopped) {
      try {
        const n = await round();
        if (n === concurrency) continue;
      } catch (error) {
        log[isDatabaseUnreachable(error) ? 'warn' : 'error']({ errorType: error instanceof Error ? error.name : typeof error }, 'webhook delivery round failed; retrying');
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    }
  }

  return {
    start() {
      if (!loop && !stopped) loop = runLoop();
    },
    nudge: () => wake?.(),
    async drain() {
      let total = 0;
      for (;;) {
        const n = await round();
        total += n;
        if (n < concurrency) return total;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await ownAgent?.close();
    },
  };
}
