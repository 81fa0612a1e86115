import { AppError } from '../../../shared/errors.js';
import { consentTargetSchema, type ConsentTarget, type ConsentView } from '../../../shared/localMicrosoft365.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import { openConsentListener, type ConsentOutcome, type LoopbackListener } from '../oauth/loopbackListener.js';
import { makePkce } from '../oauth/pkce.js';
import type { OAuthServer } from '../server/contract.js';
import type { DesktopSession } from '../session/session.js';
import type { CoreEvents } from './events.js';

/** The local API's consent calls, and what the shell and the core's close need. */
export interface AdminConsentService {
  grant(target: ConsentTarget): Promise<ConsentView>;
  /** The latest consent of this organization in this run of the app, or null. */
  consent(target: ConsentTarget): ConsentView | null;
  cancel(target: ConsentTarget): Promise<ConsentView | null>;
  /** Consent pages waiting for the browser: opened exactly, and only while they wait. */
  consentUrls(): string[];
  close(): Promise<void>;
}

interface Running {
  view: ConsentView;
  listener: LoopbackListener<ConsentOutcome>;
  abort: AbortController;
  done: Promise<void>;
}

const again = 'press Grant consent to try again';
class Expired extends Error {}
class Cancelled extends Error {}
const idOf = (t: ConsentTarget) => `${t.key}\n${t.organizationKey.toLowerCase()}`;

function refusal(outcome: Exclude<ConsentOutcome, { kind: 'consented' }>, vendor: string): string {
  if (outcome.kind === 'mismatch') return `The browser came back with a consent Integration Center did not start (its state did not match); nothing was sent to the server and nothing was stored: ${again}`;
  return `${vendor} did not record a consent (${outcome.error}${outcome.description ? `: ${outcome.description}` : ''}): ${again}`;
}

/**
 * An administrator's consent in one mapped organization (issue 26: a Microsoft 365 customer
 * tenant), from the desktop, as issue 16's sign-in (services/oauthConnect.ts): a one-shot loopback
 * listener, the server's consent page bound to it and to a PKCE challenge, the system browser, the
 * state compared here. The return carries no code, only the vendor's claim; the server takes the
 * state once and asks that organization for a token, and that answer is what the screen shows.
 * Progress is told as the `connection` topic (the client's tenants are read again on it).
 */
export function createAdminConsent(options: { session: DesktopSession; server: OAuthServer; events: CoreEvents; now?: () => Date }): AdminConsentService {
  const { session, server, events } = options;
  const now = () => options.now?.() ?? new Date();
  const running = new Map<string, Running>();

  const update = (id: string, run: Running, patch: Partial<ConsentView>): void => {
    if (running.get(id) !== run) return;
    run.view = { ...run.view, ...patch };
    events.emit('connection');
  };

  async function finish(id: string, run: Running, state: string, verifier: string, vendor: string): Promise<void> {
    const remaining = Date.parse(run.view.expiresAt) - now().getTime();
    const timer = setTimeout(() => run.abort.abort(new Expired()), Math.max(0, remaining));
    timer.unref?.();
    let outcome: ConsentOutcome;
    try {
      outcome = await run.listener.wait(state, run.abort.signal);
    } catch (error) {
      if (error instanceof Expired) update(id, run, { phase: 'failed', consentUrl: null, message: `The consent took longer than 10 minutes and expired: ${again}` });
      else update(id, run, { phase: 'cancelled', consentUrl: null, message: null });
      return;
    } finally {
      clearTimeout(timer);
      await run.listener.close();
    }
    // A vendor's refusal goes to the server too, with its words: the state is spent there, and the
    // re-check still tells whether the organization gives a token (it may have been consented before).
    if (outcome.kind === 'mismatch') return update(id, run, { phase: 'failed', consentUrl: null, message: refusal(outcome, vendor) });
    update(id, run, { phase: 'checking', consentUrl: null });
    try {
      const said =
        outcome.kind === 'consented'
          ? { ...(outcome.tenant ? { tenant: outcome.tenant } : {}), ...(outcome.adminConsent ? { adminConsent: outcome.adminConsent } : {}) }
          : { error: outcome.error, ...(outcome.description ? { errorDescription: outcome.description.slice(0, 1000) } : {}) };
      const result = await server.consentComplete({ key: run.view.key, state, codeVerifier: verifier, ...said });
      if (result.consented) update(id, run, { phase: 'consented', message: null });
      else update(id, run, { phase: 'failed', message: outcome.kind === 'error' ? refusal(outcome, vendor) : `${result.reason ?? 'Still no consent'}: ${again}` });
    } catch (error) {
      update(id, run, { phase: 'failed', message: error instanceof Error ? error.message : `The consent could not be checked: ${again}` });
    }
  }

  async function cancelRunning(id: string): Promise<void> {
    const run = running.get(id);
    if (!run || run.view.phase !== 'waiting') return;
    run.abort.abort(new Cancelled());
    await run.done;
  }

  return {
    grant: async (raw) => {
      const target = consentTargetSchema.parse(raw);
      const cache = session.requireWritable();
      if (!session.serverAccess()?.token) throw new AppError('UNAVAILABLE', 'Granting consent needs the server; you’re offline');
      const vendor = getIntegration(cache.db, target.key)?.provider ?? target.key;
      const id = idOf(target);
      await cancelRunning(id);
      const pkce = makePkce();
      const listener = await openConsentListener(vendor);
      let started;
      try {
        started = await server.consentStart({ key: target.key, organizationKey: target.organizationKey, redirectUri: listener.redirectUri, codeChallenge: pkce.challenge });
      } catch (error) {
        await listener.close();
        throw error;
      }
      const run: Running = {
        view: { ...target, phase: 'waiting', consentUrl: started.consentUrl, expiresAt: started.expiresAt, message: null },
        listener,
        abort: new AbortController(),
        done: Promise.resolve(),
      };
      running.set(id, run);
      run.done = finish(id, run, started.state, pkce.verifier, vendor);
      events.emit('connection');
      return run.view;
    },
    consent: (target) => running.get(idOf(target))?.view ?? null,
    cancel: async (target) => {
      await cancelRunning(idOf(target));
      return running.get(idOf(target))?.view ?? null;
    },
    consentUrls: () => [...running.values()].flatMap((r) => (r.view.phase === 'waiting' && r.view.consentUrl ? [r.view.consentUrl] : [])),
    close: async () => {
      const all = [...running.values()];
      for (const run of all) run.abort.abort(new Cancelled());
      await Promise.all(all.map((r) => r.done));
    },
  };
}
