/**
 * What went wrong talking to a vendor, as a small closed set of kinds. Plugins map kinds to
 * health (auth → Error, 429/5xx/timeouts → Degraded …); nothing here ever holds a credential,
 * a request header or a response body, so a VendorError can be logged or shown as it is.
 */
export const vendorErrorKinds = [
  /** 401 */
  'unauthorized',
  /** 403 */
  'forbidden',
  /** 404 */
  'not_found',
  /** 3xx: we never follow redirects (a redirect could carry the Authorization header elsewhere). */
  'redirect',
  /** Any other 4xx. */
  'client_error',
  /** 429 from the vendor, or this server's own per-vendor budget is used up (`local`). */
  'rate_limited',
  /** 5xx after the retries. */
  'server_error',
  /** No complete answer within the per-request timeout or the caller's budget. */
  'timeout',
  /** The host name does not exist (ENOTFOUND). A temporary DNS failure is `network`. */
  'dns',
  /** Connection refused, reset, TLS failure, temporary DNS failure … */
  'network',
  /** The network guard refused the target address (private, loopback, metadata …). */
  'blocked',
  /** The body exceeded the response size cap and was cut off. */
  'too_large',
  /** A 2xx whose body is not JSON, or not the JSON shape the API documents. */
  'invalid_response',
  /** The caller cancelled (e.g. the server is stopping). */
  'aborted',
] as const;
export type VendorErrorKind = (typeof vendorErrorKinds)[number];

export interface VendorErrorDetails {
  vendor: string;
  /** What was called, e.g. "GET /me"; never carries a query string. */
  operation: string;
  status?: number;
  /** The vendor's own short message from an error body, already stripped of known secrets. */
  vendorMessage?: string;
  /**
   * The vendor's machine-readable error code from an error body, when it sent one: OAuth2's
   * `error` (`invalid_scope`, `invalid_grant` …, RFC 6749 §5.2) or a Bot Framework / Graph
   * `error.code` (`BotNotInConversationRoster`). A short identifier, never free text.
   */
  vendorCode?: string;
  /** How long the vendor asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number;
  /** The timeout that fired, for `timeout`. */
  timeoutMs?: number;
  /** The size cap that was exceeded, for `too_large`. */
  limitBytes?: number;
  /** A system error code (ECONNREFUSED, ENOTFOUND …) for `network` and `dns`. */
  code?: string;
  /** For `rate_limited`: this server's own limiter refused, the vendor was not asked. */
  local?: boolean;
  /** For `invalid_response`: what was wrong, in our words. */
  reason?: string;
}

/** A failed vendor call. The message is built from the allow-listed details only. */
export class VendorError extends Error {
  override name = 'VendorError';
  readonly kind: VendorErrorKind;
  readonly details: VendorErrorDetails;

  constructor(kind: VendorErrorKind, details: VendorErrorDetails) {
    super(`${details.vendor} ${details.operation}: ${kind}${details.status ? ` (HTTP ${details.status})` : ''}${details.code ? ` ${details.code}` : ''}`);
    this.kind = kind;
    this.details = details;
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** The kind for a final (non-retried or retries exhausted) HTTP status outside 2xx. */
export function kindForStatus(status: number): VendorErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 300 && status < 400) return 'redirect';
  return 'client_error';
}
