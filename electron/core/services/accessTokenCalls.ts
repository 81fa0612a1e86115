import { accessTokenCreatedSchema, accessTokenListSchema, accessTokenViewSchema } from '../../../shared/accessTokens.js';
import type { AccessTokensServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; AI assistant tokens need a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/** AI assistant tokens over the typed client; always the signed-in user's own. Answers parsed with the shared schemas. */
export function httpAccessTokensServer(http: HttpOptions, access: () => ServerAccess | null): AccessTokensServer {
  const call = signedInCaller(http, access, failures, 15_000);
  return {
    list: async () => accessTokenListSchema.parse(await call((api) => api.accessTokens.list.query())),
    create: async (input) => accessTokenCreatedSchema.parse(await call((api) => api.accessTokens.create.mutate(input))),
    revoke: async (id) => accessTokenViewSchema.parse(await call((api) => api.accessTokens.revoke.mutate({ id }))),
  };
}
