import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mapping } from '../../../shared/clients.js';
import { putCachedRead } from '../cache/serverReads.js';
import type { CacheDb } from '../db/types.js';
import type { MappingServer } from '../server/contract.js';
import { tempCache } from '../test/fixtures.js';
import { listMappingDrafts, pushMappingDrafts, queueMappingEdits } from './mappingDrafts.js';

let cache: Awaited<ReturnType<typeof tempCache>>;
let db: CacheDb;
beforeEach(async () => {
  cache = await tempCache();
  db = cache.db;
});
afterEach(() => cache.cleanup());

const at = '2026-12-06T12:00:00.000Z';
const mapping = (externalOrgId: string, clientId: number): Mapping => ({
  id: 1,
  clientId,
  integrationKey: 'msp360',
  externalOrgId,
  externalOrgName: `Org ${externalOrgId}`,
  createdBy: null,
  createdAt: at,
  missingAtVendor: false,
});

/** A server holding `held` (organization → client) that applies what it is sent. */
function fakeServer(held: Map<string, number>): MappingServer & { sent: { create: string[]; delete: string[] }[] } {
  const sent: { create: string[]; delete: string[] }[] = [];
  const unused = () => Promise.reject(new Error('not used by pushMappingDrafts'));
  return {
    sent,
    clients: unused,
    createClient: unused,
    renameClient: unused,
    archiveClient: unused,
    suggest: unused,
    startDiscovery: unused,
    discoveryRun: unused,
    snapshot: unused,
    mappings: async () => [...held].map(([org, client]) => mapping(org, client)),
    applyMappings: async (input) => {
      sent.push({ create: input.create.map((c) => c.externalOrgId), delete: input.delete });
      for (const org of input.delete) held.delete(org);
      for (const c of input.create) held.set(c.externalOrgId, c.clientId);
      return { created: input.create.length, deleted: input.delete.length };
    },
  };
}

describe('mapping edits kept for later', () => {
  it('an unmap after a map whose answer was lost (the server already holds it) is sent, not cancelled against the map', async () => {
    putCachedRead(db, 'mappings:msp360', [], at);
    // Mapped while the server died before answering: kept as an edit (base unmapped → client 5)…
    expect(queueMappingEdits(db, 'msp360', [{ externalOrgId: 'org-1', externalOrgName: 'Org 1', clientId: 5 }], at)).toBe(1);
    // …but the server had committed it: the cache, refreshed from it, shows org-1 mapped to 5.
    putCachedRead(db, 'mappings:msp360', [mapping('org-1', 5)], at);
    // The admin unmaps it. Merged into the first edit this would be "back to base": nothing sent.
    expect(queueMappingEdits(db, 'msp360', [{ externalOrgId: 'org-1', externalOrgName: 'Org 1', clientId: null }], at)).toBe(1);
    expect(listMappingDrafts(db)).toMatchObject([{ externalOrgId: 'org-1', baseClientId: 5, clientId: null, state: 'queued' }]);

    const server = fakeServer(new Map([['org-1', 5]]));
    await pushMappingDrafts(db, server, () => at);
    expect(server.sent).toEqual([{ create: [], delete: ['org-1'] }]);
    expect(listMappingDrafts(db)).toEqual([]);
  });

  it('a second edit before the first reached the server still replaces its target, and one back to base drops it', () => {
    putCachedRead(db, 'mappings:msp360', [], at);
    queueMappingEdits(db, 'msp360', [{ externalOrgId: 'org-2', externalOrgName: 'Org 2', clientId: 5 }], at);
    queueMappingEdits(db, 'msp360', [{ externalOrgId: 'org-2', externalOrgName: 'Org 2', clientId: 6 }], at);
    expect(listMappingDrafts(db)).toMatchObject([{ externalOrgId: 'org-2', baseClientId: null, clientId: 6 }]);
    expect(queueMappingEdits(db, 'msp360', [{ externalOrgId: 'org-2', externalOrgName: 'Org 2', clientId: null }], at)).toBe(0);
    expect(listMappingDrafts(db)).toEqual([]);
  });
});
