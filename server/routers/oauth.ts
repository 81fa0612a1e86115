import { connectionViewSchema, consentCompleteInputSchema, consentResultSchema, consentStartInputSchema, consentStartOutputSchema, oauthCompleteInputSchema, oauthKeyInputSchema, oauthStartInputSchema, oauthStartOutputSchema } from '../../shared/integrations/oauth.js';
import { completeConsent, startConsent } from '../services/oauth/adminConsent.js';
import { completeSignIn, connectionView, disconnect, startSignIn } from '../services/oauth/connect.js';
import { authedProcedure, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// OAuth2 connections of the caller's partner (issue 16): the partner always comes from the
// verified token. Reading the connection is for everyone of the partner; signing in and
// disconnecting change what the server may do at the vendor, so partner admins only.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);

export const oauthRouter = router({
  /** The connection as the desktop shows it: grant, state, scopes requested and granted, expiry; never a token. */
  connection: reader
    .input(oauthKeyInputSchema)
    .output(connectionViewSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/connection', summary: 'The OAuth2 connection: state, scopes requested and granted, token expiry (never a token)', tag: 'integrations' } })
    .query(({ ctx, input }) => connectionView(ctx.deps, ctx.principal, input.key)),

  /** Starts a sign-in: the vendor's authorize URL for the system browser, bound to a loopback redirect and a PKCE challenge. */
  start: admin
    .input(oauthStartInputSchema)
    .output(oauthStartOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/connection/start', summary: 'Start a sign-in at the vendor (authorization code + PKCE, loopback redirect); partner admin', tag: 'integrations' } })
    .mutation(({ ctx, input }) => startSignIn(ctx.deps, ctx.principal, input)),

  /** Finishes a sign-in: the server exchanges the code (the client secret never leaves it). Once per state. */
  complete: admin
    .input(oauthCompleteInputSchema)
    .output(connectionViewSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/connection/complete', summary: "Finish a sign-in with the vendor's code and the PKCE verifier; partner admin", tag: 'integrations' } })
    .mutation(({ ctx, input }) => completeSignIn(ctx.deps, ctx.principal, input)),

  /** Issue 26: starts an administrator's consent in one mapped organization (a Microsoft 365 customer tenant). */
  consentStart: admin
    .input(consentStartInputSchema)
    .output(consentStartOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/connection/consent/start', summary: "Start an admin consent in one mapped organization (loopback redirect, PKCE); partner admin", tag: 'integrations' } })
    .mutation(({ ctx, input }) => startConsent(ctx.deps, ctx.principal, input)),

  /** Finishes it: the state once, then that organization is asked for a token (the re-check). */
  consentComplete: admin
    .input(consentCompleteInputSchema)
    .output(consentResultSchema)
    .meta({ openapi: { method: 'POST', path: '/api/integrations/:key/connection/consent/complete', summary: 'Finish an admin consent and re-check it with a token request in that organization; partner admin', tag: 'integrations' } })
    .mutation(({ ctx, input }) => completeConsent(ctx.deps, ctx.principal, input)),

  /** Forgets the connection's tokens here (revoke the grant at the vendor too). */
  disconnect: admin
    .input(oauthKeyInputSchema)
    .output(connectionViewSchema)
    .meta({ openapi: { method: 'DELETE', path: '/api/integrations/:key/connection', summary: "Forget the connection's tokens; partner admin", tag: 'integrations' } })
    .mutation(({ ctx, input }) => disconnect(ctx.deps, ctx.principal, input.key)),
});
