import type { CoreEvents } from '../services/events.js';
import type { DesktopSession, OpenCache } from '../session/session.js';

/** What a kind of kept work (mapping edits, automation edits, ticket updates…) gives the push. */
export interface KeptPushOptions {
  session: DesktopSession;
  events: CoreEvents;
  /** False: nothing is tried now (offline, or something else must go first). */
  ready(cache: OpenCache): boolean;
  /** The kept work's states, to tell whether a push moved any. */
  states(cache: OpenCache): string;
  /** Sends what waits; throwing (the server went away) leaves the rest for the next attempt. */
  send(cache: OpenCache): Promise<void>;
  /** Told when a state moved. */
  changed(): void;
}

/**
 * The push of work kept on this computer, written once: on every sync (the connection coming
 * back among them) and on demand, one at a time (a call during a push waits for one more run
 * after it, shared by every call meanwhile, so work queued meanwhile is never left behind), for
 * the own partner's partner admin only. `changed` is told only when a state moved: an attempt
 * that changed nothing must not wake another push at once (the engine's next cycle retries).
 */
export function keptPush(options: KeptPushOptions): () => Promise<void> {
  const { session, events } = options;
  async function pushOnce(): Promise<void> {
    let cache: OpenCache;
    try {
      cache = session.requireWritable();
    } catch {
      return; // signed out, another partner, or a technician: nothing of theirs to send
    }
    if (!options.ready(cache)) return;
    const before = options.states(cache);
    try {
      await options.send(cache);
    } catch {
      // The server went away again: the rest stay queued for the next attempt.
    } finally {
      try {
        if (options.states(cache) !== before) options.changed();
      } catch {
        // the cache closed meanwhile (sign-out, partner switch): nothing left to tell
      }
    }
  }
  let running: Promise<void> = Promise.resolve();
  let next: Promise<void> | null = null;
  const push = (): Promise<void> => {
    if (next) return next;
    const run = running.then(() => {
      next = null;
      return pushOnce().catch(() => undefined);
    });
    next = run;
    running = run;
    return run;
  };
  events.listen((event) => {
    if (event.topics.includes('sync')) void push();
  });
  return push;
}
