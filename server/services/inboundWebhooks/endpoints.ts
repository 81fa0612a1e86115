import type { InboundEndpoint, InboundEndpointCreated, InboundEndpointView } from '../../../shared/integrations/inboundWebhooks.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { deleteEndpoint, findEndpoint, upsertEndpoint, type EndpointRow } from '../../db/inboundWebhooks.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { generateWebhookSecret } from '../alerts/webhookSecret.js';
import type { AuditActor } from '../integrations/actor.js';
import { notConfiguredError, readConfig, requireIntegration } from '../integrations/lookup.js';
import { encryptInboundSecret, generateEndpointId, inboundPath } from './secret.js';

const view = (deps: AppDeps, row: EndpointRow, lastDeliveryAt: Date | null): InboundEndpoint => {
  const path = inboundPath(row.endpointId);
  return {
    path,
    url: deps.config.publicBaseUrl ? `${deps.config.publicBaseUrl}${path}` : null,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    lastDeliveryAt: lastDeliveryAt?.toISOString() ?? null,
  };
};

/** A key the registry knows and this partner has configured, else the same 404 for everyone. */
async function requireConfigured(deps: AppDeps, partnerId: number, key: string): Promise<void> {
  requireIntegration(deps.registry, key);
  if (!(await readConfig(deps.db, partnerId, key))) throw notConfiguredError();
}

/** The integration's inbound URL (path, full URL when known, when made, last delivery); never the secret. */
export async function getInboundEndpoint(deps: AppDeps, partnerId: number, key: string): Promise<InboundEndpointView> {
  await requireConfigured(deps, partnerId, key);
  const row = await readAsPartner(deps.db, partnerId, (q) => findEndpoint(q, partnerId, key));
  return { endpoint: row ? view(deps, row, row.lastDeliveryAt) : null };
}

/**
 * Creates the inbound URL with a new secret, or, when it exists, replaces its secret (the URL
 * stays, so senders change one value). The secret is answered here once and never again; from
 * now on only it verifies deliveries. Audited as created or rotated.
 */
export async function createOrRotateInboundEndpoint(deps: AppDeps, partnerId: number, actor: AuditActor, key: string): Promise<InboundEndpointCreated> {
  await requireConfigured(deps, partnerId, key);
  const secret = generateWebhookSecret();
  const row = await withPartner(deps.db, partnerId, async (tx) => {
    const saved = await upsertEndpoint(tx, partnerId, { key, endpointId: generateEndpointId(), secret: encryptInboundSecret(deps.secrets, partnerId, key, secret), userId: actor.userId });
    await insertAuditLog(tx, partnerId, { integrationKey: key, action: saved.created ? 'inbound_created' : 'inbound_rotated', userId: actor.userId, actor: actor.actor, details: {} });
    return saved;
  });
  const current = await readAsPartner(deps.db, partnerId, (q) => findEndpoint(q, partnerId, key));
  return { ...view(deps, row, current?.lastDeliveryAt ?? null), secret };
}

/** Removes the URL, its secret and its deliveries: the old URL answers 404 from now on. */
export async function deleteInboundEndpoint(deps: AppDeps, partnerId: number, actor: AuditActor, key: string): Promise<{ deleted: boolean }> {
  await requireConfigured(deps, partnerId, key);
  const deleted = await withPartner(deps.db, partnerId, async (tx) => {
    const removed = await deleteEndpoint(tx, partnerId, key);
    if (removed) await insertAuditLog(tx, partnerId, { integrationKey: key, action: 'inbound_deleted', userId: actor.userId, actor: actor.actor, details: {} });
    return removed;
  });
  return { deleted };
}
