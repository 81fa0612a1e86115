import { z } from 'zod';
import {
  addRecipeInputSchema,
  automationIdInputSchema,
  automationListSchema,
  automationRunDetailSchema,
  automationSchema,
  automationVersionsSchema,
  devAutomationsInputSchema,
  devRunInputSchema,
  devRunsInputSchema,
  createAutomationInputSchema,
  recipeListSchema,
  runIdInputSchema,
  runListInputSchema,
  runListSchema,
  runNowInputSchema,
  setEnabledInputSchema,
  updateAutomationInputSchema,
} from '../../shared/automations.js';
import { AppError } from '../../shared/errors.js';
import type { Principal } from '../services/principal.js';
import { createAutomation, deleteAutomation, getAutomation, listAutomations, listVersions, runNow, setEnabled, updateAutomation } from '../services/automations/automations.js';
import { addRecipe, recipes } from '../services/automations/recipes.js';
import { getRun, listAutomationRuns, replayDead, rerunFromFailed } from '../services/automations/runs.js';
import type { Context } from '../trpc/context.js';
import { devScope } from '../services/integrations/dev.js';
import { authedProcedure, middleware, requireDev, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// Automations of the caller's partner (issue 23); the partner always comes from the verified
// token. Everyone of the partner reads them and their runs; partner admins edit and run them;
// the dev partner never edits or runs (it reads, read only).
const notDev = middleware(({ ctx, next }) => {
  if ((ctx as Context & { principal?: Principal }).principal?.isDev) throw new AppError('FORBIDDEN', 'The platform operator reads automations but never edits or runs them');
  return next();
});
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin).use(notDev);
const dev = reader.use(requireDev);
const runResult = z.object({ runId: z.number() });

export const automationsRouter = router({
  list: reader.output(automationListSchema).meta({ openapi: { method: 'GET', path: '/api/automations', summary: 'This partner\'s automations, each with its last run and success rate', tag: 'automations' } }).query(async ({ ctx }) => ({ items: await listAutomations(ctx.deps, ctx.principal.partnerId) })),
  get: reader.input(automationIdInputSchema).output(automationSchema).meta({ openapi: { method: 'GET', path: '/api/automations/:id', summary: 'One automation: its trigger, steps, version and last run', tag: 'automations' } }).query(({ ctx, input }) => getAutomation(ctx.deps, ctx.principal.partnerId, input.id)),
  versions: reader.input(automationIdInputSchema).output(automationVersionsSchema).meta({ openapi: { method: 'GET', path: '/api/automations/:id/versions', summary: 'Every saved version of an automation, newest first, with who changed what', tag: 'automations' } }).query(({ ctx, input }) => listVersions(ctx.deps, ctx.principal.partnerId, input.id)),
  /** Saves nothing unless every step type-checks (400 with fields `steps.<i>.input.<field>`). */
  create: admin.input(createAutomationInputSchema).output(automationSchema).meta({ openapi: { method: 'POST', path: '/api/automations', summary: 'Create an automation (partner admin); 400 naming the step and field when a step does not type-check, nothing saved', tag: 'automations', successStatus: 201 } }).mutation(({ ctx, input }) => createAutomation(ctx.deps, ctx.principal, input)),
  update: admin.input(updateAutomationInputSchema).output(automationSchema).meta({ openapi: { method: 'PUT', path: '/api/automations/:id', summary: 'Save a new version of an automation (partner admin) from baseVersion; 409 when someone saved in between', tag: 'automations' } }).mutation(({ ctx, input }) => updateAutomation(ctx.deps, ctx.principal, input)),
  setEnabled: admin.input(setEnabledInputSchema).output(automationSchema).meta({ openapi: { method: 'PUT', path: '/api/automations/:id/enabled', summary: 'Enable or disable an automation (partner admin); disabling stops new runs, a run in flight stops after its current step', tag: 'automations' } }).mutation(({ ctx, input }) => setEnabled(ctx.deps, ctx.principal, input)),
  delete: admin.input(automationIdInputSchema).output(z.object({ id: z.number(), deleted: z.literal(true) })).meta({ openapi: { method: 'DELETE', path: '/api/automations/:id', summary: 'Delete an automation and its run history (partner admin)', tag: 'automations' } }).mutation(({ ctx, input }) => deleteAutomation(ctx.deps, ctx.principal, input.id)),
  runNow: admin.input(runNowInputSchema).output(runResult).meta({ openapi: { method: 'POST', path: '/api/automations/:id/run', summary: 'Run an automation now with the manual trigger\'s input (partner admin); queued, answers the run id', tag: 'automations', successStatus: 202 } }).mutation(({ ctx, input }) => runNow(ctx.deps, ctx.principal, input)),
  runs: reader.input(runListInputSchema).output(runListSchema).meta({ openapi: { method: 'GET', path: '/api/automation-runs', summary: 'Runs, newest first (filter automationId, status; cursor before from nextBefore)', tag: 'automations' } }).query(({ ctx, input }) => listAutomationRuns(ctx.deps, ctx.principal.partnerId, input)),
  run: reader.input(runIdInputSchema).output(automationRunDetailSchema).meta({ openapi: { method: 'GET', path: '/api/automation-runs/:runId', summary: 'One run: its trigger data and each step\'s rendered input, output, attempts and outcome (redacted)', tag: 'automations' } }).query(({ ctx, input }) => getRun(ctx.deps, ctx.principal.partnerId, input.runId)),
  rerun: admin.input(runIdInputSchema).output(runResult).meta({ openapi: { method: 'POST', path: '/api/automation-runs/:runId/rerun', summary: 'Re-run a failed run from its failed step (partner admin); answers the new run id', tag: 'automations', successStatus: 202 } }).mutation(({ ctx, input }) => rerunFromFailed(ctx.deps, ctx.principal, input.runId)),
  replay: admin.input(runIdInputSchema).output(runResult).meta({ openapi: { method: 'POST', path: '/api/automation-runs/:runId/replay', summary: 'Replay a dead run (partner admin): queued again with fresh retries', tag: 'automations', successStatus: 202 } }).mutation(({ ctx, input }) => replayDead(ctx.deps, ctx.principal, input.runId)),
  recipes: reader.output(recipeListSchema).meta({ openapi: { method: 'GET', path: '/api/automation-recipes', summary: 'The ready automations a partner admin can add', tag: 'automations' } }).query(() => ({ items: recipes })),
  // The dev partner reads any partner's automations and runs, read only (404 for no such partner).
  devList: dev.input(devAutomationsInputSchema).output(automationListSchema).meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/automations', summary: 'A partner\'s automations (dev partner only, read-only)', tag: 'dev' } }).query(async ({ ctx, input }) => {
    const scope = await devScope(ctx.deps, ctx.principal, input.partnerId);
    return { items: await listAutomations(ctx.deps, scope.partnerId, scope.viewerPartnerId) };
  }),
  devRuns: dev.input(devRunsInputSchema).output(runListSchema).meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/automation-runs', summary: 'A partner\'s automation runs (dev partner only, read-only)', tag: 'dev' } }).query(async ({ ctx, input }) => {
    const { partnerId, ...q } = input;
    const scope = await devScope(ctx.deps, ctx.principal, partnerId);
    return listAutomationRuns(ctx.deps, scope.partnerId, q, scope.viewerPartnerId);
  }),
  devRun: dev.input(devRunInputSchema).output(automationRunDetailSchema).meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/automation-runs/:runId', summary: 'One of a partner\'s automation runs (dev partner only, read-only)', tag: 'dev' } }).query(async ({ ctx, input }) => {
    const scope = await devScope(ctx.deps, ctx.principal, input.partnerId);
    return getRun(ctx.deps, scope.partnerId, input.runId, scope.viewerPartnerId);
  }),
  addRecipe: admin.input(addRecipeInputSchema).output(automationSchema).meta({ openapi: { method: 'POST', path: '/api/automation-recipes/:recipeId/add', summary: 'Add a recipe as a new, disabled automation of this partner (partner admin)', tag: 'automations', successStatus: 201 } }).mutation(({ ctx, input }) => addRecipe(ctx.deps, ctx.principal, input.recipeId)),
});
