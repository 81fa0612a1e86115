import { connectionViewSchema, consentResultSchema, consentStartOutputSchema, oauthStartOutputSchema } from '../../../shared/integrations/oauth.js';
import type { OAuthServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; connecting needs a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/** OAuth2 connections over the typed client; the partner is always the token's. */
export function httpOAuthServer(http: HttpOptions, access: () => ServerAccess | null): OAuthServer {
  // The code exchange waits on the vendor's token endpoint (the server allows it its own timeout).
  const call = signedInCaller(http, access, failures, 30_000);
  return {
    connection: async (key) => connectionViewSchema.parse(await call((api) => api.oauth.connection.query({ key }))),
    start: async (input) => oauthStartOutputSchema.parse(await call((api) => api.oauth.start.mutate(input))),
    complete: async (input) => connectionViewSchema.parse(await call((api) => api.oauth.complete.mutate(input))),
    disconnect: async (key) => connectionViewSchema.parse(await call((api) => api.oauth.disconnect.mutate({ key }))),
    consentStart: async (input) => consentStartOutputSchema.parse(await call((api) => api.oauth.consentStart.mutate(input))),
    // The re-check asks the organization's token endpoint, like the code exchange.
    consentComplete: async (input) => consentResultSchema.parse(await call((api) => api.oauth.consentComplete.mutate(input))),
  };
}
