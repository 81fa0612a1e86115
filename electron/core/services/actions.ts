import { z } from 'zod';
import { actionDescriptorSchema, actionRunResultSchema, ticketLinkSchema } from '../../../shared/actions.js';
import { syncroTicketsFindOutput } from '../../../shared/actions/syncro.js';
import { clientSchema } from '../../../shared/clients.js';
import { AppError } from '../../../shared/errors.js';
import { createLinkLocalInputSchema, ticketSearchInputSchema, type ActionIntent } from '../../../shared/localActions.js';
import { keptPush } from '../drafts/keptPush.js';
import type { LocalServices } from '../api/contract.js';
import { getPreference } from '../cache/preferences.js';
import { getCachedRead, putCachedRead } from '../cache/serverReads.js';
import { readThrough as cachedReadThrough } from '../cache/readThrough.js';
import { composeIntent, discardIntent, getIntent, listIntents, queueIntent, queuedIntentIds, retryIntent, reviewIntent, sendIntent } from '../drafts/actionIntents.js';
import { queuedRequestIds, sendRequest } from '../drafts/actionRequests.js';
import { createActionRequests, refuseOperator } from './actionRequests.js';
import type { ActionServer } from '../server/contract.js';
import type { DesktopSession, OpenCache } from '../session/session.js';
import type { CoreEvents } from './events.js';

export interface ActionsOptions {
  session: DesktopSession;
  server: ActionServer;
  events: CoreEvents;
  now?: () => Date;
}

/** The local API's `actions` and `ticketLinks` (api/contract.ts), and the send the sync calls. */
export type ActionsService = LocalServices['actions'] & {
  links: LocalServices['ticketLinks'];
  /** The Actions tab's side-effectful requests (services/actionRequests.ts). */
  requests: LocalServices['actionRequests'];
  /** Sends queued ticket updates and action requests now (also done by itself after every sync). */
  push(): Promise<void>;
};

const actionsDoc = z.array(actionDescriptorSchema);
const ticketsDoc = syncroTicketsFindOutput;
const linksDoc = z.array(ticketLinkSchema);
const clientsDoc = z.array(clientSchema);

/**
 * Integration actions in the desktop: reads go to the server when it answers and fall back to
 * the last answer cached for the same question (so a ticket can be picked offline); a ticket
 * update is an action intent in the cache (drafts/actionIntents.ts) sent with its own keys,
 * right away when online and otherwise after the next sync that reaches the server, one
 * intent at a time in the order they were queued.
 */
export function createActions(options: ActionsOptions): ActionsService {
  const { session, server, events } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const online = () => Boolean(session.serverAccess()?.token);

  /** The server's answer, cached under `doc`; when it cannot be reached, the cached one. */
  const readThrough = <S extends z.ZodType>(cache: OpenCache, doc: string, schema: S, fetch: () => Promise<z.infer<S>>) =>
    cachedReadThrough(cache.db, doc, schema, { online: online(), now, fetch });

  const changed = (): void => events.emit('drafts', 'sync');

  /** Each intent's and step's state, to tell whether a push changed anything worth telling. */
  const states = (cache: OpenCache): string =>
    JSON.stringify([
      cache.db.prepare('SELECT i.id, i.state, s.position, s.state AS step FROM action_intents i JOIN action_intent_steps s ON s.intent_id = i.id ORDER BY i.id, s.position').all(),
      cache.db.prepare('SELECT id, state FROM action_requests ORDER BY id').all(),
    ]);

  /**
   * Sends queued intents, then the Actions tab's requests (drafts/keptPush.ts): on every sync and
   * on demand, one at a time. Configuration changes queued earlier go first (the engine pushes
   * the outbox, then tells us); known offline, nothing is attempted, so nothing is left "maybe sent".
   */
  const push = keptPush({
    session,
    events,
    ready: (cache) => {
      const status = cache.engine.status();
      return online() && status.connection !== 'offline' && status.pendingMutations === 0;
    },
    states,
    send: async (cache) => {
      // No answer (or "still in progress") throws: the rest stay queued, with their keys, for the next sync.
      for (const id of queuedIntentIds(cache.db)) await sendIntent(cache.db, id, server, now);
      // Then the Actions tab's requests, each under the key it was composed with.
      for (const id of queuedRequestIds(cache.db)) await sendRequest(cache.db, id, server, now);
    },
    changed: () => {
      changed();
      events.emit('mappings');
    },
  });

  function clientName(cache: OpenCache, clientId: number): string {
    const client = getCachedRead(cache.db, 'clients', clientsDoc)?.value.find((c) => c.id === clientId);
    if (!client) throw new AppError('NOT_FOUND', 'There is no such client');
    return client.name;
  }

  /** Sends now when it can, and answers with the intent as it is after the attempt. */
  async function sendNow(cache: OpenCache, id: number): Promise<ActionIntent> {
    if (online() && cache.engine.status().pendingMutations > 0) await cache.engine.requestSync().catch(() => undefined);
    await push();
    return getIntent(cache.db, id);
  }

  /** The action as listed: the server's listing when online, else the last one cached that names it. */
  async function describe(actionId: string) {
    const key = actionId.split('.')[0] ?? '';
    const cache = session.requireCache();
    try {
      const got = await readThrough(cache, `actions::${key}`, actionsDoc, () => server.list({ key }));
      const found = got.value.find((a) => a.id === actionId);
      if (found) return found;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'UNAVAILABLE')) throw error;
    }
    return getCachedRead(cache.db, 'actions::', actionsDoc)?.value.find((a) => a.id === actionId);
  }

  const requests = createActionRequests({
    session,
    now,
    describe,
    changed,
    push,
    flushOutbox: async (cache) => {
      if (online() && cache.engine.status().pendingMutations > 0) await cache.engine.requestSync().catch(() => undefined);
    },
  });

  async function refreshLinks(cache: OpenCache, clientId: number, read: () => Promise<z.infer<typeof linksDoc>>) {
    // The links this computer's updates stored come with their runs: shown even when the server
    // cannot be reached and nothing was cached yet.
    const own = listIntents(cache.db, { clientId }).flatMap((i) => (i.ticketLink ? [i.ticketLink] : []));
    let got: { value: z.infer<typeof linksDoc>; fetchedAt: string | null } = { value: [], fetchedAt: null };
    try {
      got = await readThrough(cache, `links:${clientId}`, linksDoc, read);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'UNAVAILABLE')) throw error;
    }
    const ids = new Set(got.value.map((l) => l.id));
    return { items: [...got.value, ...own.filter((l) => !ids.has(l.id))], fetchedAt: got.fetchedAt };
  }

  return {
    async list(input) {
      const cache = session.requireCache();
      const got = await readThrough(cache, `actions:${input.clientId ?? ''}:${input.key ?? ''}`, actionsDoc, () => server.list(input));
      return { items: got.value, fetchedAt: got.fetchedAt };
    },

    async tickets(raw) {
      const input = ticketSearchInputSchema.parse(raw);
      const cache = session.requireCache();
      const doc = `tickets:${input.clientId}:${input.query ?? ''}:${input.status ?? ''}`;
      const got = await readThrough(cache, doc, ticketsDoc, async () =>
        ticketsDoc.parse((await server.run({ actionId: 'syncro.tickets.find', input: { clientId: input.clientId, ...(input.query ? { query: input.query } : {}), ...(input.status ? { status: input.status } : {}) } })).output),
      );
      return { ...got.value, fetchedAt: got.fetchedAt, fromCache: got.fromCache };
    },

    async runRead(input) {
      session.requireCache();
      refuseOperator(session);
      // Side-effectful actions go through a ticket update (a key per intent, kept offline);
      // the server requires that key too, this only says so in plain words.
      const known = (await server.list({})).find((a) => a.id === input.actionId);
      if (known?.sideEffectful) throw new AppError('BAD_REQUEST', `${known.label} changes something at the vendor; review it first (Actions tab)`);
      return actionRunResultSchema.parse(await server.run({ actionId: input.actionId, input: input.input }));
    },

    intents: (filter) => listIntents(session.requireCache().db, filter),
    intent: (id) => getIntent(session.requireCache().db, id),

    compose(input) {
      const cache = session.requireWritable();
      const intent = composeIntent(cache.db, input, clientName(cache, input.clientId), now());
      changed();
      return intent;
    },

    async post(id) {
      const cache = session.requireWritable();
      if (getPreference(cache.db, 'reviewMode') === 'on') {
        const intent = reviewIntent(cache.db, id, now());
        changed();
        return { intent, review: true };
      }
      queueIntent(cache.db, id, now());
      changed();
      return { intent: await sendNow(cache, id), review: false };
    },

    review(id) {
      const intent = reviewIntent(session.requireWritable().db, id, now());
      changed();
      return intent;
    },

    async apply(id) {
      const cache = session.requireWritable();
      queueIntent(cache.db, id, now());
      changed();
      return sendNow(cache, id);
    },

    discard(id) {
      discardIntent(session.requireWritable().db, id);
      changed();
    },

    async retry(id) {
      const cache = session.requireWritable();
      retryIntent(cache.db, id, now());
      changed();
      return sendNow(cache, id);
    },

    links: {
      list: (clientId) => {
        const cache = session.requireCache();
        return refreshLinks(cache, clientId, () => server.links(clientId, cache.readOnly ? cache.partnerId : undefined));
      },
      refresh: async (clientId) => {
        const cache = session.requireCache();
        if (!online()) throw new AppError('UNAVAILABLE', 'Refreshing reads the tickets from Syncro; it needs the server');
        // Asked for by the user: the server's refusal is the answer, not the cached copy.
        const { items, failed } = await server.refreshLinks(clientId);
        putCachedRead(cache.db, `links:${clientId}`, items, now());
        // The links the vendor would not give back are named, so the screen can say which stayed as they were.
        return { ...(await refreshLinks(cache, clientId, () => Promise.resolve(items))), failed: failed.map((f) => ({ ticketId: f.ticketId, message: f.message })) };
      },
      create: async (raw) => {
        const input = createLinkLocalInputSchema.parse(raw);
        const cache = session.requireWritable();
        const link = await server.createLink(input);
        await refreshLinks(cache, input.clientId, () => server.links(input.clientId)).catch(() => undefined);
        events.emit('mappings');
        return link;
      },
      remove: async ({ clientId, id }) => {
        const cache = session.requireWritable();
        await server.removeLink(id);
        await refreshLinks(cache, clientId, () => server.links(clientId)).catch(() => undefined);
        events.emit('mappings');
      },
    },

    requests,
    push,
  };
}
