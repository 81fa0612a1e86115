import { AppError } from '../../../shared/errors.js';
import { SECRET_MASK, type SettingsInput } from '../../../shared/integrations/fields.js';
import { defaultHealthRange, type Fleet, type HealthRange } from '../../../shared/integrations/health.js';
import type { FleetView, HealthHistoryView, TestConnectionResult } from '../../../shared/localApi.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import { getCachedFleet, getCachedHistory, putCachedFleet, putCachedHistory } from '../cache/monitoring.js';
import { getOpenDraftRow } from '../drafts/draftRows.js';
import { decryptSecrets } from '../drafts/drafts.js';
import type { SecretBox } from '../secrets/secretBox.js';
import type { MonitoringServer } from '../server/contract.js';
import type { DesktopSession, OpenCache } from '../session/session.js';
import type { CoreEvents } from './events.js';

export interface MonitoringOptions {
  session: DesktopSession;
  server: MonitoringServer;
  events: CoreEvents;
  /** Opens secrets typed into drafts, which "Test these values" on a draft must use. */
  secretBox: SecretBox;
  now?: () => Date;
  /** How long a first read waits for the server before answering from the (empty) cache. */
  firstFetchWaitMs?: number;
  /** A history older than this is refetched in the background even without a new check. */
  historyMaxAgeMs?: number;
  fleetMaxAgeMs?: number;
  /** Partners per fleet page (the server allows up to 500) and how many pages one refresh reads. */
  fleetPageSize?: number;
  maxFleetPages?: number;
}

export interface MonitoringService {
  history(key: string, range?: HealthRange): Promise<HealthHistoryView>;
  fleet(): Promise<FleetView>;
  test(key: string, settings?: SettingsInput, options?: { afterSave?: boolean }): Promise<TestConnectionResult>;
}

/**
 * Health history, the fleet matrix and "Test connection": read from the cache (so they show
 * offline), fetched from the server when online and stale. A first read waits briefly for the
 * server so the screen does not jump from "no history" to a chart; later reads answer at once and
 * refresh in the background, telling the UI (`catalog` / `fleet`) only when something changed.
 */
export function createMonitoring(options: MonitoringOptions): MonitoringService {
  const { session, server, events, secretBox } = options;
  const now = options.now ?? (() => new Date());
  const waitMs = options.firstFetchWaitMs ?? 3_000;
  const historyMaxAge = options.historyMaxAgeMs ?? 5 * 60_000;
  const fleetMaxAge = options.fleetMaxAgeMs ?? 30_000;
  const inflight = new Map<string, Promise<boolean>>();

  /**
   * The values to test as the form shows them: a secret typed into the open draft is shown as
   * saved and comes back as the mask, which would make the server test its own stored secret.
   */
  function withDraftSecrets(cache: OpenCache, key: string, settings: SettingsInput): SettingsInput {
    const draft = getOpenDraftRow(cache.db, key);
    if (!draft || draft.kind === 'delete') return settings;
    const typed = Object.entries(decryptSecrets(cache.db, secretBox, draft.id)).filter(([field]) => {
      const sent = settings[field];
      return sent === undefined || sent === SECRET_MASK;
    });
    return typed.length ? { ...settings, ...Object.fromEntries(typed) } : settings;
  }

  const hasToken = () => Boolean(session.serverAccess()?.token);
  /** Writes only into the cache that is still open (a partner switch may have closed it). */
  const stillOpen = (cache: OpenCache) => {
    try {
      return session.requireCache() === cache;
    } catch {
      return false;
    }
  };

  const once = (id: string, run: () => Promise<boolean>): Promise<boolean> => {
    const running = inflight.get(id);
    if (running) return running;
    const started = run()
      .catch(() => false)
      .finally(() => inflight.delete(id));
    inflight.set(id, started);
    return started;
  };

  const refreshHistory = (cache: OpenCache, key: string, range: HealthRange, seenLastCheck: string | null) =>
    once(`history:${cache.partnerId}:${key}:${range}`, async () => {
      const history = await server.healthHistory(key, { timeoutMs: 10_000, range });
      if (!stillOpen(cache)) return false;
      const before = getCachedHistory(cache.db, key, range);
      putCachedHistory(cache.db, key, range, { history, seenLastCheck, fetchedAt: now().toISOString() });
      return JSON.stringify(before?.history.points) !== JSON.stringify(history.points);
    });

  const fleetPageSize = options.fleetPageSize ?? 500;
  const maxFleetPages = options.maxFleetPages ?? 40;

  /**
   * The whole fleet, page by page (up to maxFleetPages × fleetPageSize partners: 20,000 by
   * default). Past that, `nextCursor` stays set and the UI says the matrix is cut short.
   */
  async function fetchFleet(): Promise<Fleet> {
    let page = await server.fleet({ timeoutMs: 10_000, limit: fleetPageSize });
    const rows = [...page.rows];
    for (let pages = 1; page.nextCursor && pages < maxFleetPages; pages++) {
      page = await server.fleet({ timeoutMs: 10_000, limit: fleetPageSize, cursor: page.nextCursor });
      rows.push(...page.rows);
    }
    return { keys: page.keys, rows, nextCursor: page.nextCursor };
  }

  const refreshFleet = (cache: OpenCache) =>
    once(`fleet:${cache.partnerId}`, async () => {
      const fleet = await fetchFleet();
      if (!stillOpen(cache)) return false;
      const before = getCachedFleet(cache.db);
      putCachedFleet(cache.db, { fleet, fetchedAt: now().toISOString() });
      return JSON.stringify(before?.fleet) !== JSON.stringify(fleet);
    });

  /** Waits for a first fetch at most `waitMs`; one that lands later (or in the background) tells the UI. */
  const firstOrBackground = async (refresh: Promise<boolean>, first: boolean, topic: 'catalog' | 'fleet') => {
    let answered = !first;
    const landed = refresh.then((changed) => {
      if (answered && changed) events.emit(topic);
    });
    if (!first) return;
    await Promise.race([landed, new Promise((resolve) => setTimeout(resolve, waitMs).unref?.())]);
    answered = true;
  };

  return {
    async history(key, range = defaultHealthRange) {
      const cache = session.requireCache();
      const detail = getIntegration(cache.db, key);
      if (!detail) throw new AppError('NOT_FOUND', 'Unknown integration');
      let cached = getCachedHistory(cache.db, key, range);
      const lastCheck = detail.state.lastHealthCheck;
      const stale = !cached || cached.seenLastCheck !== lastCheck || now().getTime() - Date.parse(cached.fetchedAt) > historyMaxAge;
      // The server keeps history per partner and offers it to that partner only.
      if (stale && !cache.readOnly && hasToken()) {
        await firstOrBackground(refreshHistory(cache, key, range, lastCheck), !cached, 'catalog');
        cached = getCachedHistory(cache.db, key, range);
      }
      return {
        key,
        points: cached?.history.points ?? [],
        uptime: cached?.history.uptime ?? null,
        fetchedAt: cached?.fetchedAt ?? null,
      };
    },

    async fleet() {
      const access = session.serverAccess();
      if (!access) throw new AppError('UNAUTHORIZED', 'Sign in first');
      if (!access.user.isDev) throw new AppError('FORBIDDEN', 'The fleet view is for the platform operator');
      const cache = session.requireCache();
      let cached = getCachedFleet(cache.db);
      const stale = !cached || now().getTime() - Date.parse(cached.fetchedAt) > fleetMaxAge;
      if (stale && access.token) {
        await firstOrBackground(refreshFleet(cache), !cached, 'fleet');
        cached = getCachedFleet(cache.db);
      }
      return { fleet: cached?.fleet ?? null, fetchedAt: cached?.fetchedAt ?? null };
    },

    async test(key, settings, options) {
      // The saved configuration: any user of the own partner (the server audits it as theirs).
      // Typed settings: partner admins only, as on the server.
      const cache = settings ? session.requireWritable() : session.requireOwnPartner();
      const out = await server.test(key, settings && withDraftSecrets(cache, key, settings), options);
      if (!out.draft) {
        // The server recorded the result: pull it now, so status and audit show it when this returns.
        await cache.engine.requestSync();
        // The default range; a screen showing another one refetches it, its last check having moved.
        if (stillOpen(cache)) void refreshHistory(cache, key, defaultHealthRange, getIntegration(cache.db, key)?.state.lastHealthCheck ?? null).then((changed) => changed && events.emit('catalog'));
      }
      return { health: out.health, message: out.message, checkedAt: out.checkedAt };
    },
  };
}
