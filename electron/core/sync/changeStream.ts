import { AppError } from '../../../shared/errors.js';
import { syncPokeSchema, type SyncPoke } from '../../../shared/sync.js';
import type { HttpOptions } from '../server/serverApi.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';

export interface ChangeStreamOptions extends HttpOptions {
  /** The feed's path and query, from serverApi.ts subscriptionPath (named through the typed client). */
  path: string;
  getToken(): string | null;
  onPoke(poke: SyncPoke): void;
  /**
   * The server may be away: a stream that was connected ended or broke, or an attempt to connect
   * found nobody. Said on every such attempt, not once per outage: the engine may have found the
   * server again meanwhile (its own retry can beat this stream's backoff), and it alone knows
   * whether it already shows "offline", so it is the one that ignores repeats. It syncs at once
   * otherwise, so the UI learns it is offline without waiting for the next poll (60 s).
   */
  onLost?(): void;
  backoff?: BackoffOptions;
  /** No byte (not even the server's 15 s ping) for this long: the stream is dead, reconnect. */
  inactivityMs?: number;
  /**
   * How often to look for a token again while signed out. A local read, so short: the stream
   * must be open soon after sign-in, or a server that stops before it opens goes unnoticed.
   */
  signedOutRetryMs?: number;
  random?: () => number;
}

/** The server refused the stream itself (an error event): back off, longer for a 401. */
class StreamRefused extends Error {
  constructor(readonly code: string | undefined) {
    super(`change stream refused (${code ?? 'unknown'})`);
  }
}

/**
 * Reads the server's change notifications (`sync.changes`, a tRPC subscription over SSE) and
 * calls `onPoke` for each, so the engine pulls right away instead of on its next poll. Written
 * on fetch rather than EventSource: Node 20 has no EventSource, and this one sends the bearer
 * token in a header. Reconnects with backoff; the server's first event on every connection is
 * its current version, so whatever happened while disconnected is pulled then. Returns stop().
 */
export function openChangeStream(options: ChangeStreamOptions): () => void {
  const doFetch = options.fetch ?? fetch;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 60_000 };
  const inactivityMs = options.inactivityMs ?? 45_000;
  const signedOutRetryMs = options.signedOutRetryMs ?? 1_000;
  const refusedTokenRetryMs = 30_000;
  let stopped = false;
  let connected = false;
  // Whether this attempt already said the server may be away (a broken stream is said once).
  let lostReported = false;
  let current: AbortController | null = null;
  let wakeSleep: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        wakeSleep = null;
        resolve();
      }
      wakeSleep = done;
    });

  /** A refused token is not tried again for a while, but a new one (signed in again) at once. */
  async function sleepUntilNewToken(refused: string, ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!stopped && Date.now() < until && options.getToken() === refused) await sleep(Math.min(signedOutRetryMs, until - Date.now()));
  }

  async function readOnce(token: string): Promise<void> {
    const controller = new AbortController();
    current = controller;
    lostReported = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), inactivityMs);
      idle.unref?.();
    };
    try {
      touch();
      const response = await doFetch(new URL(options.path, options.serverUrl), {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new StreamRefused(response.status === 401 ? 'UNAUTHORIZED' : String(response.status));
      connected = true;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (handleEvent(block) === 'return') return;
        }
      }
    } finally {
      clearTimeout(idle);
      current = null;
      if (connected && !stopped) {
        // Ended (every few minutes, and when the server shuts down) or broken: the engine checks.
        // A server shutting down ends its streams while it still answers, so that check can say
        // "online"; the reconnect right after then finds nobody and says so again.
        connected = false;
        lostReported = true;
        options.onLost?.();
      }
    }
  }

  /** One SSE event block; returns 'return' when the server ended the stream on purpose. */
  function handleEvent(block: string): 'return' | undefined {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (event === 'return') return 'return';
    if (event === 'serialized-error') {
      const body = safeJson(data.join('\n')) as { data?: unknown } | null;
      throw new StreamRefused(AppError.fromTrpcData(body?.data)?.code);
    }
    if (event !== 'message') return undefined;
    const poke = syncPokeSchema.safeParse(safeJson(data.join('\n')));
    if (poke.success) options.onPoke(poke.data);
    return undefined;
  }

  void (async () => {
    let failures = 0;
    while (!stopped) {
      const token = options.getToken();
      if (!token) {
        await sleep(signedOutRetryMs);
        continue;
      }
      try {
        await readOnce(token);
        // The server ends streams after a while (so tokens are re-checked): reconnect at once.
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        // No answer at all (refused, reset, silent): the server may be away.
        if (!(error instanceof StreamRefused) && !lostReported) options.onLost?.();
        const signedOut = error instanceof StreamRefused && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN');
        if (signedOut) await sleepUntilNewToken(token, refusedTokenRetryMs);
        else await sleep(backoffDelay(failures, backoff, options.random));
      }
    }
  })();

  return () => {
    stopped = true;
    current?.abort();
    wakeSleep?.();
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
