import { clientListSchema, clientSchema, mappingListSchema, suggestionListSchema, applyMappingsOutputSchema } from '../../../shared/clients.js';
import { discoveryRunOutputSchema, maxSnapshotPage, snapshotPageSchema, startDiscoveryOutputSchema, type SnapshotOrganization } from '../../../shared/integrations/discovery.js';
import type { z } from 'zod';
import type { MappingServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; this needs a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/** Lists read beyond this many snapshot pages (500 each) are cut: 100,000 is the server's own cap. */
const maxPages = 200;

/**
 * Clients, mappings and discovery over the typed client. The partner is the token's; the dev
 * partner's reads name another one through the server's read-only dev routes.
 */
export function httpMappingServer(http: HttpOptions, access: () => ServerAccess | null): MappingServer {
  const call = signedInCaller(http, access, failures, 15_000);
  return {
    clients: async (partnerId) =>
      clientListSchema.parse(await call((api) => (partnerId ? api.clients.devList.query({ partnerId, includeArchived: true }) : api.clients.list.query({ includeArchived: true })))).items,
    createClient: async (name) => clientSchema.parse(await call((api) => api.clients.create.mutate({ name }))),
    renameClient: async (input) => clientSchema.parse(await call((api) => api.clients.rename.mutate(input))),
    archiveClient: async (id) => clientSchema.parse(await call((api) => api.clients.archive.mutate({ id }))),
    mappings: async (key, partnerId) =>
      mappingListSchema.parse(await call((api) => (partnerId ? api.mappings.devByIntegration.query({ key, partnerId }) : api.mappings.byIntegration.query({ key })))).items,
    applyMappings: async (input) => {
      const out = applyMappingsOutputSchema.parse(await call((api) => api.mappings.applyBatch.mutate(input)));
      return { created: out.created.length, deleted: out.deleted };
    },
    suggest: async (key) => suggestionListSchema.parse(await call((api) => api.mappings.suggest.mutate({ key }), 30_000)).items,
    startDiscovery: async (key) => startDiscoveryOutputSchema.parse(await call((api) => api.discovery.start.mutate({ key }))).run,
    discoveryRun: async (key, partnerId) =>
      discoveryRunOutputSchema.parse(await call((api) => (partnerId ? api.discovery.devRun.query({ key, partnerId }) : api.discovery.run.query({ key })))).run,
    snapshot: async (key, partnerId) => {
      const organizations: SnapshotOrganization[] = [];
      let cursor: string | undefined;
      let first: z.infer<typeof snapshotPageSchema> | null = null;
      for (let page = 0; page < maxPages; page++) {
        const input = { key, limit: maxSnapshotPage, ...(cursor ? { cursor } : {}) };
        const got = snapshotPageSchema.parse(await call((api) => (partnerId ? api.discovery.devSnapshot.query({ ...input, partnerId }) : api.discovery.snapshot.query(input))));
        first ??= got;
        organizations.push(...got.items);
        if (!got.nextCursor) break;
        cursor = got.nextCursor;
      }
      return { snapshot: first?.snapshot ?? null, organizations };
    },
  };
}
