import {
  devDiscoveryRunInputSchema,
  devSnapshotInputSchema,
  discoveryRunInputSchema,
  discoveryRunOutputSchema,
  snapshotInputSchema,
  snapshotPageSchema,
  startDiscoveryInputSchema,
  startDiscoveryOutputSchema,
} from '../../shared/integrations/discovery.js';
import { getDiscoveryRun, getSnapshotPage } from '../services/discovery/read.js';
import { startDiscovery } from '../services/discovery/start.js';
import { actorFor } from '../services/integrations/actor.js';
import { ownScope } from '../services/integrations/catalog.js';
import { devScope } from '../services/integrations/dev.js';
import { authedProcedure, requireDev, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// Discovery of an integration's organizations. The partner always comes from the verified token;
// only the dev partner's read-only views name one. The flag first, as for the catalog.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);
const dev = reader.use(requireDev);

export const discoveryRouter = router({
  /** Queues a discovery (partner admin); a second start while one is queued or running returns that one. */
  start: admin
    .input(startDiscoveryInputSchema)
    .output(startDiscoveryOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/discovery', summary: "Discover the integration's organizations in the background (partner admin); returns the run (the running one if there is one)", tag: 'integrations', successStatus: 202 } })
    .mutation(({ ctx, input }) => startDiscovery(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.key)),

  /** A run's status and progress (pages done / total): the newest, or `runId`. */
  run: reader
    .input(discoveryRunInputSchema)
    .output(discoveryRunOutputSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/discovery', summary: 'Status and progress of the newest discovery run (or runId): pages done of total, counts, or why it failed', tag: 'integrations' } })
    .query(({ ctx, input }) => getDiscoveryRun(ctx.deps, ownScope(ctx.principal.partnerId), input)),

  /** The latest snapshot: organizations in name order (cursor from nextCursor), takenAt and the diff counts. */
  snapshot: reader
    .input(snapshotInputSchema)
    .output(snapshotPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/organizations', summary: "The latest discovered organizations, with when they were taken and what is new, renamed or gone (filter with change, q)", tag: 'integrations' } })
    .query(({ ctx, input }) => getSnapshotPage(ctx.deps, ownScope(ctx.principal.partnerId), input)),

  devRun: dev
    .input(devDiscoveryRunInputSchema)
    .output(discoveryRunOutputSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/integrations/:key/discovery', summary: "A partner's newest discovery run (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input }) => getDiscoveryRun(ctx.deps, await devScope(ctx.deps, ctx.principal, input.partnerId), input)),

  devSnapshot: dev
    .input(devSnapshotInputSchema)
    .output(snapshotPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/integrations/:key/organizations', summary: "A partner's latest discovered organizations (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input }) => getSnapshotPage(ctx.deps, await devScope(ctx.deps, ctx.principal, input.partnerId), input)),
});
