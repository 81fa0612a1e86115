import { z } from 'zod';
import { beginAttempt, finishAttempt } from '../../db/inboundWebhooks.js';
import { insertInteractions } from '../../db/interactionLog.js';
import { writeAsPartner } from '../../db/partnerRead.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { JobContext, JobQueue } from '../../jobs/engine.js';
import type { Config } from '../../config.js';
import { onInboundDelivery } from '../automations/triggers.js';
import { redactBody } from '../interactions/redact.js';
import { readConfig } from '../integrations/lookup.js';
import { oauthFor, pluginConfig } from '../integrations/pluginConfig.js';
import { pluginSettings, redactSecrets } from '../integrations/settings.js';

/** A processing job names its delivery; the body is read from the partner's table when it runs. */
export const inboundJobSchema = z.object({
  partnerId: z.number().int().positive(),
  id: z.number().int().positive(),
});
export type InboundJob = z.infer<typeof inboundJobSchema>;

/**
 * Inbound deliveries are processed on the job engine: a failed attempt is retried by pg-boss
 * after INBOUND_WEBHOOK_RETRY_DELAY, doubling; the delivery's own row counts the attempts, and
 * the attempt that finds none left parks it as dead instead of throwing.
 */
export const inboundQueue = (config: Pick<Config, 'inboundWebhooks'>): JobQueue<InboundJob> => ({
  name: 'inbound-webhook',
  data: inboundJobSchema,
  retryLimit: config.inboundWebhooks.retries,
  retryDelaySeconds: config.inboundWebhooks.retryDelaySeconds,
  expireInSeconds: 5 * 60,
});

/** The interaction log's one row per processed (or dead) delivery: the inbound direction of issue 15's log. */
function logRow(partnerId: number, id: number, work: { integrationKey: string; attempts: number }, payload: unknown, outcome: { ok: boolean; error: string | null; durationMs: number }) {
  const body = redactBody(payload, []);
  return {
    partnerId,
    integrationKey: work.integrationKey,
    actionId: 'inbound',
    kind: 'webhook',
    direction: 'inbound' as const,
    externalRef: `inbound_delivery:${id}`,
    method: 'POST',
    // The URL's id is left out: it is half of what a sender needs.
    path: '/api/inbound/{endpoint}',
    host: 'inbound',
    status: outcome.ok ? 200 : null,
    durationMs: outcome.durationMs,
    retries: Math.max(0, work.attempts - 1),
    outcome: outcome.ok ? 'ok' : 'failed',
    errorKind: outcome.ok ? null : 'inbound_handler',
    userId: null,
    requestBody: body?.value ?? null,
    responseBody: null,
    requestTruncated: body?.truncated ?? false,
    responseTruncated: false,
    at: new Date(),
  };
}

const parsePayload = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
};

/**
 * One attempt at a delivery: count it, hand the event to the plugin's `inbound` hook (if it has
 * one), then record the outcome and an interaction log row together. A failure throws (pg-boss
 * retries) unless it was the last attempt, which marks the delivery dead. A delivery already
 * processed or dead (a duplicate or late job) is left alone.
 */
export async function processInboundDelivery(deps: AppDeps, job: InboundJob, ctx: Pick<JobContext, 'signal'>): Promise<void> {
  const { partnerId, id } = job;
  const work = await writeAsPartner(deps.db, partnerId, (q) => beginAttempt(q, partnerId, id));
  if (!work) return;
  const maxAttempts = deps.config.inboundWebhooks.retries + 1;
  const payload = parsePayload(work.body);
  const started = performance.now();
  let error: string | null = null;
  const integration = deps.registry.get(work.integrationKey);
  const hook = integration?.plugin.inbound;
  if (integration && hook) {
    const config = await readConfig(deps.db, partnerId, work.integrationKey);
    const settings = config ? pluginSettings(deps.secrets, integration, partnerId, config.settings) : {};
    try {
      await hook(
        { deliveryId: work.deliveryId, payload, receivedAt: work.receivedAt, attempt: work.attempts },
        {
          partnerId,
          settings,
          config: pluginConfig(deps.config),
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(deps.pluginTimeoutMs)]),
          log: deps.log.child({ integration: work.integrationKey, inboundDelivery: id }),
          ...oauthFor(deps, integration, partnerId, settings),
        },
      );
    } catch (thrown) {
      // The plugin's message, with any of the partner's secrets taken out, for the admin's list.
      error = redactSecrets(thrown instanceof Error ? thrown.message : 'The handler failed', integration, settings) || 'The handler failed';
    }
  }
  const durationMs = performance.now() - started;
  const last = work.attempts >= maxAttempts;
  const status = error === null ? 'processed' : last ? 'dead' : 'received';
  await withPartner(deps.db, partnerId, async (tx) => {
    await finishAttempt(tx, partnerId, id, { status, error });
    // One log row per outcome that ends a round: processed, or dead after the last retry.
    if (status !== 'received') await insertInteractions(tx, [logRow(partnerId, id, work, payload, { ok: error === null, error, durationMs })]);
  });
  // Issue 23: automations triggered by this integration's webhooks, once per processed delivery.
  if (status === 'processed') await onInboundDelivery(deps, partnerId, { integrationKey: work.integrationKey, deliveryId: work.deliveryId, receivedAt: work.receivedAt, payload });
  if (status === 'received') throw new Error(`inbound delivery ${id}: attempt ${work.attempts} of ${maxAttempts} failed`);
}

/** Works the queue: the one line in server/jobs/workers.ts. */
export async function startInboundWorkers(deps: AppDeps): Promise<void> {
  await deps.jobs.work(inboundQueue(deps.config), (job, ctx) => processInboundDelivery(deps, job, ctx), { concurrency: 4 });
}
