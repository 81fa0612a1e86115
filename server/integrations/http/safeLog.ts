import type { Logger } from '../../logger.js';
import type { VendorErrorKind } from './errors.js';
import { vendorCalls, vendorDuration, vendorRateLimited } from '../../metrics/metrics.js';

/**
 * Everything a vendor call may put in a log line. An allow-list by construction: there is no
 * field for headers, query strings, request or response bodies, or the vendor's own message
 * (which could echo a credential back), so none of them can reach a log.
 */
export interface VendorLogEntry {
  vendor: string;
  /** e.g. "GET /me" */
  operation: string;
  /** The URL path only; the query string is dropped before it gets here. */
  path: string;
  attempt: number;
  status?: number;
  durationMs?: number;
  errorKind?: VendorErrorKind;
  /** System error code (ECONNRESET …), never a message. */
  code?: string;
  retryInMs?: number;
}

const levels = { debug: 'debug', retry: 'warn', failed: 'warn' } as const;
const messages = { debug: 'vendor call', retry: 'vendor call will be retried', failed: 'vendor call failed' } as const;

/**
 * Writes one vendor-call line with only the allow-listed fields, and counts it in the metrics:
 * every attempt's outcome passes through here, so the figures and the log cannot disagree.
 */
export function logVendorCall(log: Logger, event: keyof typeof levels, entry: VendorLogEntry): void {
  observeVendorCall(event, entry);
  const line: VendorLogEntry = {
    vendor: entry.vendor,
    operation: entry.operation.split('?')[0] ?? '',
    path: entry.path.split('?')[0] ?? '',
    attempt: entry.attempt,
  };
  if (entry.status !== undefined) line.status = entry.status;
  if (entry.durationMs !== undefined) line.durationMs = entry.durationMs;
  if (entry.errorKind !== undefined) line.errorKind = entry.errorKind;
  if (entry.code !== undefined && /^[A-Z0-9_]{1,40}$/.test(entry.code)) line.code = entry.code;
  if (entry.retryInMs !== undefined) line.retryInMs = entry.retryInMs;
  log[levels[event]]({ vendorCall: line }, messages[event]);
}


function observeVendorCall(event: keyof typeof levels, entry: VendorLogEntry): void {
  const provider = entry.vendor;
  vendorCalls.inc({ provider, outcome: event === 'debug' ? 'ok' : event === 'retry' ? 'retried' : 'failed' });
  if (entry.durationMs !== undefined) vendorDuration.observe({ provider }, entry.durationMs / 1000);
  // A 429 is the vendor's refusal; `rate_limited` with no status is our own budget saying no first.
  if (entry.status === 429) vendorRateLimited.inc({ provider, source: 'vendor' });
  else if (entry.errorKind === 'rate_limited' && entry.status === undefined) vendorRateLimited.inc({ provider, source: 'budget' });
}
