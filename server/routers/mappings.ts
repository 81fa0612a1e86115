import { z } from 'zod';
import {
  applyMappingsInputSchema,
  applyMappingsOutputSchema,
  createMappingInputSchema,
  deleteMappingInputSchema,
  devMappingsInputSchema,
  mappingListSchema,
  mappingSchema,
  mappingsByClientInputSchema,
  mappingsByIntegrationInputSchema,
  suggestInputSchema,
  suggestionListSchema,
} from '../../shared/clients.js';
import { applyMappings, createMapping, deleteMapping, getClientMappings, getIntegrationMappings } from '../services/clients/mappings.js';
import { suggestForIntegration } from '../services/clients/suggestions.js';
import { actorFor } from '../services/integrations/actor.js';
import { ownScope } from '../services/integrations/catalog.js';
import { devScope } from '../services/integrations/dev.js';
import { authedProcedure, requireDev, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// Links from the partner's clients to an integration's organizations (issue 14). An
// organization maps to at most one client: mapping it again is a 409 naming the holder.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);
const dev = reader.use(requireDev);

export const mappingsRouter = router({
  byIntegration: reader
    .input(mappingsByIntegrationInputSchema)
    .output(mappingListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/mappings', summary: "Every mapping of one integration to this partner's clients", tag: 'clients' } })
    .query(async ({ ctx, input }) => ({ items: await getIntegrationMappings(ctx.deps, ownScope(ctx.principal.partnerId), input.key) })),

  byClient: reader
    .input(mappingsByClientInputSchema)
    .output(mappingListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/clients/:clientId/mappings', summary: "One client's mappings across integrations", tag: 'clients' } })
    .query(async ({ ctx, input }) => ({ items: await getClientMappings(ctx.deps.db, ctx.principal.partnerId, input.clientId) })),

  create: admin
    .input(createMappingInputSchema)
    .output(mappingSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/mappings', summary: 'Map an organization to a client (partner admin); 409 naming the client that already holds it', tag: 'clients', successStatus: 201 } })
    .mutation(({ ctx, input }) => createMapping(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  delete: admin
    .input(deleteMappingInputSchema)
    .output(z.object({ deleted: z.number().int() }))
    .meta({ openapi: { method: 'DELETE', path: '/api/integrations/:key/mappings/:externalOrgId', summary: 'Unmap an organization (partner admin)', tag: 'clients' } })
    .mutation(({ ctx, input }) => deleteMapping(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  applyBatch: admin
    .input(applyMappingsInputSchema)
    .output(applyMappingsOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/mappings/apply', summary: 'Apply deletes then creates of one integration in one transaction (partner admin): all or nothing', tag: 'clients' } })
    .mutation(({ ctx, input }) => applyMappings(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  // A mutation only because its input (the organizations) is too large for a query string; it
  // changes nothing, so technicians may call it. Without organizations it reads the latest
  // discovery snapshot (409 "Discover organizations first" when there is none).
  suggest: reader
    .input(suggestInputSchema)
    .output(suggestionListSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/mappings/suggest', summary: 'Suggested client for each organization (given, else the latest discovered), scored; changes nothing; 409 before any discovery', tag: 'clients' } })
    .mutation(async ({ ctx, input }) => ({ items: await suggestForIntegration(ctx.deps, ctx.principal.partnerId, input) })),

  devByIntegration: dev
    .input(devMappingsInputSchema)
    .output(mappingListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/integrations/:key/mappings', summary: "A partner's mappings of one integration (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input }) => ({ items: await getIntegrationMappings(ctx.deps, await devScope(ctx.deps, ctx.principal, input.partnerId), input.key) })),
});
