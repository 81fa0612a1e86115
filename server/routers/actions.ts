import { actionListSchema, actionRunResultSchema, listActionsInputSchema, runActionInputSchema } from '../../shared/actions.js';
import { listActions } from '../services/actions/list.js';
import { runAction } from '../services/actions/run.js';
import { authedProcedure, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// Integration actions (issue 15, docs/actions.md). Who may run what is decided per action in the
// service (reads: any partner member; side-effectful: partner admins; the dev partner: none),
// so both procedures admit every signed-in user and the service answers 403 where it must.
const member = authedProcedure.use(catalogEnabled);

export const actionsRouter = router({
  list: member
    .input(listActionsInputSchema)
    .output(actionListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/actions', summary: "The actions of this partner's integrations, each with whether it can run now and why not (?key=, ?clientId=)", tag: 'integrations' } })
    .query(async ({ ctx, input }) => ({ items: await listActions(ctx.deps, ctx.principal, input) })),

  // A mutation even for reads: running an action calls a vendor, and side-effectful ones change
  // something there (exactly once per idempotency key).
  run: member
    .input(runActionInputSchema)
    .output(actionRunResultSchema)
    .meta({ openapi: { method: 'POST', path: '/api/actions/:actionId/run', summary: 'Run an action (side-effectful ones: partner admins, with an idempotency key; a retry with the key returns the stored result)', tag: 'integrations' } })
    .mutation(({ ctx, input }) => runAction(ctx.deps, ctx.principal, input)),
});
