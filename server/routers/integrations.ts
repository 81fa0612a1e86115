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
import { assertMayTest } from '../services/integrations/testAccess.js';
import { testIntegration } from '../services/integrations/testConnection.js';
import { listConfigVersions, rollbackIntegration } from '../services/integrations/versions.js';
import { rollbackInputSchema, versionsInputSchema, versionsOutputSchema } from '../../shared/integrations/versions.js';
import { credentialAgeInputSchema, credentialAgeOutputSchema } from '../../shared/integrations/credentialAge.js';
import { getCredentialAge } from '../services/integrations/credentialAge.js';
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
    .meta({ openapi: { method: 'GET', path: '/api/integrations', summary: "The catalog: every integration with this partner's status (filter by category, search with q)", tag: 'integrations' } })
    .query(({ ctx, input }) => listIntegrations(ctx.deps, ownScope(ctx.principal.partnerId), input ?? {})),

  get: reader
    .input(integrationKeyInputSchema)
    .output(integrationDetailSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key', summary: 'One integration: field specs, masked settings (secrets as {isSet, last4}) and status', tag: 'integrations' } })
    .query(({ ctx, input }) => getIntegration(ctx.deps, ownScope(ctx.principal.partnerId), input.key)),

  configure: admin
    .input(configureInputSchema)
    .output(integrationDetailSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/configure', summary: 'Configure an integration (partner admin); 409 if it is already configured', tag: 'integrations', successStatus: 201 } })
    .mutation(({ ctx, input }) => configureIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.key, input.settings)),

  reconfigure: admin
    .input(reconfigureInputSchema)
    .output(integrationDetailSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/reconfigure', summary: 'Edit the settings (partner admin); the mask or a blank secret keeps it; a stale baseVersion is a 409', tag: 'integrations' } })
    .mutation(({ ctx, input }) => reconfigureIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  test: reader
    .input(testInputSchema)
    .output(testOutputSchema)
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/integrations/:key/test',
        summary: 'Run the health check now: the saved settings (any user of the partner, audited as theirs), or an unsaved draft (partner admin; nothing stored)',
        tag: 'integrations',
      },
    })
    .mutation(({ ctx, input }) => {
      assertMayTest(ctx.principal, input.settings);
      return testIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input);
    }),

  delete: admin
    .input(deleteInputSchema)
    .output(deleteOutputSchema)
    .meta({ openapi: { method: 'DELETE', path: '/api/integrations/:key', summary: "Remove this partner's configuration and its secrets (partner admin)", tag: 'integrations' } })
    .mutation(({ ctx, input }) => deleteIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.key, input.baseVersion)),

  audit: reader
    .input(auditInputSchema)
    .output(auditPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/audit', summary: "This partner's audit of one integration, newest first (cursor from nextCursor)", tag: 'integrations' } })
    .query(({ ctx, input }) => getAuditPage(ctx.deps, ownScope(ctx.principal.partnerId), input)),

  /** Issue 18: the saved versions, newest first, with their diffs and whether a check passed. */
  versions: reader
    .input(versionsInputSchema)
    .output(versionsOutputSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/versions', summary: "This partner's saved versions of the configuration, newest first: who, when, what changed (secrets only as changed), passed a check", tag: 'integrations' } })
    .query(({ ctx, input }) => listConfigVersions(ctx.deps, ctx.principal.partnerId, input.key)),

  /** Issue 18: restores a saved version as a new one, validated and audited like an edit (partner admin). */
  rollback: admin
    .input(rollbackInputSchema)
    .output(integrationDetailSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/rollback', summary: 'Restore a saved version as a new version (partner admin); a stale baseVersion is a 409, a version that no longer validates a 400', tag: 'integrations' } })
    .mutation(({ ctx, input }) => rollbackIntegration(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  /** Issue 18 §2: how old each stored credential is, against the vendor's limit or the partner's default. */
  credentialAge: reader
    .input(credentialAgeInputSchema)
    .output(credentialAgeOutputSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/credential-age', summary: "When each stored credential was set, its limit (the vendor's key lifetime or the partner's default) and whether to rotate it soon", tag: 'integrations' } })
    .query(({ ctx, input }) => getCredentialAge(ctx.deps, ctx.principal.partnerId, input.key)),
});
