import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import type { Logger } from '../../logger.js';
import { BlockedAddressError } from '../netGuard.js';
import type { Budget } from './budget.js';
import { kindForStatus, VendorError, type VendorErrorDetails, type VendorErrorKind } from './errors.js';
import { currentInteraction } from './interactionScope.js';
import { RateLimiter, type RateLimit, type RatePriority } from './rateLimiter.js';
import { recordCall, type CallTrace } from './recordCall.js';
import { readCapped } from './readBody.js';
import { backoffDelay, defaultRetryPolicy, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retryPolicy.js';
import { redactSecrets } from './redactSecrets.js';
import { logVendorCall } from './safeLog.js';
import { extractVendorCode, extractVendorMessage } from './vendorMessage.js';

/** How one vendor is called; every plugin builds its client from these. */
export interface VendorClientOptions {
  /** Display name used in messages and logs, e.g. "Syncro". */
  vendor: string;
  /** Per vendor, applied per host: see each plugin for the figure it uses and why. */
  rateLimit: RateLimit;
  /** TCP + TLS handshake limit. Default 5 s. */
  connectTimeoutMs?: number;
  /** Limit for one attempt, from sending to the last body byte. Default 10 s. */
  requestTimeoutMs?: number;
  /** Largest 2xx body accepted; longer ones are cut off (`too_large`). Default 4 MiB. */
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** E.g. a network-guarded agent for partner-supplied URLs. Default: an agent of our own. */
  dispatcher?: Dispatcher;
  /** Jitter source, for tests. */
  random?: () => number;
}

/**
 * The `reason` of an `invalid_response` whose 2xx body is an HTML page: typically a web app's
 * front end answering for a host that should have been its API (a single-page app's server
 * returns index.html for every path), which a plugin may want to word as a wrong address.
 */
export const htmlBodyReason = 'an HTML page, not JSON';

export interface VendorRequest {
  /** PATCH: some vendors read with it (Tactical RMM's alert list takes its filter as a PATCH body). */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: URL;
  /** What is called, for messages and logs: "GET /me". */
  operation: string;
  headers?: Record<string, string>;
  /** Sent as a JSON body. */
  json?: unknown;
  /**
   * Sent as an `application/x-www-form-urlencoded` body (OAuth2 token requests, RFC 6749 §4).
   * Its values are never recorded in the interaction log: they carry client secrets and codes.
   */
  form?: Record<string, string>;
  /** The check's budget: aborts everything and bounds waits for tokens and retries. */
  budget: Budget;
  log: Logger;
  /** Credentials used by this call; scrubbed from any vendor text we keep. Never logged. */
  secrets: readonly string[];
  /** May be sent twice. Default: true for GET, false otherwise. */
  idempotent?: boolean;
  /** Which rate-limit bucket this call draws from. Default: the URL's host. */
  rateLimitKey?: string;
  /**
   * The limit of that bucket when it is not the client's own (e.g. a figure read from the server
   * configuration at call time). A bucket keeps the limit it was made with, so the key should
   * name the limit whenever it can change.
   */
  rateLimit?: RateLimit;
}

export interface VendorResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (null for an empty body). */
  data: unknown;
}

export interface VendorClient {
  request(req: VendorRequest): Promise<VendorResponse>;
  readonly settings: Readonly<Required<Omit<VendorClientOptions, 'dispatcher' | 'random' | 'retry'>> & { retry: RetryPolicy }>;
  close(): Promise<void>;
}

/** Error bodies are read only to find the vendor's message; more than this is not needed. */
const errorBodyCap = 64 * 1024;

/**
 * The one HTTP client every plugin uses for vendor calls: per-host rate limiting, timeouts per
 * attempt and per check, retries with backoff and jitter on 429/5xx honouring Retry-After, a
 * response size cap, JSON parsing with a typed error, no redirects followed, and logging through
 * an allow-list that has no place for credentials or bodies.
 */
export function createVendorClient(options: VendorClientOptions): VendorClient {
  const settings = {
    vendor: options.vendor,
    rateLimit: options.rateLimit,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes ?? 4 * 1024 * 1024,
    retry: { ...defaultRetryPolicy, ...options.retry },
  };
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({ connect: { timeout: settings.connectTimeoutMs }, keepAliveTimeout: 10_000, connections: 16 });
  const dispatcher = options.dispatcher ?? (ownAgent as Agent);
  const limiter = new RateLimiter(settings.rateLimit);
  const random = options.random ?? Math.random;

  async function send(req: VendorRequest) {
    const attemptTimeout = AbortSignal.timeout(settings.requestTimeoutMs);
    const signal = AbortSignal.any([req.budget.signal, attemptTimeout]);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'IntegrationCenter/0.1', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    } else if (req.form !== undefined) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const started = performance.now();
    try {
      const res = await request(req.url, {
        method: req.method,
        headers,
        body,
        signal,
        dispatcher,
        headersTimeout: settings.requestTimeoutMs,
        bodyTimeout: settings.requestTimeoutMs,
      });
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      const read = await readCapped(res.body, ok ? settings.maxResponseBytes : errorBodyCap, res.headers['content-length']);
      return { status: res.statusCode, headers: res.headers, read, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      throw toVendorError(error, req, attemptTimeout.aborted);
    }
  }

  function toVendorError(error: unknown, req: VendorRequest, attemptTimedOut: boolean): VendorError {
    const base = { vendor: settings.vendor, operation: req.operation };
    if (error instanceof VendorError) return error;
    if (req.budget.signal.aborted) {
      // Our own budget ran out, the caller's did (its signal aborted with a TimeoutError), or the
      // caller cancelled (server stopping).
      if (Date.now() >= req.budget.deadline - 5) return new VendorError('timeout', { ...base, timeoutMs: req.budget.timeoutMs });
      const reason: unknown = req.budget.signal.reason;
      return reason instanceof Error && reason.name === 'TimeoutError' ? new VendorError('timeout', base) : new VendorError('aborted', base);
    }
    if (attemptTimedOut) return new VendorError('timeout', { ...base, timeoutMs: settings.requestTimeoutMs });
    if (error instanceof BlockedAddressError) return new VendorError('blocked', { ...base, reason: error.message });
    const code = errorCode(error);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new VendorError('timeout', { ...base, timeoutMs: settings.connectTimeoutMs, code });
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new VendorError('timeout', { ...base, timeoutMs: settings.requestTimeoutMs, code });
    }
    if (code === 'ENOTFOUND') return new VendorError('dns', { ...base, code });
    return new VendorError('network', { ...base, code: code ?? 'UNKNOWN' });
  }

  /** Waits `ms` unless that would overrun the budget; false means "give up now". */
  async function pause(ms: number, req: VendorRequest): Promise<boolean> {
    if (Date.now() + ms >= req.budget.deadline) return false;
    try {
      await sleep(ms, undefined, { signal: req.budget.signal });
      return true;
    } catch (error) {
      throw toVendorError(error, req, false);
    }
  }

  async function requestWithRetries(input: VendorRequest, trace?: CallTrace): Promise<VendorResponse> {
    // The operation label reaches logs and messages: it must never carry a query string.
    const req = { ...input, operation: input.operation.split('?')[0] ?? input.method };
    const idempotent = req.idempotent ?? req.method === 'GET';
    // A credential in the path (a webhook token) reaches no log line and no error.
    const path = redactSecrets(req.url.pathname, req.secrets);
    const entry = { vendor: settings.vendor, operation: req.operation, path };
    // Scheduled work (health checks, discovery) waits behind users' actions for the same bucket.
    const kind = currentInteraction()?.kind;
    const priority: RatePriority = kind === 'health' || kind === 'discovery' ? 'background' : 'foreground';
    for (let attempt = 1; ; attempt++) {
      if (trace) trace.attempts = attempt;
      let granted: boolean;
      try {
        granted = await limiter.acquire(req.rateLimitKey ?? req.url.host, { signal: req.budget.signal, deadline: req.budget.deadline, limit: req.rateLimit, priority });
      } catch (error) {
        throw toVendorError(error, req, false);
      }
      if (!granted) {
        logVendorCall(req.log, 'failed', { ...entry, attempt, errorKind: 'rate_limited' });
        throw new VendorError('rate_limited', { ...entry, local: true });
      }

      let res: Awaited<ReturnType<typeof send>>;
      try {
        res = await send(req);
      } catch (error) {
        const failure = error as VendorError;
        const retryable = idempotent && failure.kind === 'network' && attempt < settings.retry.maxAttempts;
        const delay = backoffDelay(attempt, settings.retry, random);
        if (retryable && (await pause(delay, req))) {
          logVendorCall(req.log, 'retry', { ...entry, attempt, errorKind: failure.kind, code: failure.details.code, retryInMs: delay });
          continue;
        }
        logVendorCall(req.log, 'failed', { ...entry, attempt, errorKind: failure.kind, code: failure.details.code });
        throw failure;
      }

      const { status, headers, read, durationMs } = res;
      if (trace) {
        trace.status = status;
        trace.responseBytes = read.bytes;
        trace.responseContentType = headerText(headers['content-type']);
      }
      if (status >= 200 && status < 300) {
        let data: unknown;
        try {
          data = parseBody(read.bytes, read.truncated, req, headerText(headers['content-type']));
        } catch (error) {
          logVendorCall(req.log, 'failed', { ...entry, attempt, status, durationMs, errorKind: (error as VendorError).kind });
          throw error;
        }
        logVendorCall(req.log, 'debug', { ...entry, attempt, status, durationMs });
        return { status, headers, data };
      }

      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      const details: VendorErrorDetails = { ...entry, status };
      const vendorMessage = extractVendorMessage(read.bytes, headerText(headers['content-type']), req.secrets);
      if (vendorMessage) details.vendorMessage = vendorMessage;
      const vendorCode = extractVendorCode(read.bytes);
      if (vendorCode) details.vendorCode = vendorCode;
      if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
      const kind: VendorErrorKind = kindForStatus(status);

      if (isRetryableStatus(status) && attempt < settings.retry.maxAttempts && (idempotent || status === 429 || status === 503)) {
        const tooLong = retryAfterMs !== undefined && retryAfterMs > settings.retry.maxRetryAfterMs;
        const delay = retryAfterMs ?? backoffDelay(attempt, settings.retry, random);
        if (!tooLong && (await pause(delay, req))) {
          logVendorCall(req.log, 'retry', { ...entry, attempt, status, durationMs, errorKind: kind, retryInMs: delay });
          continue;
        }
      }
      logVendorCall(req.log, 'failed', { ...entry, attempt, status, durationMs, errorKind: kind });
      throw new VendorError(kind, details);
    }
  }

  function parseBody(bytes: Buffer, truncated: boolean, req: VendorRequest, contentType: string | undefined): unknown {
    const base = { vendor: settings.vendor, operation: req.operation };
    if (truncated) throw new VendorError('too_large', { ...base, limitBytes: settings.maxResponseBytes });
    const text = bytes.toString('utf8');
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const html = /^\s*text\/html\b/i.test(contentType ?? '') || /^\s*<(!doctype\s+html|html)\b/i.test(text);
      throw new VendorError('invalid_response', { ...base, reason: html ? htmlBodyReason : 'not valid JSON' });
    }
  }

  return {
    settings,
    request(req: VendorRequest): Promise<VendorResponse> {
      // Inside an interaction scope with a recorder, the call is reported once it has finished.
      const scope = currentInteraction();
      return scope?.recorder ? recordCall(scope, settings.vendor, req, (trace) => requestWithRetries(req, trace)) : requestWithRetries(req);
    },
    async close() {
      await ownAgent?.close();
    },
  };
}

function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause && cause !== error ? errorCode(cause) : undefined;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
