import {
  accessTokenCreatedSchema,
  accessTokenIdInputSchema,
  accessTokenListSchema,
  accessTokenViewSchema,
  createAccessTokenInputSchema,
} from '../../shared/accessTokens.js';
import { createAccessToken, listOwnAccessTokens, revokeOwnAccessToken } from '../services/accessTokens/tokens.js';
import { authedProcedure, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// Personal access tokens for AI assistants (issue 25, docs/mcp.md). Each user makes, lists and
// revokes their own; the rules (no tokens for the platform operator, read-write for partner
// admins only) are in the service.
const member = authedProcedure.use(catalogEnabled);

export const accessTokensRouter = router({
  list: member
    .output(accessTokenListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/access-tokens', summary: 'Your AI assistant tokens (never the token itself), newest first, with last use', tag: 'auth' } })
    .query(({ ctx }) => listOwnAccessTokens(ctx.deps, ctx.principal)),

  create: member
    .input(createAccessTokenInputSchema)
    .output(accessTokenCreatedSchema)
    .meta({ openapi: { method: 'POST', path: '/api/access-tokens', summary: 'Make an AI assistant token (read-write: partner admins); the token is in this answer only', tag: 'auth', successStatus: 201 } })
    .mutation(({ ctx, input }) => createAccessToken(ctx.deps, ctx.principal, input)),

  revoke: member
    .input(accessTokenIdInputSchema)
    .output(accessTokenViewSchema)
    .meta({ openapi: { method: 'DELETE', path: '/api/access-tokens/:id', summary: 'Revoke one of your AI assistant tokens: refused from the next request on', tag: 'auth' } })
    .mutation(({ ctx, input }) => revokeOwnAccessToken(ctx.deps, ctx.principal, input.id)),
});
