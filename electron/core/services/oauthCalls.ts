import { AppError } from '../../../shared/errors.js';
import { connectionViewSchema, oauthStartOutputSchema } from '../../../shared/integrations/oauth.js';
import { serverFailure } from '../errors.js';
import type { OAuthServer, ServerAccess } from '../server/contract.js';
import { callServer, type HttpOptions, type ServerApi } from '../server/serverApi.js';

const failures = {
  offline: 'The server cannot be reached; connecting needs a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/** OAuth2 connections over the typed client; the partner is always the token's. */
export function httpOAuthServer(http: HttpOptions, access: () => ServerAccess | null): OAuthServer {
  const call = async <T>(run: (api: ServerApi) => Promise<T>): Promise<T> => {
    const a = access();
    if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (!a.token) throw new AppError('UNAUTHORIZED', failures.unauthorized);
    try {
      // The code exchange waits on the vendor's token endpoint (the server allows it its own timeout).
      return await callServer(http, { token: a.token, timeoutMs: 30_000 }, run);
    } catch (error) {
      throw serverFailure(error, failures);
    }
  };
  return {
    connection: async (key) => connectionViewSchema.parse(await call((api) => api.oauth.connection.query({ key }))),
    start: async (input) => oauthStartOutputSchema.parse(await call((api) => api.oauth.start.mutate(input))),
    complete: async (input) => connectionViewSchema.parse(await call((api) => api.oauth.complete.mutate(input))),
    disconnect: async (key) => connectionViewSchema.parse(await call((api) => api.oauth.disconnect.mutate({ key }))),
  };
}
