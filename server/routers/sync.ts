import { z } from 'zod';
import { devPullRequestSchema, pullRequestSchema, pullResponseSchema, pushRequestSchema, pushResponseSchema, type SyncPoke } from '../../shared/sync.js';
import { actorFor } from '../services/integrations/actor.js';
import { devScope } from '../services/integrations/dev.js';
import { unavailableIfTransient } from '../services/sync/outcome.js';
import { currentSyncVersion, pullChanges } from '../services/sync/pull.js';
import { pushMutations } from '../services/sync/push.js';
import { authedProcedure, requireDev, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// The desktop core's sync protocol (shared/sync.ts). Internal: tRPC only, no REST routes.
// The flag first: with the catalog off every caller gets the same 404, whatever their role.
const member = authedProcedure.use(catalogEnabled);
const dev = member.use(requireDev);

export const syncRouter = router({
  /** Changes of the caller's partner after a cursor, one keyset page in one snapshot. */
  pull: member
    .input(pullRequestSchema)
    .output(pullResponseSchema)
    .query(({ ctx, input }) => {
      const partnerId = ctx.principal.partnerId;
      return unavailableIfTransient(() => pullChanges(ctx.deps, { partnerId, viewerPartnerId: partnerId, client: { userId: ctx.principal.userId } }, input));
    }),

  /** The dev partner's read-only pull of another partner (no push counterpart exists). */
  pullPartner: dev
    .input(devPullRequestSchema)
    .output(pullResponseSchema)
    .query(async ({ ctx, input }) => {
      const scope = await devScope(ctx.deps, ctx.principal, input.partnerId);
      return unavailableIfTransient(() => pullChanges(ctx.deps, { ...scope, client: null }, input));
    }),

  /**
   * The caller's mutations, each applied exactly once. Members may call it; a technician's
   * mutations come back `rejected` (FORBIDDEN), so their queue still moves on.
   */
  push: member
    .input(pushRequestSchema)
    .output(pushResponseSchema)
    .mutation(({ ctx, input }) => {
      const p = ctx.principal;
      return unavailableIfTransient(() =>
        pushMutations(ctx.deps, { partnerId: p.partnerId, userId: p.userId, isAdmin: p.role === 'partner_admin', actor: actorFor(p) }, input),
      );
    }),

  /** "Pull now" pokes for the caller's partner, over SSE (tRPC httpSubscriptionLink wire format). */
  changes: member.subscription(async function* ({ ctx, signal }): AsyncGenerator<SyncPoke> {
    const partnerId = ctx.principal.partnerId;
    const feed = ctx.deps.syncFeed.watch(partnerId, signal ?? new AbortController().signal, () => currentSyncVersion(ctx.deps, partnerId, partnerId));
    for await (const serverVersion of feed) yield { serverVersion };
  }),

  /** The dev partner's pokes for a partner it is looking at. */
  changesPartner: dev.input(z.strictObject({ partnerId: z.number().int().positive() })).subscription(async function* ({ ctx, input, signal }): AsyncGenerator<SyncPoke> {
    const scope = await devScope(ctx.deps, ctx.principal, input.partnerId);
    const feed = ctx.deps.syncFeed.watch(scope.partnerId, signal ?? new AbortController().signal, () => currentSyncVersion(ctx.deps, scope.viewerPartnerId, scope.partnerId));
    for await (const serverVersion of feed) yield { serverVersion };
  }),
});
