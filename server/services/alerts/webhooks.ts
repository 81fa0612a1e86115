import { AppError } from '../../../shared/errors.js';
import type { SetWebhookInput, Webhook, WebhookTestOutput, WebhookView } from '../../../shared/integrations/health.js';
import type { WebhookSaved } from '../../../shared/integrations/alertWebhook.js';
import { webhookSecretMinLength } from '../../../shared/integrations/health.js';
import { keepsStoredSecret } from '../../../shared/integrations/fields.js';
import { withPartner } from '../../db/pool.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { deleteWebhook, findWebhook, upsertWebhook, type WebhookRow } from '../../db/webhooks.js';
import type { AppDeps } from '../../deps.js';
import { assertAllowedUrl, createGuardedAgent, type ResolveAll } from '../../integrations/netGuard.js';
import type { AuditActor } from '../integrations/actor.js';
import { insertWebhookDelivery } from '../../db/webhookDeliveries.js';
import { sendWebhook, webhookPortProblem } from './send.js';
import { webhookDeliveries } from '../../metrics/metrics.js';
import { decryptWebhookSecret, encryptWebhookSecret, generateWebhookSecret } from './webhookSecret.js';

const view = (row: WebhookRow | undefined): WebhookView => ({
  webhook: row
    ? {
        url: row.url,
        enabled: row.enabled,
        secret: { isSet: true, last4: row.secret.last4 },
        version: row.version,
        updatedAt: row.updatedAt.toISOString(),
      }
    : null,
});

const invalid = (field: 'url' | 'secret', message: string) => new AppError('VALIDATION_FAILED', 'The webhook is not valid', { fields: { [field]: [message] } });

/** The partner's webhook, secret shown only as `{isSet, last4}`. */
export async function getWebhook(deps: AppDeps, partnerId: number): Promise<WebhookView> {
  return view(await readAsPartner(deps.db, partnerId, (q) => findWebhook(q, partnerId)));
}

/**
 * Sets the partner's webhook. The URL is partner-supplied, so it must pass the network guard
 * (no loopback, private, link-local or metadata address unless INTEGRATIONS_ALLOW_PRIVATE_NETWORK;
 * delivery checks again at connection time). The secret is encrypted under the key ring.
 *
 * The signing secret: on create without one, the server generates it and answers it once in
 * `revealedSecret` (the screen's path). A caller-supplied secret is still accepted, as before
 * issue 22 (scripts that set their own keep working; they know it, so nothing is revealed). On an
 * edit, a secret sent blank, as the mask or not at all keeps the stored one.
 */
export async function setWebhook(deps: AppDeps, partnerId: number, actor: AuditActor, input: SetWebhookInput, resolve?: ResolveAll): Promise<WebhookSaved> {
  try {
    await assertAllowedUrl(input.url, { allowPrivateNetwork: deps.config.allowPrivateNetwork }, resolve);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw invalid('url', 'The host name does not resolve');
    throw invalid('url', error instanceof Error && code === 'EBLOCKEDADDRESS' ? error.message : 'Use an http(s) URL without a user name or password');
  }
  const portProblem = webhookPortProblem(input.url, deps.config.webhookPorts);
  if (portProblem) throw invalid('url', portProblem);
  const supplied = input.secret === undefined || keepsStoredSecret(input.secret) ? undefined : input.secret;
  if (supplied !== undefined && supplied.length < webhookSecretMinLength) throw invalid('secret', `At least ${webhookSecretMinLength} characters`);
  // Generated up front (outside the transaction) and used only when nothing is stored yet.
  const generated = supplied === undefined ? generateWebhookSecret() : undefined;
  let revealed: string | null = null;
  const row = await withPartner(deps.db, partnerId, async (tx) => {
    const current = await findWebhook(tx, partnerId, { lock: true });
    let secret = supplied === undefined ? current?.secret : encryptWebhookSecret(deps.secrets, partnerId, supplied);
    if (!secret && generated) {
      secret = encryptWebhookSecret(deps.secrets, partnerId, generated);
      revealed = generated;
    }
    if (!secret) throw invalid('secret', 'A signing secret is required');
    return upsertWebhook(tx, partnerId, { url: input.url, secret, enabled: input.enabled ?? current?.enabled ?? true, userId: actor.userId });
  });
  return { ...(view(row).webhook as Webhook), revealedSecret: revealed };
}

/**
 * Replaces the signing secret with a new server-generated one, answered once in
 * `revealedSecret`. Deliveries from now on (including retries of older alerts) are signed with it.
 */
export async function rotateWebhookSecret(deps: AppDeps, partnerId: number, actor: AuditActor): Promise<WebhookSaved> {
  const secret = generateWebhookSecret();
  const row = await withPartner(deps.db, partnerId, async (tx) => {
    const current = await findWebhook(tx, partnerId, { lock: true });
    if (!current) throw new AppError('NOT_FOUND', 'No webhook is set');
    return upsertWebhook(tx, partnerId, { url: current.url, secret: encryptWebhookSecret(deps.secrets, partnerId, secret), enabled: current.enabled, userId: actor.userId });
  });
  return { ...(view(row).webhook as Webhook), revealedSecret: secret };
}

export async function clearWebhook(deps: AppDeps, partnerId: number): Promise<{ deleted: boolean }> {
  return { deleted: await withPartner(deps.db, partnerId, (tx) => deleteWebhook(tx, partnerId)) };
}

/** Sends a `webhook.test` event to the stored webhook now, once, and says what happened. */
export async function testWebhook(deps: AppDeps, partnerId: number): Promise<WebhookTestOutput> {
  const row = await readAsPartner(deps.db, partnerId, (q) => findWebhook(q, partnerId));
  if (!row) throw new AppError('NOT_FOUND', 'No webhook is set');
  const agent = createGuardedAgent({ allowPrivateNetwork: deps.config.allowPrivateNetwork });
  const attemptedAt = new Date();
  const started = performance.now();
  try {
    const outcome = await sendWebhook(
      { url: row.url, secret: decryptWebhookSecret(deps.secrets, partnerId, row.secret) },
      {
        event: 'webhook.test',
        id: `test-${Date.now()}`,
        partnerId,
        integrationKey: null,
        kind: null,
        fromStatus: null,
        toStatus: null,
        health: null,
        message: 'A test event from Integration Center',
        occurredAt: new Date().toISOString(),
      },
      { dispatcher: agent, ports: deps.config.webhookPorts, timeoutMs: 10_000 },
    );
    const durationMs = performance.now() - started;
    webhookDeliveries.inc({ kind: 'test', outcome: outcome.delivered ? 'delivered' : 'failed' });
    await withPartner(deps.db, partnerId, (tx) =>
      insertWebhookDelivery(tx, partnerId, {
        kind: 'test', alertId: null, event: 'webhook.test', attempt: 1, attemptedAt, durationMs,
        delivered: outcome.delivered, httpStatus: outcome.status, error: outcome.error,
      }),
    );
    return outcome;
  } finally {
    await agent.close();
  }
}
