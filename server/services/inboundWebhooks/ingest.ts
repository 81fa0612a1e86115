import type { ApiErrorBody, ErrorCode } from '../../../shared/errors.js';
import { inboundDeliveryIdPattern, inboundHeaders, inboundToleranceSeconds } from '../../../shared/integrations/inboundWebhooks.js';
import { hit, type RateLimitRule } from '../../auth/rateLimit.js';
import { deleteDelivery, findEndpointById, insertDelivery } from '../../db/inboundWebhooks.js';
import { writeAsPartner } from '../../db/partnerRead.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { verifyWebhookSignature } from '../alerts/signature.js';
import { inboundQueue } from './process.js';
import { decryptInboundSecret } from './secret.js';

/** What the HTTP route answers: a status and a JSON body (the API's error shape for refusals). */
export interface IngestAnswer {
  status: number;
  body: { id: string; status: 'received' } | { error: ApiErrorBody };
  retryAfterSeconds?: number;
}

export interface IngestRequest {
  endpointId: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body as received (the signature covers exactly these characters). */
  body: string;
  ip: string;
}

/**
 * Refusals per client address: an unknown URL or a bad signature costs the sender one hit, a
 * good delivery none, so a stranger scanning for URLs is slowed down while a busy sender is not.
 */
export const inboundRefusalLimit: RateLimitRule = { limit: 60, windowMs: 60_000 };

const endpointIdShape = /^[A-Za-z0-9_-]{43}$/;
const refusal = (status: number, code: ErrorCode, message: string, fields?: Record<string, string[]>): IngestAnswer => ({
  status,
  body: { error: { code, message, ...(fields ? { fields } : {}) } },
});
// One answer for every signature problem (missing, stale, tampered, wrong secret): nothing tells
// a forger which part was wrong.
const unauthorized = () => refusal(401, 'UNAUTHORIZED', 'Unauthorized');
const notFound = () => refusal(404, 'NOT_FOUND', 'Not found');

const header = (headers: IngestRequest['headers'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
};

/**
 * `POST /api/inbound/:endpointId` (issue 18 §5), authenticated by its signature alone:
 * an unknown URL is a 404, a signature that does not verify over `<timestamp>.<body>` with the
 * endpoint's secret (compared in constant time) or a timestamp more than 5 minutes off a 401
 * with no detail, a delivery id already received (or the same signed delivery under a new id) a
 * 409 storing nothing. An accepted delivery is stored, its processing job queued, and only then
 * answered 202. (Bodies over the cap never get here: the route refuses them with 413.)
 */
export async function acceptInboundDelivery(deps: AppDeps, req: IngestRequest): Promise<IngestAnswer> {
  const refused = async (answer: IngestAnswer): Promise<IngestAnswer> => {
    const limit = await hit(deps.db.pool, `inbound:refused:${req.ip}`, inboundRefusalLimit);
    return limit.allowed ? answer : { ...refusal(429, 'RATE_LIMITED', 'Too many refused deliveries from this address; try again later'), retryAfterSeconds: limit.retryAfterSeconds };
  };
  if (!endpointIdShape.test(req.endpointId)) return refused(notFound());
  // One statement as the connecting role, no transaction around it: the hot path's first read.
  const endpoint = await findEndpointById(deps.db.pool, req.endpointId);
  if (!endpoint) return refused(notFound());
  const { partnerId, integrationKey } = endpoint;

  const timestamp = header(req.headers, inboundHeaders.timestamp);
  const signature = header(req.headers, inboundHeaders.signature);
  const secret = decryptInboundSecret(deps.secrets, partnerId, integrationKey, endpoint.secret);
  if (!verifyWebhookSignature({ secret, body: req.body, timestamp, signature, toleranceSeconds: inboundToleranceSeconds })) return refused(unauthorized());

  const deliveryId = header(req.headers, inboundHeaders.deliveryId);
  if (!deliveryId || !inboundDeliveryIdPattern.test(deliveryId)) {
    return refusal(400, 'VALIDATION_FAILED', 'The delivery has no usable id', { 'X-IC-Delivery-Id': ['Send 1–100 letters, digits or . _ : - that differ for every delivery'] });
  }
  // Stored in one round trip (BEGIN, the partner scope, the INSERT and COMMIT pipelined).
  const id = await writeAsPartner(deps.db, partnerId, (q) =>
    insertDelivery(q, partnerId, { key: integrationKey, deliveryId, signature: signature as string, signedAt: new Date(Number(timestamp) * 1000), body: req.body }),
  );
  if (id === undefined) return refusal(409, 'CONFLICT', 'This delivery was received already');
  try {
    await deps.jobs.send(inboundQueue(deps.config), { partnerId, id });
  } catch (error) {
    // Not acknowledged, so not kept: the sender's retry (same delivery id) is then accepted anew.
    await withPartner(deps.db, partnerId, (tx) => deleteDelivery(tx, partnerId, id));
    throw error;
  }
  return { status: 202, body: { id: deliveryId, status: 'received' } };
}
