import { localEventSchema, type LocalEvent } from '../../../../shared/localApi.js';

/** Opens the core's event stream; returns the function that closes it. */
export type OpenEvents = (onEvent: (event: LocalEvent) => void) => () => void;

export interface SseEventsOptions {
  /** `/trpc/events.subscribe` on the browser-mode host. */
  url: string;
  headers: () => Record<string, string>;
  /** No byte (the core pings every 15 s) for this long: reconnect. */
  inactivityMs?: number;
  fetch?: typeof fetch;
}

/**
 * Browser mode: reads the core's `events.subscribe` subscription (tRPC's SSE wire format) with
 * fetch, because EventSource cannot send the launch-token header and the token must not go in
 * a URL. Reconnects with backoff; the core's first event after every (re)connect names every
 * topic, so whatever happened meanwhile is refetched.
 */
export function openSseEvents(options: SseEventsOptions): OpenEvents {
  return (onEvent) => {
    const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
    const inactivityMs = options.inactivityMs ?? 45_000;
    let stopped = false;
    let controller: AbortController | null = null;

    const handle = (block: string) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (event !== 'message' || data.length === 0) return;
      try {
        const parsed = localEventSchema.safeParse(JSON.parse(data.join('\n')));
        if (parsed.success) onEvent(parsed.data);
      } catch {
        // not an event of ours: ignore it
      }
    };

    const readOnce = async () => {
      const abort = new AbortController();
      controller = abort;
      let idle: ReturnType<typeof setTimeout> | undefined;
      const touch = () => {
        clearTimeout(idle);
        idle = setTimeout(() => abort.abort(), inactivityMs);
      };
      try {
        touch();
        const response = await doFetch(options.url, { headers: { accept: 'text/event-stream', ...options.headers() }, signal: abort.signal, cache: 'no-store' });
        if (!response.ok || !response.body) throw new Error(`event stream refused (${response.status})`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          touch();
          buffer += value.replace(/\r\n/g, '\n');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            handle(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } finally {
        clearTimeout(idle);
        controller = null;
      }
    };

    void (async () => {
      let failures = 0;
      while (!stopped) {
        try {
          await readOnce();
          failures = 0;
        } catch {
          failures += 1;
        }
        if (stopped) break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** failures, 10_000)));
      }
    })();

    return () => {
      stopped = true;
      controller?.abort();
    };
  };
}
