import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of a signed webhook delivery. */
export const webhookHeaders = {
  timestamp: 'x-ic-timestamp',
  signature: 'x-ic-signature',
  event: 'x-ic-event',
  delivery: 'x-ic-delivery',
} as const;

/**
 * The signature of one delivery: `sha256=` + hex HMAC-SHA256 over `<timestamp>.<raw body>` with
 * the partner's webhook secret. The timestamp (Unix seconds) is signed too, so a captured
 * delivery cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (documented in docs/health-monitoring.md): recompute the signature over
 * the raw body, compare in constant time, and refuse timestamps older (or newer) than the
 * tolerance, default 5 minutes.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): boolean {
  if (!input.timestamp || !input.signature || !/^[0-9]{1,12}$/.test(input.timestamp)) return false;
  const timestamp = Number(input.timestamp);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
