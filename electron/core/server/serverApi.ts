import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { observable } from '@trpc/server/observable';
// Type only (erased at build): the desktop bundle carries the server's types, none of its code.
import type { AppRouter } from '../../../server/routers/index.js';
import { transportErrorFrom } from './serverErrors.js';

/** Where the server is and how long a call may wait. `serverUrl` is read at every call. */
export interface HttpOptions {
  serverUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The typed client of the server's tRPC router: renaming a procedure breaks the build here. */
export type ServerApi = TRPCClient<AppRouter>;

export interface CallOptions {
  /** Sent as `Authorization: Bearer …`; the token never leaves the core otherwise. */
  token?: string | null;
  /** Overrides `HttpOptions.timeoutMs` (default 15 s) for this call. */
  timeoutMs?: number;
}

const defaultTimeoutMs = 15_000;

/**
 * One call to the server through the typed client (`api.sync.pull.query(input)`): the token and
 * timeout of this call, plain JSON over HTTP (no transformer, no batching: one request per call,
 * answered `{ result: { data } }`), and every failure as a TransportError (serverErrors.ts), so
 * callers tell "server down" from "refused" the way the sync engine does. A client per call is a
 * few closures: it lets the server address change in settings and keeps the HTTP response of
 * this call for the error reader (status, Retry-After), even when the body is not JSON.
 */
export async function callServer<T>(http: HttpOptions, options: CallOptions, run: (api: ServerApi) => Promise<T>): Promise<T> {
  const doFetch = http.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? http.timeoutMs ?? defaultTimeoutMs;
  let response: Response | undefined;
  const api = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: new URL('/trpc', http.serverUrl).toString(),
        headers: () => ({ accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) }),
        fetch: async (url, init) => {
          const timeout = AbortSignal.timeout(timeoutMs);
          const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
          response = await doFetch(url, { method: init?.method, headers: init?.headers, body: init?.body, signal });
          return response;
        },
      }),
    ],
  });
  try {
    return await run(api);
  } catch (error) {
    throw transportErrorFrom(error, response);
  }
}

/**
 * The path and query of a subscription procedure (the change feed), named through the typed
 * client so a renamed procedure or a changed input breaks the build. Nothing is sent: a link
 * that only records the operation stands in for HTTP. The feed itself is read by
 * sync/changeStream.ts, which sends the bearer token in a header (EventSource cannot).
 */
export function subscriptionPath(subscribe: (api: ServerApi) => { unsubscribe(): void }): string {
  let path: string | undefined;
  let input: unknown;
  const recorder = createTRPCClient<AppRouter>({
    links: [
      () =>
        ({ op }) =>
          observable(() => {
            path = op.path;
            input = op.input;
            return () => undefined;
          }),
    ],
  });
  subscribe(recorder).unsubscribe();
  if (path === undefined) throw new Error('subscriptionPath: no subscription was made');
  // The same query string tRPC's own links write for a subscription's input.
  return `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
}
