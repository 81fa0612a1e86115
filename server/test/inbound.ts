import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inboundHeaders } from '../../shared/integrations/inboundWebhooks.js';
import { signWebhook } from '../services/alerts/signature.js';

/** What a sender sets on one delivery, signed with `secret` (tests can break any part). */
export function signedHeaders(secret: string, body: string, options: { timestamp?: number; deliveryId?: string } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    [inboundHeaders.timestamp]: String(timestamp),
    [inboundHeaders.signature]: signWebhook(secret, timestamp, body),
    [inboundHeaders.deliveryId]: options.deliveryId ?? randomUUID(),
  };
}

/** Posts one delivery to an inbound path through `app.inject`. */
export function postInbound(app: FastifyInstance, path: string, body: string, headers: Record<string, string>) {
  return app.inject({ method: 'POST', url: path, headers, payload: body });
}
