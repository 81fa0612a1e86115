import { mspBackupsCompaniesSchema, mspBackupsConfigInputSchema, mspBackupsConfigSchema } from '../../shared/mspbackups.js';
import { getMspBackupsConfig, listMspBackupsCompanies, saveMspBackupsConfig } from '../legacy/mspbackups/service.js';
import { actorFor } from '../services/integrations/actor.js';
import { authedProcedure, partnerAdminProcedure, router } from '../trpc/init.js';

/**
 * The legacy MSPBackups API, kept identical while MSP360 moves into the catalog. Not behind the
 * `integration-center` flag: partners use it today. The partner is the caller's, from the token.
 */
export const mspbackupsRouter = router({
  config: authedProcedure.output(mspBackupsConfigSchema).query(({ ctx }) => getMspBackupsConfig(ctx.deps, ctx.principal.partnerId)),
  saveConfig: partnerAdminProcedure
    .input(mspBackupsConfigInputSchema)
    .output(mspBackupsConfigSchema)
    .mutation(({ ctx, input }) => saveMspBackupsConfig(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),
  companies: authedProcedure.output(mspBackupsCompaniesSchema).query(({ ctx }) => listMspBackupsCompanies(ctx.deps, ctx.principal.partnerId)),
});
