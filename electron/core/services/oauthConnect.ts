import { AppError } from '../../../shared/errors.js';
import { connectionViewSchema, type ConnectionView } from '../../../shared/integrations/oauth.js';
import type { ConnectionLocalView, SignInView } from '../../../shared/localOAuth.js';
import type { LocalServices } from '../api/contract.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import { getCachedRead, putCachedRead } from '../cache/serverReads.js';
import { openLoopbackListener, type CallbackOutcome, type LoopbackListener } from '../oauth/loopbackListener.js';
import { makePkce } from '../oauth/pkce.js';
import type { OAuthServer } from '../server/contract.js';
import type { DesktopSession, OpenCache } from '../session/session.js';
import type { CoreEvents } from './events.js';

/** The local API's `oauth` (api/contract.ts; admin consent is services/adminConsent.ts), and what the shell and the core's close need. */
export type OAuthService = Omit<LocalServices['oauth'], 'grantConsent' | 'consent' | 'cancelConsent'> & {
  /** Authorize URLs of sign-ins waiting for the browser: the only URLs the shell opens beyond the catalog's https links. */
  signInUrls(): string[];
  /** Cancels every sign-in and closes its listener (the core is closing). */
  close(): Promise<void>;
};

export interface OAuthConnectOptions {
  session: DesktopSession;
  server: OAuthServer;
  events: CoreEvents;
  now?: () => Date;
}

interface Running {
  view: SignInView;
  listener: LoopbackListener;
  abort: AbortController;
  /** The background wait and exchange; settles once the view is final. */
  done: Promise<void>;
}

const cacheName = (key: string) => `oauth.connection:${key}`;
const again = 'press Connect to try again';
class Expired extends Error {}
class Cancelled extends Error {}

/** Why a callback that brought no code ends the sign-in, in words a person can act on. */
function refusal(outcome: Exclude<CallbackOutcome, { kind: 'code' }>, vendor: string): string {
  if (outcome.kind === 'mismatch') return `The browser came back with a sign-in Integration Center did not start (its state did not match); nothing was sent to the server: ${again}`;
  if (outcome.error === 'access_denied') return `${vendor} did not grant access (access_denied${outcome.description ? `: ${outcome.description}` : ''}): ${again}`;
  return `${vendor} refused the sign-in (${outcome.error}${outcome.description ? `: ${outcome.description}` : ''}): ${again}`;
}

/**
 * OAuth2 sign-in from the desktop (RFC 8252 with PKCE): Connect opens a one-shot loopback
 * listener, asks the server for the vendor's authorize URL bound to it and to the PKCE challenge,
 * and waits (up to the server's 10 minutes, or until cancelled) for the browser to come back
 * with the same state; then the server exchanges the code with the client secret the desktop
 * never sees. The verifier stays in this process's memory and the state is compared here, so a
 * callback this sign-in did not start reaches nothing. Progress is told as the `connection` topic.
 */
export function createOAuthConnect(options: OAuthConnectOptions): OAuthService {
  const { session, server, events } = options;
  const now = () => options.now?.() ?? new Date();
  const running = new Map<string, Running>();
  const online = () => Boolean(session.serverAccess()?.token);

  /** The own partner's cache: the server's connection routes know no other (no support view). */
  const ownCache = (): OpenCache => {
    const cache = session.requireCache();
    if (cache.readOnly) throw new AppError('UNAVAILABLE', "Another partner's OAuth connections are not shown in the support view");
    return cache;
  };

  const remember = (key: string, connection: ConnectionView): ConnectionLocalView => {
    const fetchedAt = now().toISOString();
    putCachedRead(ownCache().db, cacheName(key), connection, fetchedAt);
    return { connection, fetchedAt, source: 'server' };
  };

  const update = (run: Running, patch: Partial<SignInView>): void => {
    // A newer Connect replaced this one: its outcome is no longer what the screen shows.
    if (running.get(run.view.key) !== run) return;
    run.view = { ...run.view, ...patch };
    events.emit('connection');
  };

  async function finish(run: Running, state: string, verifier: string, vendor: string): Promise<void> {
    const { key } = run.view;
    const remaining = Date.parse(run.view.expiresAt) - now().getTime();
    const timer = setTimeout(() => run.abort.abort(new Expired()), Math.max(0, remaining));
    timer.unref?.();
    let outcome: CallbackOutcome;
    try {
      outcome = await run.listener.wait(state, run.abort.signal);
    } catch (error) {
      if (error instanceof Expired) update(run, { phase: 'failed', authorizeUrl: null, message: `The sign-in took longer than 10 minutes and expired: ${again}` });
      else update(run, { phase: 'cancelled', authorizeUrl: null, message: null });
      return;
    } finally {
      clearTimeout(timer);
      await run.listener.close();
    }
    if (outcome.kind !== 'code') return update(run, { phase: 'failed', authorizeUrl: null, message: refusal(outcome, vendor) });
    update(run, { phase: 'finishing', authorizeUrl: null });
    try {
      const connection = await server.complete({ key, state, code: outcome.code, codeVerifier: verifier });
      if (running.get(key) === run) remember(key, connection);
      update(run, { phase: 'connected', message: null });
    } catch (error) {
      update(run, { phase: 'failed', message: error instanceof Error ? error.message : `The sign-in could not be finished: ${again}` });
    }
  }

  async function cancelRunning(key: string): Promise<void> {
    const run = running.get(key);
    if (!run || run.view.phase !== 'waiting') return;
    run.abort.abort(new Cancelled());
    await run.done;
  }

  return {
    connection: async (key) => {
      const cache = ownCache();
      if (online()) {
        try {
          return remember(key, await server.connection(key));
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'UNAVAILABLE')) throw error;
        }
      }
      const cached = getCachedRead(cache.db, cacheName(key), connectionViewSchema);
      if (!cached) throw new AppError('UNAVAILABLE', 'The connection is kept on the server and has not been read on this computer yet; it needs a connection');
      return { connection: cached.value, fetchedAt: cached.fetchedAt, source: 'cache' };
    },

    connect: async (key) => {
      const cache = session.requireWritable();
      if (!online()) throw new AppError('UNAVAILABLE', 'Connecting needs the server; you’re offline');
      const vendor = getIntegration(cache.db, key)?.provider ?? key;
      await cancelRunning(key);
      const pkce = makePkce();
      const listener = await openLoopbackListener(vendor);
      let started;
      try {
        started = await server.start({ key, redirectUri: listener.redirectUri, codeChallenge: pkce.challenge });
      } catch (error) {
        await listener.close();
        throw error;
      }
      const run: Running = {
        view: { key, phase: 'waiting', authorizeUrl: started.authorizeUrl, scopesRequested: started.scopesRequested, expiresAt: started.expiresAt, message: null },
        listener,
        abort: new AbortController(),
        done: Promise.resolve(),
      };
      running.set(key, run);
      run.done = finish(run, started.state, pkce.verifier, vendor);
      events.emit('connection');
      return run.view;
    },

    signIn: (key) => running.get(key)?.view ?? null,

    cancel: async (key) => {
      await cancelRunning(key);
      return running.get(key)?.view ?? null;
    },

    disconnect: async (key) => {
      session.requireWritable();
      if (!online()) throw new AppError('UNAVAILABLE', 'Disconnecting needs the server; you’re offline');
      await cancelRunning(key);
      running.delete(key);
      const view = remember(key, await server.disconnect(key));
      events.emit('connection', 'catalog');
      return view;
    },

    signInUrls: () => [...running.values()].flatMap((r) => (r.view.phase === 'waiting' && r.view.authorizeUrl ? [r.view.authorizeUrl] : [])),

    close: async () => {
      const all = [...running.values()];
      for (const run of all) run.abort.abort(new Cancelled());
      await Promise.all(all.map((r) => r.done));
    },
  };
}
