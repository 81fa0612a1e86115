import { randomUUID } from 'node:crypto';
import type { IntegrationDetail } from '../../shared/integrations/catalog.js';
import type { Mutation, PullRequest, PullResponse, SyncChange } from '../../shared/sync.js';
import { validSettings, type CatalogWorld, type WorldUser } from './catalogWorld.js';

/** Sync calls as a user, through the real tRPC router (createCaller: auth, RBAC, schemas). */
export function syncCalls(w: CatalogWorld) {
  const caller = (who: WorldUser) => w.server.caller(who.auth).sync;
  return {
    pull: (who: WorldUser, input: Partial<PullRequest> & { clientId?: string } = {}) =>
      caller(who).pull({ clientId: input.clientId ?? randomUUID(), cursor: input.cursor ?? null, limit: input.limit ?? 500, auditWindow: input.auditWindow ?? 500 }),
    pullPartner: (who: WorldUser, partnerId: number, input: Partial<PullRequest> = {}) =>
      caller(who).pullPartner({ partnerId, clientId: input.clientId ?? randomUUID(), cursor: input.cursor ?? null, limit: input.limit ?? 500, auditWindow: input.auditWindow ?? 500 }),
    push: (who: WorldUser, clientId: string, mutations: Mutation[]) => caller(who).push({ clientId, mutations }),
    /** Pages until caught up, like the desktop engine; returns every page. */
    async pullAll(who: WorldUser, input: Partial<PullRequest> & { clientId?: string } = {}) {
      const pages: PullResponse[] = [];
      let cursor = input.cursor ?? null;
      for (;;) {
        const page = await this.pull(who, { ...input, cursor });
        pages.push(page);
        cursor = page.nextCursor;
        if (!page.hasMore) return pages;
      }
    },
    configure: async (who: WorldUser, key = 'testvendor', overrides = {}) => {
      const res = await w.request('POST', `/api/integrations/${key}/configure`, who, { settings: key === 'testvendor' ? validSettings(overrides) : { login: 'x', password: 'pw-123456', ...overrides } });
      if (res.statusCode !== 201) throw new Error(`configure failed: ${res.body}`);
      return res.json() as IntegrationDetail;
    },
    reconfigure: async (who: WorldUser, settings: Record<string, string | boolean>, key = 'testvendor') => {
      const res = await w.request('POST', `/api/integrations/${key}/reconfigure`, who, { settings });
      if (res.statusCode !== 200) throw new Error(`reconfigure failed: ${res.body}`);
      return res.json() as IntegrationDetail;
    },
  };
}

/** What a client would hold after applying pages in order (the desktop mirror, in memory). */
export class MemoryMirror {
  readonly integrations = new Map<string, IntegrationDetail>();
  readonly audit = new Map<number, string>();
  cursor: string | null = null;

  apply(page: PullResponse): void {
    if (page.reset) {
      this.integrations.clear();
      this.audit.clear();
    }
    for (const change of page.changes) this.applyChange(change);
    this.cursor = page.nextCursor;
  }

  applyChange(change: SyncChange): void {
    if (change.kind === 'integration') this.integrations.set(change.detail.key, change.detail);
    else if (change.kind === 'audit') this.audit.set(change.entry.id, change.entry.integrationKey);
    else {
      const current = this.integrations.get(change.key);
      if (current) this.integrations.set(change.key, { ...current, settings: null, state: { ...current.state, status: 'Not Configured', version: null } });
    }
  }

  /** The state of each integration, comparable across mirrors. */
  summary(): Record<string, { status: string; version: number | null; settings: unknown }> {
    return Object.fromEntries([...this.integrations].map(([k, d]) => [k, { status: d.state.status, version: d.state.version, settings: d.settings }]));
  }
}
