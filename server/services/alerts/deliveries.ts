import type { WebhookDeliveriesInput, WebhookDeliveryPage } from '../../../shared/integrations/alertWebhook.js';
import { webhookDeliveriesInputSchema } from '../../../shared/integrations/alertWebhook.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { listWebhookDeliveries } from '../../db/webhookDeliveries.js';
import type { AppDeps } from '../../deps.js';

const defaultPageSize = 25;

/** This partner's webhook delivery attempts (tests and alerts), newest first, keyset-paginated. */
export async function getWebhookDeliveries(deps: AppDeps, partnerId: number, input: WebhookDeliveriesInput): Promise<WebhookDeliveryPage> {
  const parsed = webhookDeliveriesInputSchema.parse(input) ?? {};
  const limit = parsed.limit ?? defaultPageSize;
  const rows = await readAsPartner(deps.db, partnerId, (q) =>
    listWebhookDeliveries(q, partnerId, { limit: limit + 1, ...(parsed.cursor ? { beforeId: Number(parsed.cursor) } : {}) }),
  );
  const items = rows.slice(0, limit);
  return {
    items: items.map((r) => ({ ...r, attemptedAt: r.attemptedAt.toISOString(), durationMs: Math.round(r.durationMs) })),
    nextCursor: rows.length > limit && items.length > 0 ? String(items[items.length - 1]?.id) : null,
  };
}
