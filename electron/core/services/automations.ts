import { z } from 'zod';
import { automationRunDetailSchema, automationSchema, createAutomationInputSchema, recipeSchema, runListSchema, runNowInputSchema, setEnabledInputSchema, updateAutomationInputSchema } from '../../../shared/automations.js';
import { AppError } from '../../../shared/errors.js';
import { automationRunsLocalInputSchema } from '../../../shared/localAutomations.js';
import type { LocalServices } from '../api/contract.js';
import { readThrough } from '../cache/readThrough.js';
import type { AutomationsServer } from '../server/contract.js';
import type { DesktopSession, OpenCache } from '../session/session.js';

/** The local API's `automations`, as api/contract.ts declares it. */
export type AutomationsService = LocalServices['automations'];

/** Why nothing changes offline: saves and runs happen on the server, and none is kept as a draft. */
export const automationsNeedServer = 'Automations are saved and run on the server; editing and running them needs a connection (nothing is kept as a draft)';
const neverRead = 'Automations are kept on the server and have not been read on this computer yet; it needs a connection the first time';

const listDoc = z.array(automationSchema);
const recipesDoc = z.array(recipeSchema);

/**
 * Automations in the desktop (issue 23 §7). Reads go to the server and are kept in the cache
 * (`automations:list`, `automation:<id>`, `automationRuns:<automation>:<status>`, `automationRun:<id>`,
 * `automationRecipes`), so the screen reads offline with the time each copy was read. Changes are
 * the server's (it type-checks every step on save) and need a connection: refused offline in so
 * many words rather than queued. Any user of the partner reads; partner admins edit and run; the
 * dev partner reads another partner's through the dev routes and never edits or runs.
 */
export function createAutomations(options: { session: DesktopSession; server: AutomationsServer; now?: () => Date }): AutomationsService {
  const { session, server } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const online = () => Boolean(session.serverAccess()?.token);

  /** The cache on screen and whose data it is: undefined for the own partner, else the partner the dev partner views. */
  const viewed = (): { cache: OpenCache; partnerId: number | undefined } => {
    const cache = session.requireCache();
    return { cache, partnerId: cache.readOnly ? cache.partnerId : undefined };
  };
  // Known offline (the engine lost the server), the kept copy answers at once instead of after a request's timeout.
  const read = <S extends z.ZodType>(cache: OpenCache, doc: string, schema: S, fetch: () => Promise<z.infer<S>>) =>
    readThrough(cache.db, doc, schema, { online: online() && cache.engine.status().connection !== 'offline', now, fetch, never: neverRead });

  /** The own partner's cache, for a partner admin (not the operator), with the server in reach. */
  const writable = (): OpenCache => {
    if (session.status().user?.isDev) throw new AppError('FORBIDDEN', 'The platform operator reads automations but never edits or runs them');
    let cache: OpenCache;
    try {
      cache = session.requireWritable();
    } catch (error) {
      if (error instanceof AppError && error.code === 'FORBIDDEN' && !session.requireCache().readOnly) throw new AppError('FORBIDDEN', 'Only partner admins edit and run automations');
      throw error;
    }
    if (!online() || cache.engine.status().connection === 'offline') throw new AppError('UNAVAILABLE', automationsNeedServer);
    return cache;
  };

  return {
    async list() {
      const { cache, partnerId } = viewed();
      const got = await read(cache, 'automations:list', listDoc, () => server.list(partnerId));
      return { items: got.value, fetchedAt: got.fetchedAt, fromCache: got.fromCache };
    },
    async get(id) {
      const { cache, partnerId } = viewed();
      // The dev routes list a partner's automations but have no single read: it is found in the list.
      const fetch = async () => {
        if (partnerId === undefined) return server.get(id);
        const found = (await server.list(partnerId)).find((a) => a.id === id);
        if (!found) throw new AppError('NOT_FOUND', 'There is no such automation');
        return found;
      };
      const got = await read(cache, `automation:${id}`, automationSchema, fetch);
      return { automation: got.value, fetchedAt: got.fetchedAt, fromCache: got.fromCache };
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
      writable();
      return server.create(input);
    },
    async update(raw) {
      const input = updateAutomationInputSchema.parse(raw);
      writable();
      return server.update(input);
    },
    async setEnabled(raw) {
      const input = setEnabledInputSchema.parse(raw);
      writable();
      return server.setEnabled(input);
    },
    async remove(id) {
      writable();
      await server.remove(id);
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
