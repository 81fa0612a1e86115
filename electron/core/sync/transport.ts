import type { ErrorCode, FieldErrors } from '../../../shared/errors.js';
import type { PullRequest, PullResponse, PushRequest, PushResponse, SyncPoke } from '../../../shared/sync.js';

/**
 * How the sync engine reaches the server: over tRPC in use (trpcTransport.ts: `sync.pull`,
 * `sync.push`, `sync.changes`); tests replay scripted protocol responses through it.
 * Implementations parse responses with the shared/sync.ts schemas before returning them.
 */
export interface SyncTransport {
  pull(request: PullRequest): Promise<PullResponse>;
  push(request: PushRequest): Promise<PushResponse>;
  /**
   * Change notification: calls `onPoke` when the server has something new (and after each
   * reconnect, since pokes may have been missed). Returns a function that stops it. Optional:
   * without it the engine pulls on an interval, on focus and on reconnect. `onLost` is called
   * when a connected notification stream drops (the server may be gone).
   */
  subscribe?(onPoke: (poke: SyncPoke) => void, onLost?: () => void): () => void;
}

/**
 * - `offline`: no answer (refused, DNS, timeout): retry with backoff, show "offline".
 * - `transient`: an answer saying "later" (5xx, 429): retry with backoff.
 * - `unauthorized`: 401: stop until the user signs in again; keep everything.
 * - `fatal`: the server refused the request itself (4xx): retry slowly, show the message.
 */
export type TransportErrorKind = 'offline' | 'transient' | 'unauthorized' | 'fatal';

export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly extra: { code?: ErrorCode; fields?: FieldErrors; details?: unknown; retryAfterMs?: number; status?: number } = {},
  ) {
    super(message);
  }
}

/** Any error as a TransportError: unknown failures count as transient, so they are retried. */
export function asTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  return new TransportError('transient', error instanceof Error ? error.message : String(error));
}
