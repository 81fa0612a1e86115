import { automationListSchema, automationRunDetailSchema, automationSchema, recipeListSchema, runListSchema } from '../../../shared/automations.js';
import type { AutomationsServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; automations are saved and run on the server',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/**
 * Automations over the typed client: the partner is the token's; the dev partner names another
 * one through the server's read-only dev routes. Answers are parsed with the shared schemas, so
 * nothing beyond them reaches the renderer. A save waits longer: the server type-checks every step.
 */
export function httpAutomationsServer(http: HttpOptions, access: () => ServerAccess | null): AutomationsServer {
  const call = signedInCaller(http, access, failures, 15_000);
  const runResult = (v: { runId: number }) => ({ runId: v.runId });
  return {
    list: async (partnerId) => automationListSchema.parse(await call((api) => (partnerId ? api.automations.devList.query({ partnerId }) : api.automations.list.query()))).items,
    get: async (id) => automationSchema.parse(await call((api) => api.automations.get.query({ id }))),
    runs: async (input, partnerId) =>
      runListSchema.parse(await call((api) => (partnerId ? api.automations.devRuns.query({ ...input, partnerId, limit: 50 }) : api.automations.runs.query({ ...input, limit: 50 })))),
    run: async (runId, partnerId) => automationRunDetailSchema.parse(await call((api) => (partnerId ? api.automations.devRun.query({ runId, partnerId }) : api.automations.run.query({ runId })))),
    recipes: async () => recipeListSchema.parse(await call((api) => api.automations.recipes.query())).items,
    create: async (input) => automationSchema.parse(await call((api) => api.automations.create.mutate(input), 30_000)),
    update: async (input) => automationSchema.parse(await call((api) => api.automations.update.mutate(input), 30_000)),
    setEnabled: async (input) => automationSchema.parse(await call((api) => api.automations.setEnabled.mutate(input))),
    remove: async (id) => {
      await call((api) => api.automations.delete.mutate({ id }));
    },
    addRecipe: async (recipeId) => automationSchema.parse(await call((api) => api.automations.addRecipe.mutate({ recipeId }), 30_000)),
    runNow: async (input) => runResult(await call((api) => api.automations.runNow.mutate(input))),
    rerun: async (runId) => runResult(await call((api) => api.automations.rerun.mutate({ runId }))),
  };
}
