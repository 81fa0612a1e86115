import { z } from 'zod';
import { clientSchema, mappingSchema, suggestionSchema } from '../../../shared/clients.js';
import { AppError } from '../../../shared/errors.js';
import { discoveryRunSchema, snapshotOrganizationSchema, snapshotPageSchema } from '../../../shared/integrations/discovery.js';
import { applyMappingsLocalInputSchema, type MappingsView } from '../../../shared/localApi.js';
import { getCachedRead, putCachedRead } from '../cache/serverReads.js';
import { getIntegration, listIntegrations } from '../cache/pulledCatalog.js';
import { discardMappingDraft, listMappingDrafts, pushMappingDrafts, queueMappingEdits, resolveMappingDraft, type MappingEdit } from '../drafts/mappingDrafts.js';
import { keptPush } from '../drafts/keptPush.js';
import type { LocalServices } from '../api/contract.js';
import type { MappingServer } from '../server/contract.js';
import type { DesktopSession, OpenCache } from '../session/session.js';
import type { CoreEvents } from './events.js';

export interface MappingsOptions {
  session: DesktopSession;
  server: MappingServer;
  events: CoreEvents;
  now?: () => Date;
  /** A cached read younger than this is answered without asking the server again. */
  maxAgeMs?: number;
}

/** The local API's `mappings` (api/contract.ts, its one declaration), and the push the sync engine calls. */
export type MappingsService = LocalServices['mappings'] & {
  /** Sends queued edits now (also done by itself whenever the connection comes back). */
  push(): Promise<void>;
};

// The cached documents (cache/serverReads.ts), one per name.
const clientsDoc = z.array(clientSchema);
const mappingsDoc = z.array(mappingSchema);
const suggestionsDoc = z.array(suggestionSchema);
const runDoc = discoveryRunSchema.nullable();
const snapshotDoc = z.object({ snapshot: snapshotPageSchema.shape.snapshot, organizations: z.array(snapshotOrganizationSchema) });


/**
 * Clients, mappings and discovery: server reads cached in SQLite so the Clients screen and each
 * Mappings tab show offline, refreshed when online and older than `maxAgeMs`. Changes go to the
 * server (partner admins of the own partner) and refresh the cache before answering, so the
 * screen that made them reads the result at once. The server's rules (an organization maps to
 * one client, names unique) stay on the server: its refusals reach the UI as they are.
 */
export function createMappings(options: MappingsOptions): MappingsService {
  const { session, server, events } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const maxAge = options.maxAgeMs ?? 5_000;
  const online = () => Boolean(session.serverAccess()?.token);
  const fresh = (fetchedAt: string | undefined) => fetchedAt !== undefined && Date.now() - Date.parse(fetchedAt) < maxAge;

  /** The integrations with organizations to map, from the synced catalog. */
  const mappable = (cache: OpenCache) => listIntegrations(cache.db).filter((d) => (d.capabilities ?? []).includes('organizations'));
  function requireMappable(cache: OpenCache, key: string): void {
    const detail = getIntegration(cache.db, key);
    if (!detail) throw new AppError('NOT_FOUND', 'Unknown integration');
    if (!(detail.capabilities ?? []).includes('organizations')) throw new AppError('BAD_REQUEST', `${detail.name} has no organizations to map`);
  }

  async function refreshClients(cache: OpenCache): Promise<void> {
    const at = now();
    // The dev partner viewing another partner reads its rows through the read-only dev routes.
    const other = cache.readOnly ? cache.partnerId : undefined;
    const [clients, ...lists] = await Promise.all([server.clients(other), ...mappable(cache).map((d) => server.mappings(d.key, other))]);
    putCachedRead(cache.db, 'clients', clients, at);
    mappable(cache).forEach((d, i) => putCachedRead(cache.db, `mappings:${d.key}`, lists[i] ?? [], at));
  }

  async function refreshView(cache: OpenCache, key: string): Promise<void> {
    const at = now();
    // The dev partner viewing another partner reads it through the read-only dev routes, and
    // gets no suggestions: nobody can accept them there.
    const other = cache.readOnly ? cache.partnerId : undefined;
    const [run, snap, clients, mappings] = await Promise.all([server.discoveryRun(key, other), server.snapshot(key, other), server.clients(other), server.mappings(key, other)]);
    putCachedRead(cache.db, `run:${key}`, run, at);
    putCachedRead(cache.db, `snapshot:${key}`, snap, at);
    putCachedRead(cache.db, 'clients', clients, at);
    putCachedRead(cache.db, `mappings:${key}`, mappings, at);
    if (other !== undefined) return;
    // The server matches against its own latest snapshot, leaving out what is mapped already.
    const mapped = new Set(mappings.map((m) => m.externalOrgId));
    const unmapped = snap.organizations.some((o) => !mapped.has(o.id));
    const suggestions = snap.snapshot && unmapped && clients.some((c) => !c.archived) ? await server.suggest(key) : [];
    putCachedRead(cache.db, `suggestions:${key}`, suggestions, at);
  }

  /** Refreshes when online and stale; offline (or a failed refresh) answers from the cache. */
  async function maybeRefresh(cache: OpenCache, doc: string, refresh: () => Promise<void>): Promise<void> {
    const cached = cache.db.prepare('SELECT fetched_at FROM cached_reads WHERE name = ?').pluck().get(doc) as string | undefined;
    if (!online() || fresh(cached)) return;
    try {
      await refresh();
    } catch (error) {
      // Nothing cached yet: say why instead of showing an empty screen as if it were the truth.
      if (cached === undefined && !(error instanceof AppError && error.code === 'UNAVAILABLE')) throw error;
    }
  }

  function readView(cache: OpenCache, key: string): MappingsView {
    const snap = getCachedRead(cache.db, `snapshot:${key}`, snapshotDoc);
    const run = getCachedRead(cache.db, `run:${key}`, runDoc);
    const own = !cache.readOnly;
    return {
      key,
      snapshot: snap?.value.snapshot ?? null,
      organizations: snap?.value.organizations ?? [],
      mappings: getCachedRead(cache.db, `mappings:${key}`, mappingsDoc)?.value ?? [],
      suggestions: own ? (getCachedRead(cache.db, `suggestions:${key}`, suggestionsDoc)?.value ?? []) : [],
      clients: getCachedRead(cache.db, 'clients', clientsDoc)?.value ?? [],
      run: run?.value ?? null,
      fetchedAt: snap?.fetchedAt ?? null,
      drafts: own ? listMappingDrafts(cache.db, key) : [],
    };
  }

  /** Sends queued edits (drafts/keptPush.ts): on every sync and on demand, in id order, each checked against the server first. */
  const push = keptPush({
    session,
    events,
    ready: () => online(),
    states: (cache) => JSON.stringify(listMappingDrafts(cache.db)),
    send: async (cache) => {
      const touched = await pushMappingDrafts(cache.db, server, now);
      for (const key of touched) await refreshView(cache, key).catch(() => undefined);
    },
    changed: () => events.emit('mappings', 'drafts', 'sync'),
  });

  /** The edits an apply describes, per organization (a create wins over a delete of the same one). */
  function editsOf(cache: OpenCache, input: ReturnType<typeof applyMappingsLocalInputSchema.parse>): MappingEdit[] {
    const names = new Map(readView(cache, input.key).organizations.map((o) => [o.id, o.name]));
    for (const m of getCachedRead(cache.db, `mappings:${input.key}`, mappingsDoc)?.value ?? []) if (!names.has(m.externalOrgId)) names.set(m.externalOrgId, m.externalOrgName);
    const edits = new Map<string, MappingEdit>();
    for (const id of input.delete) edits.set(id, { externalOrgId: id, externalOrgName: names.get(id) ?? id, clientId: null });
    for (const c of input.create) edits.set(c.externalOrgId, { externalOrgId: c.externalOrgId, externalOrgName: c.externalOrgName || (names.get(c.externalOrgId) ?? c.externalOrgId), clientId: c.clientId });
    return [...edits.values()];
  }

  /** A change went to the server: refetch what it touched, then tell the UI. */
  async function changed(cache: OpenCache, keys: 'all' | string): Promise<void> {
    try {
      if (keys === 'all') await refreshClients(cache);
      else await refreshView(cache, keys);
    } finally {
      events.emit('mappings');
    }
  }

  return {
    async clients() {
      const cache = session.requireCache();
      await maybeRefresh(cache, 'clients', () => refreshClients(cache));
      const clients = getCachedRead(cache.db, 'clients', clientsDoc);
      const mappings = mappable(cache).flatMap((d) => getCachedRead(cache.db, `mappings:${d.key}`, mappingsDoc)?.value ?? []);
      return { clients: clients?.value ?? [], mappings, fetchedAt: clients?.fetchedAt ?? null };
    },

    async createClient(name) {
      const cache = session.requireWritable();
      const client = await server.createClient(name);
      await changed(cache, 'all');
      return client;
    },

    async renameClient(input) {
      const cache = session.requireWritable();
      const client = await server.renameClient(input);
      await changed(cache, 'all');
      return client;
    },

    async archiveClient(id) {
      const cache = session.requireWritable();
      const client = await server.archiveClient(id);
      await changed(cache, 'all');
      return client;
    },

    async view(key) {
      const cache = session.requireCache();
      requireMappable(cache, key);
      await maybeRefresh(cache, `snapshot:${key}`, () => refreshView(cache, key));
      return readView(cache, key);
    },

    async apply(raw) {
      const cache = session.requireWritable();
      const input = applyMappingsLocalInputSchema.parse(raw);
      requireMappable(cache, input.key);
      const queue = () => {
        const queued = queueMappingEdits(cache.db, input.key, editsOf(cache, input), now());
        events.emit('mappings', 'drafts', 'sync');
        return { created: 0, deleted: 0, queued };
      };
      // Edits of an organization that already waits offline join the queue, so they go in order.
      const waiting = new Set(listMappingDrafts(cache.db, input.key).map((d) => d.externalOrgId));
      const touchesWaiting = [...input.delete, ...input.create.map((c) => c.externalOrgId)].some((id) => waiting.has(id));
      if (!online() || touchesWaiting) {
        const out = queue();
        if (online()) await push();
        return out;
      }
      try {
        const out = await server.applyMappings(input);
        await changed(cache, input.key);
        return { ...out, queued: 0 };
      } catch (error) {
        // The server went away between the check and the call: keep the edit for later.
        if (error instanceof AppError && error.code === 'UNAVAILABLE') return queue();
        throw error;
      }
    },

    async startDiscovery(key) {
      const cache = session.requireWritable();
      requireMappable(cache, key);
      const run = await server.startDiscovery(key);
      putCachedRead(cache.db, `run:${key}`, run, now());
      events.emit('mappings');
      return { run };
    },

    drafts: () => {
      const cache = session.requireCache();
      return cache.readOnly ? [] : listMappingDrafts(cache.db);
    },

    discardDraft: (id) => {
      discardMappingDraft(session.requireWritable().db, id);
      events.emit('mappings', 'drafts', 'sync');
    },

    async resolveDraft(id, keep) {
      resolveMappingDraft(session.requireWritable().db, id, keep, now());
      events.emit('mappings', 'drafts', 'sync');
      await push();
    },

    push,

    async discoveryRun(key) {
      const cache = session.requireCache();
      requireMappable(cache, key);
      if (online()) {
        const before = getCachedRead(cache.db, `run:${key}`, runDoc)?.value ?? null;
        try {
          const run = await server.discoveryRun(key, cache.readOnly ? cache.partnerId : undefined);
          putCachedRead(cache.db, `run:${key}`, run, now());
          // A run that just finished changed the snapshot: fetch it before the UI reads it again.
          if (run?.status === 'succeeded' && !(before?.id === run.id && before.status === 'succeeded')) await changed(cache, key);
          return { run };
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'UNAVAILABLE')) throw error;
        }
      }
      return { run: getCachedRead(cache.db, `run:${key}`, runDoc)?.value ?? null };
    },
  };
}
