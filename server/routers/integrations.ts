import {
  auditInputSchema,
  auditPageSchema,
  configureInputSchema,
  deleteInputSchema,
  deleteOutputSchema,
  integrationKeyInputSchema,
  integrationListSchema,
  listIntegrationsInputSchema,
  reconfigureInputSchema,
  testInputSchema,
  testOutputSchema,
} from '../../shared/integrations/api.js';
import { integrationDetailSchema } from '../../shared/integrations/catalog.js';
import { actorFor } from '../services/integrations/actor.js';
import { getAuditPage, getIntegration, listIntegrations, ownScope } from '../services/integrations/catalog.js';
import { configureIntegration, deleteIntegration, reconfigureIntegration } from '../services/integrations/mutations.js';
import { testIntegration } from '../services/integrations/testConnection.js';
import { authedProcedure, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// The partner always comes from the verified token (ctx.principal), never from the input.
// The flag first: with the catalog off every caller gets the same 404, whatever their role.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);

export const integrationsRouter = router({
  /** The catalog: every registry entry with this partner's status; filter by category, search text. */
  list: reader
    .input(listIntegrationsInputSchema)
    .output(integrationListSchema)
    .query(({ ctx, input }) => listIntegrations(ctx.deps, ownScope(ctx.principal.partnerId), input ?? {})),

  get: reader
    .input(integrationKeyInputSchema)
    .output(integrationDetailSchema)
    .query(({ ctx, input }) => getIntegration(ctx.deps, ownScope(ctx.principal.partnerId), input.key)),

  configure: admin
    .input(configureInputSchema)
    .output(integrationDetailSchema)
    .mutation(({ ctx, input }) => configureIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.key, input.settings)),

  reconfigure: admin
    .input(reconfigureInputSchema)
    .output(integrationDetailSchema)
    .mutation(({ ctx, input }) => reconfigureIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  test: admin
    .input(testInputSchema)
    .output(testOutputSchema)
    .mutation(({ ctx, input }) => testIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.key, input.settings)),

  delete: admin
    .input(deleteInputSchema)
    .output(deleteOutputSchema)
    .mutation(({ ctx, input }) => deleteIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.key, input.baseVersion)),

  audit: reader
    .input(auditInputSchema)
    .output(auditPageSchema)
    .query(({ ctx, input }) => getAuditPage(ctx.deps, ownScope(ctx.principal.partnerId), input)),
});
