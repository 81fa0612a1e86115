import { AppError } from '../../../shared/errors.js';
import type { SetWebhookInput, Webhook, WebhookTestOutput, WebhookView } from '../../../shared/integrations/health.js';
import { webhookSecretMinLength } from '../../../shared/integrations/health.js';
import { keepsStoredSecret } from '../../../shared/integrations/fields.js';
import { withPartner } from '../../db/pool.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { deleteWebhook, findWebhook, upsertWebhook, type WebhookRow } from '../../db/webhooks.js';
import type { AppDeps } from '../../deps.js';
import { assertAllowedUrl, createGuardedAgent, type ResolveAll } from '../../integrations/netGuard.js';
import type { AuditActor } from '../integrations/actor.js';
import { sendWebhook } from './send.js';
import { decryptWebhookSecret, encryptWebhookSecret } from './webhookSecret.js';

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
 * delivery checks again at connection time). The secret is encrypted under the key ring; sent
 * blank, as the mask or not at all, the stored one stays.
 */
export async function setWebhook(deps: AppDeps, partnerId: number, actor: AuditActor, input: SetWebhookInput, resolve?: ResolveAll): Promise<Webhook> {
  try {
    await assertAllowedUrl(input.url, { allowPrivateNetwork: deps.config.allowPrivateNetwork }, resolve);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw invalid('url', 'The host name does not resolve');
    throw invalid('url', error instanceof Error && code === 'EBLOCKEDADDRESS' ? error.message : 'Use an http(s) URL without a user name or password');
  }
  const newSecret = input.secret === undefined || keepsStoredSecret(input.secret) ? undefined : input.secret;
  if (newSecret !== undefined && newSecret.length < webhookSecretMinLength) throw invalid('secret', `At least ${webhookSecretMinLength} characters`);
  const encrypted = newSecret === undefined ? undefined : encryptWebhookSecret(deps.secrets, partnerId, newSecret);
  const row = await withPartner(deps.db, partnerId, async (tx) => {
    const current = await findWebhook(tx, partnerId, { lock: true });
    const secret = encrypted ?? current?.secret;
    if (!secret) throw invalid('secret', 'A signing secret is required');
    return upsertWebhook(tx, partnerId, { url: input.url, secret, enabled: input.enabled ?? current?.enabled ?? true, userId: actor.userId });
  });
  return view(row).webhook as Webhook;
}

export async function clearWebhook(deps: AppDeps, partnerId: number): Promise<{ deleted: boolean }> {
  return { deleted: await withPartner(deps.db, partnerId, (tx) => deleteWebhook(tx, partnerId)) };
}

/** Sends a `webhook.test` event to the stored webhook now, once, and says what happened. */
export async function testWebhook(deps: AppDeps, partnerId: number): Promise<WebhookTestOutput> {
  const row = await readAsPartner(deps.db, partnerId, (q) => findWebhook(q, partnerId));
  if (!row) throw new AppError('NOT_FOUND', 'No webhook is set');
  const agent = createGuardedAgent({ allowPrivateNetwork: deps.config.allowPrivateNetwork });
  try {
    return await sendWebhook(
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
      { dispatcher: agent, timeoutMs: 10_000 },
    );
  } finally {
    await agent.close();
  }
}
