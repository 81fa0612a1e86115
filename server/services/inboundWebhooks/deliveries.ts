import { AppError } from '../../../shared/errors.js';
import type { InboundDeliveriesQuery, InboundDeliveryPage, InboundReplayInput, InboundReplayOutput } from '../../../shared/integrations/inboundWebhooks.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { findDeliveryStatus, finishAttempt, listDeliveries, reviveDelivery } from '../../db/inboundWebhooks.js';
import { cursorOf } from '../../db/interactionLog.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { AuditActor } from '../integrations/actor.js';
import { notConfiguredError, readConfig, requireIntegration } from '../integrations/lookup.js';
import { inboundQueue } from './process.js';

const defaultPageSize = 50;

/** The integration's deliveries, newest first (keyset on received time and id), bodies left out. */
export async function listInboundDeliveries(deps: AppDeps, partnerId: number, input: InboundDeliveriesQuery): Promise<InboundDeliveryPage> {
  requireIntegration(deps.registry, input.key);
  if (!(await readConfig(deps.db, partnerId, input.key))) throw notConfiguredError();
  const limit = input.limit ?? defaultPageSize;
  const [ms, id] = input.cursor?.split('.').map(Number) ?? [];
  const cursor = ms !== undefined && id !== undefined ? { at: new Date(ms), id } : undefined;
  const rows = await readAsPartner(deps.db, partnerId, (q) => listDeliveries(q, partnerId, input.key, { status: input.status, cursor, limit }));
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      deliveryId: r.deliveryId,
      status: r.status,
      attempts: r.attempts,
      lastError: r.lastError,
      bytes: r.bytes,
      receivedAt: r.receivedAt.toISOString(),
      processedAt: r.processedAt?.toISOString() ?? null,
      replayedAt: r.replayedAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > limit && last ? cursorOf({ at: last.receivedAt, id: last.id }) : null,
  };
}

/**
 * Puts a dead delivery back on the queue for a fresh round of attempts (audited). Only a dead one:
 * a delivery still being retried or already processed is a 409, another partner's (or an unknown
 * id) a 404.
 */
export async function replayInboundDelivery(deps: AppDeps, partnerId: number, actor: AuditActor, input: InboundReplayInput): Promise<InboundReplayOutput> {
  requireIntegration(deps.registry, input.key);
  await withPartner(deps.db, partnerId, async (tx) => {
    const deliveryId = await reviveDelivery(tx, partnerId, input.key, input.id, actor.userId);
    if (deliveryId === undefined) {
      const status = await findDeliveryStatus(tx, partnerId, input.key, input.id);
      if (!status) throw new AppError('NOT_FOUND', 'There is no such delivery');
      throw new AppError('CONFLICT', status === 'processed' ? 'This delivery was processed already' : 'This delivery is still being retried');
    }
    await insertAuditLog(tx, partnerId, { integrationKey: input.key, action: 'inbound_replayed', userId: actor.userId, actor: actor.actor, details: { message: `Delivery ${deliveryId}` } });
  });
  try {
    await deps.jobs.send(inboundQueue(deps.config), { partnerId, id: input.id });
  } catch (error) {
    // Not queued: back to the dead list, so it can be replayed again rather than wait forever.
    await withPartner(deps.db, partnerId, (tx) => finishAttempt(tx, partnerId, input.id, { status: 'dead', error: 'The replay could not be queued; try again' }));
    throw error;
  }
  return { id: input.id, status: 'received' };
}
