import { isHttpsOrLoopback } from '../../shared/desktopSettings.js';
import type { UpdateState, UpdateStatus } from '../../shared/ipc.js';

/**
 * The update flow, free of Electron imports so it is tested in plain Node: when to check, what
 * the UI is told, and the one rule that matters — an update is installed only when the user
 * asks for it (`installNow`), never by itself and never on quit.
 */

/** What the flow needs from electron-updater (the adapter lives in updater.ts). */
export interface UpdateDriver {
  /** Asks the feed. Downloads start by themselves when there is an update; events report them. */
  check(): Promise<void>;
  /** Quits, installs the downloaded update and relaunches. */
  install(): void;
}

export interface UpdateFlowOptions {
  driver: UpdateDriver;
  /** Quiet log line (a broken feed is never an error dialog). */
  log(line: string): void;
  /** Every status change, for the window. */
  onStatus(status: UpdateStatus): void;
  /** How often to check after the first check at start; default one day. */
  intervalMs?: number;
  now?: () => Date;
}

export const dayMs = 24 * 60 * 60 * 1000;

export class UpdateFlow {
  readonly #o: UpdateFlowOptions;
  #status: UpdateStatus = { state: 'idle', version: null, percent: null, lastCheckedAt: null };
  #timer: ReturnType<typeof setInterval> | null = null;
  #installing = false;

  constructor(options: UpdateFlowOptions) {
    this.#o = options;
  }

  status(): UpdateStatus {
    return { ...this.#status };
  }

  /** Checks now, then every `intervalMs` (one day) while the app runs. */
  start(): void {
    if (this.#timer) return;
    void this.check();
    this.#timer = setInterval(() => void this.check(), this.#o.intervalMs ?? dayMs);
    // A pending daily check must not keep a quitting process alive.
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * One check. Skipped while one runs or a download is under way, and once an update is ready
   * (the user has been asked; a newer one is offered after they restart).
   */
  async check(): Promise<void> {
    if (this.#status.state !== 'idle') return;
    this.#set({ state: 'checking' });
    try {
      await this.#o.driver.check();
      // Events during the check may have moved on (downloading); only a quiet check ends here.
      if (this.#state() === 'checking') this.#set({ state: 'idle', lastCheckedAt: this.#nowIso() });
    } catch (error) {
      this.failed(error);
    }
  }

  /** The feed offers `version`; electron-updater starts downloading it. */
  available(version: string): void {
    this.#set({ state: 'downloading', version, percent: 0, lastCheckedAt: this.#nowIso() });
  }

  notAvailable(): void {
    if (this.#status.state === 'ready') return;
    this.#set({ state: 'idle', version: null, percent: null, lastCheckedAt: this.#nowIso() });
  }

  progress(percent: number): void {
    if (this.#status.state !== 'downloading') return;
    this.#set({ percent: Math.max(0, Math.min(100, Math.round(percent))) });
  }

  /** Downloaded and verified by electron-updater: ask the user. */
  downloaded(version: string): void {
    this.#set({ state: 'ready', version, percent: 100 });
  }

  /**
   * A broken or unreachable feed, a failed download: one quiet log line and back to idle, to
   * try again at the next daily check. A ready update stays ready.
   */
  failed(error: unknown): void {
    this.#o.log(`Update check failed: ${describe(error)}`);
    if (this.#status.state === 'ready') return;
    this.#set({ state: 'idle', version: null, percent: null });
  }

  /** The user's explicit "Restart now". False (and nothing happens) unless an update is ready. */
  installNow(): boolean {
    if (this.#status.state !== 'ready' || this.#installing) return false;
    this.#installing = true;
    this.stop();
    this.#o.driver.install();
    return true;
  }

  #state(): UpdateState {
    return this.#status.state;
  }

  #set(change: Partial<UpdateStatus>): void {
    this.#status = { ...this.#status, ...change };
    if (this.#status.state !== 'downloading' && this.#status.state !== 'ready') this.#status.percent = null;
    this.#o.onStatus(this.status());
  }

  #nowIso(): string {
    return (this.#o.now?.() ?? new Date()).toISOString();
  }
}

/** The first line of an error, without anything that looks like a credential in a URL. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').replace(/\/\/[^/@\s]+@/g, '//***@').slice(0, 300);
}

/** Where updates come from. `packaged`: the app-update.yml electron-builder wrote from `publish`. */
export type UpdateFeed = { kind: 'url'; url: string } | { kind: 'packaged' } | { kind: 'none'; reason: string };

/**
 * The feed: `UPDATE_FEED_URL` when set (https, or http on loopback for a local test feed),
 * else the feed baked in at packaging time, else none. Unpackaged builds never update.
 */
export function resolveUpdateFeed(input: { isPackaged: boolean; envUrl: string | undefined; hasPackagedConfig: boolean }): UpdateFeed {
  if (!input.isPackaged) return { kind: 'none', reason: 'not a packaged build' };
  const envUrl = input.envUrl?.trim();
  if (envUrl) {
    return isHttpsOrLoopback(envUrl) ? { kind: 'url', url: envUrl } : { kind: 'none', reason: 'UPDATE_FEED_URL must be an https URL (http only on loopback)' };
  }
  return input.hasPackagedConfig ? { kind: 'packaged' } : { kind: 'none', reason: 'no update feed configured' };
}
