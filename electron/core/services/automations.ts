import { z } from 'zod';
import { automationRunDetailSchema, automationSchema, createAutomationInputSchema, recipeSchema, runListSchema, runNowInputSchema, setEnabledInputSchema, updateAutomationInputSchema, type Automation } from '../../../shared/automations.js';
import { AppError } from '../../../shared/errors.js';
import { automationRunsLocalInputSchema, setEnabledLocalInputSchema, updateAutomationLocalInputSchema, type AutomationTarget, type LocalAutomation } from '../../../shared/localAutomations.js';
import type { LocalServices } from '../api/contract.js';
import { readThrough } from '../cache/readThrough.js';
import { getCachedRead, putCachedRead } from '../cache/serverReads.js';
import { createdAs, discardAutomationDraft, dropAutomationDrafts, hasOpenDraft, keepAutomationCreate, keepAutomationEdit, listAutomationDrafts, pushAutomationDrafts, resolveAutomationDraft, withDraft, withDrafts } from '../drafts/automationDrafts.js';
import { keptPush } from '../drafts/keptPush.js';
import type { CoreEvents } from './events.js';
import type { AutomationsServer } from '../server/contract.js';
import type { DesktopSession, OpenCache } from '../session/session.js';

/** The local API's `automations`, as api/contract.ts declares it, and the push the core calls on reconnect. */
export type AutomationsService = LocalServices['automations'] & {
  /** Sends kept edits now (also done by itself whenever the connection comes back). */
  push(): Promise<void>;
};

/** Why these stay online-only: the server runs automations, and a run (or a delete) offline makes no sense to queue. */
export const automationsNeedServer = 'Running, re-running, adding a recipe and deleting need a connection (they happen on the server and are not kept to send later); edits and new automations made offline are kept and sent when you reconnect';
const neverRead = 'Automations are kept on the server and have not been read on this computer yet; it needs a connection the first time';

const listDoc = z.array(automationSchema);
const recipesDoc = z.array(recipeSchema);

/**
 * Automations in the desktop (issue 23 §7). Reads go to the server and are kept in the cache
 * (`automations:list`, `automation:<id>`, `automationRuns:<automation>:<status>`, `automationRun:<id>`,
 * `automationRecipes`), so the screen reads offline with the time each copy was read. Edits,
 * new automations and the switch made offline are kept (drafts/automationDrafts.ts, the design
 * of mapping edits) and sent by themselves when the server is back, once each, conflicts kept
 * beside the edit; every read shows the kept edit over the server's copy, marked `pending`.
 * Runs, re-runs, recipes and deletes need the server and are refused offline in so many words.
 * Any user of the partner reads; partner admins of their own partner edit and run; the dev
 * partner reads another partner's through the dev routes and never edits or runs.
 */
export function createAutomations(options: { session: DesktopSession; server: AutomationsServer; events: CoreEvents; now?: () => Date }): AutomationsService {
  const { session, server, events } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const online = () => Boolean(session.serverAccess()?.token);
  const offline = (cache: OpenCache) => !online() || cache.engine.status().connection === 'offline';

  /** The cache on screen and whose data it is: undefined for the own partner, else the partner the dev partner views. */
  const viewed = (): { cache: OpenCache; partnerId: number | undefined } => {
    const cache = session.requireCache();
    return { cache, partnerId: cache.readOnly ? cache.partnerId : undefined };
  };
  // Known offline (the engine lost the server), the kept copy answers at once instead of after a request's timeout.
  const read = <S extends z.ZodType>(cache: OpenCache, doc: string, schema: S, fetch: () => Promise<z.infer<S>>) =>
    readThrough(cache.db, doc, schema, { online: !offline(cache), now, fetch, never: neverRead });

  /** The own partner's cache, for a partner admin (not the operator): the one who may keep edits. */
  const own = (): OpenCache => {
    if (session.status().user?.isDev) throw new AppError('FORBIDDEN', 'The platform operator reads automations but never edits or runs them');
    try {
      return session.requireWritable();
    } catch (error) {
      if (error instanceof AppError && error.code === 'FORBIDDEN' && !session.requireCache().readOnly) throw new AppError('FORBIDDEN', 'Only partner admins edit and run automations');
      throw error;
    }
  };
  /** As `own`, with the server in reach: for what cannot be kept (runs, recipes, deletes). */
  const writable = (): OpenCache => {
    const cache = own();
    if (offline(cache)) throw new AppError('UNAVAILABLE', automationsNeedServer);
    return cache;
  };

  /** The automation as last read from the server (the base of an edit kept now). */
  const lastRead = (cache: OpenCache, id: number): Automation | null =>
    id < 0 ? null : (getCachedRead(cache.db, `automation:${id}`, automationSchema)?.value ?? getCachedRead(cache.db, 'automations:list', listDoc)?.value.find((a) => a.id === id) ?? null);

  /** Kept edits change the list, the queue count and Pending changes. */
  const kept = () => events.emit('automations', 'drafts', 'sync');

  /**
   * Saves an edit: kept when offline, when the automation already has a kept edit (so they go in
   * order) or when the server goes away mid-call; otherwise straight to the server.
   */
  async function save(id: number, target: (current: LocalAutomation) => AutomationTarget, direct: () => Promise<Automation>): Promise<LocalAutomation> {
    const cache = own();
    const keep = () => {
      const base = lastRead(cache, id);
      const current = withDraft(cache.db, id, base);
      if (!current) throw new AppError('NOT_FOUND', 'There is no such automation on this computer');
      const out = keepAutomationEdit(cache.db, { id, server: base, target: target(current), now: now() });
      kept();
      return out;
    };
    if (offline(cache)) return keep();
    if (id < 0 || hasOpenDraft(cache.db, id)) {
      keep();
      await push();
      return settled(cache, id);
    }
    try {
      const saved = await direct();
      events.emit('automations');
      return { ...saved, pending: null };
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAVAILABLE') return keep();
      throw error;
    }
  }

  /** After a push: the server's automation once the edit is applied, else the kept edit. */
  async function settled(cache: OpenCache, id: number): Promise<LocalAutomation> {
    const madeAs = id < 0 ? createdAs(cache.db, -id) : id;
    if (madeAs === null || hasOpenDraft(cache.db, madeAs)) return withDraft(cache.db, id, lastRead(cache, id)) ?? Promise.reject(new AppError('NOT_FOUND', 'There is no such automation'));
    return { ...(await server.get(madeAs)), pending: null };
  }

  /**
   * Sends kept edits (drafts/keptPush.ts): on every sync (the connection back among them) and on
   * demand, oldest first, each checked against the server first. Known offline, nothing is tried.
   */
  const push = keptPush({
    session,
    events,
    ready: (cache) => !offline(cache),
    states: (cache) => JSON.stringify(listAutomationDrafts(cache.db)),
    send: async (cache) => {
      if (await pushAutomationDrafts(cache.db, server, now)) putCachedRead(cache.db, 'automations:list', await server.list(), now());
    },
    changed: kept,
  });

  return {
    async list() {
      const { cache, partnerId } = viewed();
      const got = await read(cache, 'automations:list', listDoc, () => server.list(partnerId));
      const items = cache.readOnly ? got.value.map((a) => ({ ...a, pending: null })) : withDrafts(cache.db, got.value);
      return { items, fetchedAt: got.fetchedAt, fromCache: got.fromCache };
    },
    async get(id) {
      const { cache, partnerId } = viewed();
      // Created offline: only the kept edit knows it.
      if (id < 0) {
        const automation = cache.readOnly ? null : withDraft(cache.db, id, null);
        if (!automation) throw new AppError('NOT_FOUND', 'There is no such automation');
        return { automation, fetchedAt: null, fromCache: false };
      }
      // The dev routes list a partner's automations but have no single read: it is found in the list.
      const fetch = async () => {
        if (partnerId === undefined) return server.get(id);
        const found = (await server.list(partnerId)).find((a) => a.id === id);
        if (!found) throw new AppError('NOT_FOUND', 'There is no such automation');
        return found;
      };
      const got = await read(cache, `automation:${id}`, automationSchema, fetch);
      const automation = (cache.readOnly ? null : withDraft(cache.db, id, got.value)) ?? { ...got.value, pending: null };
      return { automation, fetchedAt: got.fetchedAt, fromCache: got.fromCache };
    },
    async runs(raw) {
      const input = automationRunsLocalInputSchema.parse(raw);
      const { cache, partnerId } = viewed();
      const got = await read(cache, `automationRuns:${input.automationId ?? 'all'}:${input.status ?? 'all'}`, runListSchema, () => server.runs(input, partnerId));
      return { ...got.value, fetchedAt: got.fetchedAt, fromCache: got.fromCache };
    },
    async run(runId) {
      const { cache, partnerId } = viewed();
      const got = await read(cache, `automationRun:${runId}`, automationRunDetailSchema, () => server.run(runId, partnerId));
      return { run: got.value, fetchedAt: got.fetchedAt, fromCache: got.fromCache };
    },
    async recipes() {
      const { cache } = viewed();
      const got = await read(cache, 'automationRecipes', recipesDoc, () => server.recipes());
      return { items: got.value, fetchedAt: got.fetchedAt, fromCache: got.fromCache };
    },
    async create(raw) {
      const input = createAutomationInputSchema.parse(raw);
      const cache = own();
      const keep = () => {
        const out = keepAutomationCreate(cache.db, input, now());
        kept();
        return out;
      };
      if (offline(cache)) return keep();
      try {
        const made = await server.create(input);
        events.emit('automations');
        return { ...made, pending: null };
      } catch (error) {
        if (error instanceof AppError && error.code === 'UNAVAILABLE') return keep();
        throw error;
      }
    },
    async update(raw) {
      const input = updateAutomationLocalInputSchema.parse(raw);
      const { id, baseVersion: _base, ...definition } = input;
      return save(id, (current) => ({ ...definition, enabled: current.enabled }), () => server.update(updateAutomationInputSchema.parse(input)));
    },
    async setEnabled(raw) {
      const input = setEnabledLocalInputSchema.parse(raw);
      return save(input.id, (current) => ({ ...current, enabled: input.enabled }), () => server.setEnabled(setEnabledInputSchema.parse(input)));
    },
    drafts() {
      const cache = session.requireCache();
      return cache.readOnly ? [] : listAutomationDrafts(cache.db);
    },
    discardDraft(id) {
      discardAutomationDraft(own().db, id);
      kept();
    },
    async resolveDraft(id, keep) {
      resolveAutomationDraft(own().db, id, keep, now());
      kept();
      await push();
    },
    push,
    async remove(id) {
      const cache = writable();
      await server.remove(id);
      dropAutomationDrafts(cache.db, id);
      kept();
    },
    async addRecipe(recipeId) {
      writable();
      return server.addRecipe(recipeId);
    },
    async runNow(raw) {
      const input = runNowInputSchema.parse(raw);
      writable();
      return server.runNow(input);
    },
    async rerun(runId) {
      writable();
      return server.rerun(runId);
    },
  };
}
