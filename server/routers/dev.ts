import {
  auditPageSchema,
  devAuditInputSchema,
  devIntegrationInputSchema,
  devListIntegrationsInputSchema,
  devPartnerListSchema,
  integrationListSchema,
} from '../../shared/integrations/api.js';
import { integrationDetailSchema } from '../../shared/integrations/catalog.js';
import { getAuditPage, getIntegration, listIntegrations } from '../services/integrations/catalog.js';
import { devScope, listPartnersForDev } from '../services/integrations/dev.js';
import { authedProcedure, requireDev, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

/** The platform operator's read-only views of every partner (partners.is_dev users only). */
// The flag first: with the catalog off every caller gets the same 404, whatever their role.
const dev = authedProcedure.use(catalogEnabled).use(requireDev);

export const devRouter = router({
  partners: dev
    .output(devPartnerListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners', summary: 'Every partner with its configured and failing counts (dev partner only, read-only)', tag: 'dev' } })
    .query(({ ctx }) => listPartnersForDev(ctx.deps, ctx.principal)),

  integrations: dev
    .input(devListIntegrationsInputSchema)
    .output(integrationListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/integrations', summary: "A partner's catalog and statuses (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input }) =>
      listIntegrations(ctx.deps, await devScope(ctx.deps, ctx.principal, input.partnerId), { category: input.category, q: input.q }),
    ),

  integration: dev
    .input(devIntegrationInputSchema)
    .output(integrationDetailSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/integrations/:key', summary: 'One integration of a partner, secrets masked (dev partner only, read-only)', tag: 'dev' } })
    .query(async ({ ctx, input }) => getIntegration(ctx.deps, await devScope(ctx.deps, ctx.principal, input.partnerId), input.key)),

  audit: dev
    .input(devAuditInputSchema)
    .output(auditPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/partners/:partnerId/integrations/:key/audit', summary: "A partner's audit of one integration (dev partner only, read-only)", tag: 'dev' } })
    .query(async ({ ctx, input }) => getAuditPage(ctx.deps, await devScope(ctx.deps, ctx.principal, input.partnerId), input)),
});
