import {
  clientAuditInputSchema,
  clientAuditPageSchema,
  clientIdInputSchema,
  clientListSchema,
  clientSchema,
  createClientInputSchema,
  devClientsInputSchema,
  listClientsInputSchema,
  renameClientInputSchema,
} from '../../shared/clients.js';
import { getClientAudit } from '../services/clients/audit.js';
import { archiveClient, createClient, getClients, renameClient } from '../services/clients/clients.js';
import { actorFor } from '../services/integrations/actor.js';
import { ownScope } from '../services/integrations/catalog.js';
import { devScope } from '../services/integrations/dev.js';
import { authedProcedure, requireDev, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// The partner's clients (issue 14). The partner comes from the token; technicians read.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);
const dev = reader.use(requireDev);

export const clientsRouter = router({
  /** This partner's clients by name; archived ones with includeArchived. */
  list: reader
    .input(listClientsInputSchema)
    .output(clientListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/clients', summary: "This partner's clients by name (archived ones with includeArchived=true)", tag: 'clients' } })
    .query(async ({ ctx, input }) => ({ items: await getClients(ctx.deps.db, ownScope(ctx.principal.partnerId), input?.includeArchived ?? false) })),

  create: admin
    .input(createClientInputSchema)
    .output(clientSchema)
    .meta({ openapi: { method: 'POST', path: '/api/clients', summary: 'Add a client (partner admin); the name must be free among live clients, whatever the case', tag: 'clients', successStatus: 201 } })
    .mutation(({ ctx, input }) => createClient(ctx.deps.db, ctx.principal.partnerId, actorFor(ctx.principal), input.name)),

  rename: admin
    .input(renameClientInputSchema)
    .output(clientSchema)
    .meta({ openapi: { method: 'POST', path: '/api/clients/:id/rename', summary: 'Rename a client (partner admin); 409 when baseVersion is stale or the name is taken', tag: 'clients' } })
    .mutation(({ ctx, input }) => renameClient(ctx.deps.db, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  archive: admin
    .input(clientIdInputSchema)
    .output(clientSchema)
    .meta({ openapi: { method: 'POST', path: '/api/clients/:id/archive', summary: 'Archive a client (partner admin): hidden from the list, its mappings kept', tag: 'clients' } })
    .mutation(({ ctx, input }) => archiveClient(ctx.deps.db, ctx.principal.partnerId, actorFor(ctx.principal), input.id)),

  /** Who changed which client or mapping, newest first; every partner member reads it. */
  audit: reader
    .input(clientAuditInputSchema)
    .output(clientAuditPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/clients/audit', summary: 'Who changed which client or mapping, with before and after, newest first (clientId, before, limit)', tag: 'clients' } })
    .query(({ ctx, input }) => getClientAudit(ctx.deps.db, ctx.principal.partnerId, input ?? {})),

  devList: dev
    .input(devClientsInputSchema)
    .output(clientListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/clients', summary: "A partner's clients (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input }) => ({ items: await getClients(ctx.deps.db, await devScope(ctx.deps, ctx.principal, input.partnerId), input.includeArchived ?? false) })),
});
