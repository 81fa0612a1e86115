import { mspBackupsCompaniesSchema, mspBackupsConfigInputSchema, mspBackupsConfigSchema } from '../../shared/mspbackups.js';
import { getMspBackupsConfig, listMspBackupsCompanies, saveMspBackupsConfig } from '../legacy/mspbackups/service.js';
import { actorFor } from '../services/integrations/actor.js';
import { authedProcedure, partnerAdminProcedure, router } from '../trpc/init.js';

/**
 * The legacy MSPBackups API, kept identical while MSP360 moves into the catalog. Not behind the
 * `integration-center` flag: partners use it today. The partner is the caller's, from the token.
 */
export const mspbackupsRouter = router({
  config: authedProcedure
    .output(mspBackupsConfigSchema)
    .meta({ openapi: { method: 'GET', path: '/api/mspbackups/config', summary: 'The legacy MSPBackups settings of this partner, the password as {isSet, last4}; 404 when none', tag: 'mspbackups' } })
    .query(({ ctx }) => getMspBackupsConfig(ctx.deps, ctx.principal.partnerId)),
  saveConfig: partnerAdminProcedure
    .input(mspBackupsConfigInputSchema)
    .output(mspBackupsConfigSchema)
    .meta({ openapi: { method: 'PUT', path: '/api/mspbackups/config', summary: 'Create or replace the MSPBackups settings (partner admin); a password left out, blank or masked is kept', tag: 'mspbackups' } })
    .mutation(({ ctx, input }) => saveMspBackupsConfig(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),
  companies: authedProcedure
    .output(mspBackupsCompaniesSchema)
    .meta({ openapi: { method: 'GET', path: '/api/mspbackups/companies', summary: 'The backup companies MSP360 lists for the saved API login (409 when turned off or refused, 503 when MSP360 fails)', tag: 'mspbackups' } })
    .query(({ ctx }) => listMspBackupsCompanies(ctx.deps, ctx.principal.partnerId)),
});
