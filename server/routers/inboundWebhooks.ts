import {
  inboundDeleteOutputSchema,
  inboundDeliveriesInputSchema,
  inboundDeliveryPageSchema,
  inboundEndpointCreatedSchema,
  inboundEndpointViewSchema,
  inboundKeyInputSchema,
  inboundReplayInputSchema,
  inboundReplayOutputSchema,
} from '../../shared/integrations/inboundWebhooks.js';
import { actorFor } from '../services/integrations/actor.js';
import { listInboundDeliveries, replayInboundDelivery } from '../services/inboundWebhooks/deliveries.js';
import { createOrRotateInboundEndpoint, deleteInboundEndpoint, getInboundEndpoint } from '../services/inboundWebhooks/endpoints.js';
import { authedProcedure, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// Inbound webhooks of the caller's partner (issue 18 §5): the partner always comes from the
// verified token. Everyone of the partner reads the URL and the deliveries; making, rotating and
// deleting the URL (its secret) and replaying a delivery are partner admins'.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);

export const inboundWebhooksRouter = router({
  /** The integration's inbound URL, when it was made and its last delivery; never the secret. */
  endpoint: reader
    .input(inboundKeyInputSchema)
    .output(inboundEndpointViewSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/inbound', summary: "The integration's inbound webhook URL and its last delivery (never the secret)", tag: 'integrations' } })
    .query(({ ctx, input }) => getInboundEndpoint(ctx.deps, ctx.principal.partnerId, input.key)),

  /** Makes the URL with a new secret, or gives the existing URL a new secret; the secret is answered this once. */
  rotate: admin
    .input(inboundKeyInputSchema)
    .output(inboundEndpointCreatedSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/inbound', summary: 'Create the inbound webhook URL, or rotate its secret; the secret is in this answer only (partner admin)', tag: 'integrations' } })
    .mutation(({ ctx, input }) => createOrRotateInboundEndpoint(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.key)),

  delete: admin
    .input(inboundKeyInputSchema)
    .output(inboundDeleteOutputSchema)
    .meta({ openapi: { method: 'DELETE', path: '/api/integrations/:key/inbound', summary: 'Delete the inbound webhook URL, its secret and its deliveries (partner admin)', tag: 'integrations' } })
    .mutation(({ ctx, input }) => deleteInboundEndpoint(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.key)),

  deliveries: reader
    .input(inboundDeliveriesInputSchema)
    .output(inboundDeliveryPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/inbound/deliveries', summary: 'Inbound deliveries, newest first: received, processed or dead (filter status; cursor from nextCursor)', tag: 'integrations' } })
    .query(({ ctx, input }) => listInboundDeliveries(ctx.deps, ctx.principal.partnerId, input)),

  /** Sends a dead delivery through processing again. */
  replay: admin
    .input(inboundReplayInputSchema)
    .output(inboundReplayOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/inbound/deliveries/:id/replay', summary: 'Replay a dead inbound delivery: processed again with fresh retries (partner admin); 409 unless dead', tag: 'integrations' } })
    .mutation(({ ctx, input }) => replayInboundDelivery(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),
});
