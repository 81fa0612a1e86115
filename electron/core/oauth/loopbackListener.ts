import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pages } from './signInPage.js';

/** What the browser brought back to `/callback`, once. */
export type CallbackOutcome =
  | { kind: 'code'; code: string }
  /** The vendor (or the person) refused: RFC 6749 §4.1.2.1. */
  | { kind: 'error'; error: string; description: string | null }
  /** A state this sign-in did not make: a stale tab, or another page trying its luck. */
  | { kind: 'mismatch' };

export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/callback`, for the server's `oauth.start`. */
  readonly redirectUri: string;
  /**
   * The first `GET /callback` carrying `state` (or an error, or another state) settles it, and the
   * listener closes: a later request finds no one listening. Rejects when `signal` aborts.
   */
  wait(state: string, signal: AbortSignal): Promise<CallbackOutcome>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** Codes are opaque to us, but not unbounded (the server's schema caps them too). */
const maxParam = 4096;

/**
 * RFC 8252 §7.3: a one-shot HTTP listener on the IPv4 loopback address and an ephemeral port,
 * serving `/callback` only. Anything else is a 404 and the wait goes on. `vendor` names who
 * refused, on the page the browser shows.
 */
export async function openLoopbackListener(vendor: string): Promise<LoopbackListener> {
  let expected: string | null = null;
  let settle: ((outcome: CallbackOutcome) => void) | null = null;
  let closed = false;

  const server = http.createServer((req, res) => {
    const send = (status: number, page: ReturnType<typeof pages.notFound>) => {
      res.writeHead(status, page.headers);
      res.end(page.html);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback') return send(404, pages.notFound());
    const q = url.searchParams;
    // Before `wait` there is no state to compare: nobody opened the vendor's page yet.
    if (!settle || !expected) return send(409, pages.refused());
    const state = q.get('state');
    let outcome: CallbackOutcome;
    if (state !== expected) outcome = { kind: 'mismatch' };
    else if (q.has('error')) outcome = { kind: 'error', error: (q.get('error') ?? '').slice(0, 100), description: q.get('error_description')?.slice(0, 300) ?? null };
    else {
      const code = q.get('code') ?? '';
      outcome = code && code.length <= maxParam ? { kind: 'code', code } : { kind: 'error', error: 'no_code', description: 'The vendor sent no code' };
    }
    if (outcome.kind === 'code') send(200, pages.signedIn());
    else if (outcome.kind === 'error') send(400, pages.denied(vendor));
    else send(400, pages.refused());
    const done = settle;
    settle = null;
    void close();
    done(outcome);
  });

  function close(): Promise<void> {
    if (closed) return Promise.resolve();
    closed = true;
    return new Promise<void>((resolve) => {
      // Stop accepting at once; the page just written goes out (Connection: close), idle sockets go now.
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    get closed() {
      return closed;
    },
    close,
    wait(state, signal) {
      if (closed) return Promise.reject(new Error('The sign-in listener is closed'));
      expected = state;
      return new Promise<CallbackOutcome>((resolve, reject) => {
        const onAbort = () => {
          settle = null;
          void close();
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        settle = (outcome) => {
          signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        };
      });
    },
  };
}
