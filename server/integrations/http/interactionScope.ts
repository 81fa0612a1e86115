import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who caused the vendor calls made inside a piece of work (issue 15, the interaction log). The
 * code that starts work on a partner's integration — a health check, a discovery page, an
 * action, a token refresh — runs it inside `withInteraction`; the shared vendor client reads the
 * scope for every request it sends and hands one entry per call to the scope's recorder. Plugins
 * know nothing of it.
 */
export type InteractionKind = 'health' | 'discovery' | 'action' | 'token';

export interface InteractionScope {
  partnerId: number;
  integrationKey: string;
  kind: InteractionKind;
  /** The action id for `action`; else the kind ("health", "discovery", "token"). */
  actionId: string;
  /** The user who caused it; null for scheduled work. */
  userId: number | null;
  /** The stored action run, when there is one. */
  actionRunId?: number | null;
  /** Issue 25: the personal access token of an AI assistant that asked for it (via /mcp). */
  accessTokenId?: number | null;
  /** Receives one entry per finished vendor call (deps.interactionLog); absent: nothing is recorded. */
  recorder?: InteractionRecorder;
}

/** One outbound vendor call, as the vendor client reports it to the scope's recorder. */
export interface InteractionEntry {
  vendor: string;
  method: string;
  /** The URL path only, never the query string. */
  path: string;
  host: string;
  status: number | null;
  durationMs: number;
  /** Attempts after the first. */
  retries: number;
  outcome: 'ok' | 'vendor_error' | 'failed';
  /** VendorError kind when it failed. */
  errorKind?: string;
  /** The JSON sent and the JSON received, before redaction (the recorder redacts and caps). */
  requestBody?: unknown;
  responseBody?: unknown;
  /** Credentials used by the call: the recorder scrubs them from anything it keeps. */
  secrets: readonly string[];
  startedAt: Date;
}

/** Where entries go: the interaction log's writer (server/services/interactions), which buffers and batches. */
export interface InteractionRecorder {
  /** Never throws, never waits: the entry is queued and written later. */
  record(scope: InteractionScope, entry: InteractionEntry): void;
}

const storage = new AsyncLocalStorage<InteractionScope>();

/** Runs `fn` with `scope` as the current interaction scope. */
export function withInteraction<T>(scope: InteractionScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the work running now, if any. */
export function currentInteraction(): InteractionScope | undefined {
  return storage.getStore();
}
