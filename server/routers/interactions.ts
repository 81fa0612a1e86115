import {
  devInteractionIdInputSchema,
  devListInteractionsInputSchema,
  interactionDetailSchema,
  interactionIdInputSchema,
  interactionPageSchema,
  listInteractionsInputSchema,
} from '../../shared/interactions.js';
import { ownScope } from '../services/integrations/catalog.js';
import { devScope } from '../services/integrations/dev.js';
import { getInteractionDetail, getInteractionPage } from '../services/interactions/read.js';
import { authedProcedure, requireDev, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// The interaction log (issue 15): every member of a partner reads its own (it is the "view
// logs" of each integration); the dev partner reads any partner's, read only. Nobody writes
// through the API: rows come from the vendor client.
const reader = authedProcedure.use(catalogEnabled);
const dev = reader.use(requireDev);

export const interactionsRouter = router({
  list: reader
    .input(listInteractionsInputSchema)
    .output(interactionPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/interactions', summary: "One integration's vendor calls, newest first (filter by outcome, actionId, from/to; keyset cursor); no bodies", tag: 'integrations' } })
    .query(({ ctx, input: { key, ...filter } }) => getInteractionPage(ctx.deps, ownScope(ctx.principal.partnerId), key, filter)),

  get: reader
    .input(interactionIdInputSchema)
    .output(interactionDetailSchema)
    .meta({ openapi: { method: 'GET', path: '/api/interactions/:id', summary: 'One vendor call with its redacted request and response bodies', tag: 'integrations' } })
    .query(({ ctx, input }) => getInteractionDetail(ctx.deps, ownScope(ctx.principal.partnerId), input.id)),

  devList: dev
    .input(devListInteractionsInputSchema)
    .output(interactionPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/integrations/:key/interactions', summary: "A partner's vendor calls of one integration (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input: { partnerId, key, ...filter } }) => getInteractionPage(ctx.deps, await devScope(ctx.deps, ctx.principal, partnerId), key, filter)),

  devGet: dev
    .input(devInteractionIdInputSchema)
    .output(interactionDetailSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/interactions/:id', summary: "One of a partner's vendor calls with its redacted bodies (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input }) => getInteractionDetail(ctx.deps, await devScope(ctx.deps, ctx.principal, input.partnerId), input.id)),
});
