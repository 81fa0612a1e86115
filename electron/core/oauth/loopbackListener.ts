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

/**
 * What an administrator's consent brought back (issue 26; Microsoft: `tenant`, `admin_consent`):
 * no code, only the claim that consent was given, which the server re-checks with a token request.
 */
export type ConsentOutcome = { kind: 'consented'; tenant: string | null; adminConsent: string | null } | Exclude<CallbackOutcome, { kind: 'code' }>;

export interface LoopbackListener<O = CallbackOutcome> {
  /** `http://127.0.0.1:<port>/callback`, for the server's `oauth.start` (or `oauth.consentStart`). */
  readonly redirectUri: string;
  /**
   * The first `GET /callback` carrying `state` (or an error, or another state) settles it, and the
   * listener closes: a later request finds no one listening. Rejects when `signal` aborts.
   */
  wait(state: string, signal: AbortSignal): Promise<O>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** Codes are opaque to us, but not unbounded (the server's schema caps them too). */
const maxParam = 4096;

type Page = ReturnType<typeof pages.notFound>;

/** How one kind of return reads its parameters (the state already matched) and the page it answers. */
interface Reader<O> {
  read(q: URLSearchParams): O;
  page(outcome: O): { status: number; page: Page };
}

const vendorError = (q: URLSearchParams) => ({ kind: 'error' as const, error: (q.get('error') ?? '').slice(0, 100), description: q.get('error_description')?.slice(0, 300) ?? null });

const codeReader = (vendor: string): Reader<CallbackOutcome> => ({
  read(q) {
    if (q.has('error')) return vendorError(q);
    const code = q.get('code') ?? '';
    return code && code.length <= maxParam ? { kind: 'code', code } : { kind: 'error', error: 'no_code', description: 'The vendor sent no code' };
  },
  page: (o) => (o.kind === 'code' ? { status: 200, page: pages.signedIn() } : o.kind === 'error' ? { status: 400, page: pages.denied(vendor) } : { status: 400, page: pages.refused() }),
});

const consentReader = (vendor: string): Reader<ConsentOutcome> => ({
  read: (q) => (q.has('error') ? vendorError(q) : { kind: 'consented', tenant: q.get('tenant')?.slice(0, 200) ?? null, adminConsent: q.get('admin_consent')?.slice(0, 20) ?? null }),
  page: (o) => (o.kind === 'consented' ? { status: 200, page: pages.consentReturned(vendor) } : o.kind === 'error' ? { status: 400, page: pages.consentDenied(vendor) } : { status: 400, page: pages.refused('Grant consent') }),
});

/**
 * RFC 8252 §7.3: a one-shot HTTP listener on the IPv4 loopback address and an ephemeral port,
 * serving `/callback` only. Anything else is a 404 and the wait goes on. `vendor` names who
 * refused, on the page the browser shows.
 */
export function openLoopbackListener(vendor: string): Promise<LoopbackListener> {
  return listen(codeReader(vendor));
}

/** The same listener for an administrator's consent (issue 26), which returns no code. */
export function openConsentListener(vendor: string): Promise<LoopbackListener<ConsentOutcome>> {
  return listen(consentReader(vendor));
}

async function listen<O extends { kind: string }>(reader: Reader<O>): Promise<LoopbackListener<O>> {
  let expected: string | null = null;
  let settle: ((outcome: O) => void) | null = null;
  let closed = false;

  const server = http.createServer((req, res) => {
    const send = (status: number, page: Page) => {
      res.writeHead(status, page.headers);
      res.end(page.html);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback') return send(404, pages.notFound());
    const q = url.searchParams;
    // Before `wait` there is no state to compare: nobody opened the vendor's page yet.
    if (!settle || !expected) return send(409, pages.refused());
    const outcome = q.get('state') === expected ? reader.read(q) : ({ kind: 'mismatch' } as O);
    const answer = reader.page(outcome);
    send(answer.status, answer.page);
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
      return new Promise<O>((resolve, reject) => {
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
