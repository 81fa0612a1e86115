import { z } from 'zod';
import {
  clientTicketLinksInputSchema,
  createTicketLinkInputSchema,
  devClientTicketLinksInputSchema,
  refreshTicketLinksOutputSchema,
  ticketLinkIdInputSchema,
  ticketLinkListSchema,
  ticketLinkSchema,
} from '../../shared/actions.js';
import { ownScope } from '../services/integrations/catalog.js';
import { devScope } from '../services/integrations/dev.js';
import { clientTicketLinks, createTicketLink, refreshClientTicketLinks, removeTicketLink } from '../services/ticketLinks/ticketLinks.js';
import { authedProcedure, requireDev, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// A client's links to external tickets (issue 15, docs/actions.md). Reading and refreshing (a
// read at the vendor) are for every partner member; creating and deleting for partner admins;
// the dev partner reads any partner's, read-only.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);
const dev = reader.use(requireDev);

export const ticketLinksRouter = router({
  byClient: reader
    .input(clientTicketLinksInputSchema)
    .output(ticketLinkListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/clients/:clientId/ticket-links', summary: "One client's links to external tickets, newest first", tag: 'clients' } })
    .query(async ({ ctx, input }) => ({ items: await clientTicketLinks(ctx.deps, ownScope(ctx.principal.partnerId), input.clientId) })),

  create: admin
    .input(createTicketLinkInputSchema)
    .output(ticketLinkSchema)
    .meta({ openapi: { method: 'POST', path: '/api/clients/:clientId/ticket-links', summary: "Link a client to a ticket (partner admin); the ticket is read at the vendor first (409 when the integration cannot)", tag: 'clients', successStatus: 201 } })
    .mutation(({ ctx, input }) => createTicketLink(ctx.deps, ctx.principal, input)),

  delete: admin
    .input(ticketLinkIdInputSchema)
    .output(z.object({ deleted: z.number().int() }))
    .meta({ openapi: { method: 'DELETE', path: '/api/ticket-links/:id', summary: 'Remove a ticket link (partner admin); the ticket at the vendor is untouched', tag: 'clients' } })
    .mutation(({ ctx, input }) => removeTicketLink(ctx.deps, ctx.principal, input.id)),

  refresh: reader
    .input(clientTicketLinksInputSchema)
    .output(refreshTicketLinksOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/clients/:clientId/ticket-links/refresh', summary: "Re-read each of a client's linked tickets at its vendor; links that could not be read are named in failed", tag: 'clients' } })
    .mutation(({ ctx, input }) => refreshClientTicketLinks(ctx.deps, ctx.principal, input.clientId)),

  devByClient: dev
    .input(devClientTicketLinksInputSchema)
    .output(ticketLinkListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/clients/:clientId/ticket-links', summary: "A partner's client's ticket links (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input }) => ({ items: await clientTicketLinks(ctx.deps, await devScope(ctx.deps, ctx.principal, input.partnerId), input.clientId) })),
});
