import { z } from 'zod';
import { integrationKeyParamSchema } from './api.js';

/**
 * Issue 18 §5: inbound webhooks. Each configured integration of a partner may have one inbound
 * URL, `POST /api/inbound/<opaque id>`, with a server-generated signing secret shown once (on
 * create and on rotate). Deliveries are signed like the alert webhooks the server sends
 * (`X-IC-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`), stored before they
 * are acknowledged, processed on the job engine with retries, and parked as dead after the last
 * retry until an admin replays them.
 */

/** The headers a sender sets (lower case, as Node reads them). */
export const inboundHeaders = {
  timestamp: 'x-ic-timestamp',
  signature: 'x-ic-signature',
  deliveryId: 'x-ic-delivery-id',
} as const;

/** Deliveries larger than this are refused with 413 before anything is read into the database. */
export const inboundBodyLimitBytes = 256 * 1024;
/** A delivery whose timestamp is further than this from the server's clock is refused (401). */
export const inboundToleranceSeconds = 300;
/** The sender's delivery id: what makes a second copy recognisable. */
export const inboundDeliveryIdPattern = /^[A-Za-z0-9._:-]{1,100}$/;

export const inboundDeliveryStatuses = ['received', 'processed', 'dead'] as const;
export const inboundDeliveryStatusSchema = z.enum(inboundDeliveryStatuses);
export type InboundDeliveryStatus = z.infer<typeof inboundDeliveryStatusSchema>;

export const inboundKeyInputSchema = z.strictObject({ key: integrationKeyParamSchema });

/** The URL as partners see it; never the secret. */
export const inboundEndpointSchema = z.object({
  /** `/api/inbound/<id>`: append to the server's public address. */
  path: z.string(),
  /** The full URL when the server knows its public address (PUBLIC_BASE_URL), else null. */
  url: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** When the secret was last replaced; null if never. */
  rotatedAt: z.iso.datetime().nullable(),
  lastDeliveryAt: z.iso.datetime().nullable(),
});
export type InboundEndpoint = z.infer<typeof inboundEndpointSchema>;

export const inboundEndpointViewSchema = z.object({ endpoint: inboundEndpointSchema.nullable() });
export type InboundEndpointView = z.infer<typeof inboundEndpointViewSchema>;

/** Create and rotate answer the secret, once: it is never readable again. */
export const inboundEndpointCreatedSchema = inboundEndpointSchema.extend({ secret: z.string() });
export type InboundEndpointCreated = z.infer<typeof inboundEndpointCreatedSchema>;

export const inboundDeleteOutputSchema = z.object({ deleted: z.boolean() });

const pageSize = z
  .union([z.number(), z.string().regex(/^[0-9]{1,4}$/, 'Must be a whole number').transform(Number)])
  .pipe(z.number().int('Must be a whole number').min(1, 'Must be at least 1').max(200, 'Must be at most 200'));

export const inboundDeliveriesInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  status: inboundDeliveryStatusSchema.optional(),
  /** The previous page's `nextCursor` (newest first). */
  cursor: z.string().regex(/^[0-9]{1,15}\.[0-9]{1,15}$/, 'Not a cursor this list gave').optional(),
  limit: pageSize.optional(),
});
export type InboundDeliveriesInput = z.input<typeof inboundDeliveriesInputSchema>;
/** The same, parsed (limit a number). */
export type InboundDeliveriesQuery = z.output<typeof inboundDeliveriesInputSchema>;

export const inboundDeliverySchema = z.object({
  id: z.number().int(),
  deliveryId: z.string(),
  status: inboundDeliveryStatusSchema,
  attempts: z.number().int(),
  /** Why the last attempt failed (the plugin's message, capped); null when none failed. */
  lastError: z.string().nullable(),
  /** The body's size in bytes (the body itself is not listed). */
  bytes: z.number().int(),
  receivedAt: z.iso.datetime(),
  processedAt: z.iso.datetime().nullable(),
  replayedAt: z.iso.datetime().nullable(),
});
export type InboundDelivery = z.infer<typeof inboundDeliverySchema>;

export const inboundDeliveryPageSchema = z.object({
  items: z.array(inboundDeliverySchema),
  nextCursor: z.string().nullable(),
});
export type InboundDeliveryPage = z.infer<typeof inboundDeliveryPageSchema>;

export const inboundReplayInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  id: z.coerce.number('Choose a delivery').int('Choose a delivery').positive('Choose a delivery').max(2_147_483_647, 'There is no such delivery'),
});
export type InboundReplayInput = z.infer<typeof inboundReplayInputSchema>;

/** A replayed delivery is waiting for its first new attempt. */
export const inboundReplayOutputSchema = z.object({ id: z.number().int(), status: z.literal('received') });
export type InboundReplayOutput = z.infer<typeof inboundReplayOutputSchema>;
