import { AppError } from '../../../shared/errors.js';
import { integrationDetailSchema } from '../../../shared/integrations/catalog.js';
import { versionsOutputSchema } from '../../../shared/integrations/versions.js';
import { serverFailure } from '../errors.js';
import type { ServerAccess, VersionsServer } from '../server/contract.js';
import { callServer, type HttpOptions, type ServerApi } from '../server/serverApi.js';

const failures = {
  offline: 'The server cannot be reached; version history needs a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/**
 * Version history and rollback over the typed client: the partner is the token's. Answers are
 * parsed with the shared schemas, so nothing beyond them reaches the renderer.
 */
export function httpVersionsServer(http: HttpOptions, access: () => ServerAccess | null): VersionsServer {
  const call = async <T>(run: (api: ServerApi) => Promise<T>): Promise<T> => {
    const a = access();
    if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (!a.token) throw new AppError('UNAUTHORIZED', failures.unauthorized);
    try {
      return await callServer(http, { token: a.token, timeoutMs: 15_000 }, run);
    } catch (error) {
      throw serverFailure(error, failures);
    }
  };
  return {
    versions: async (key) => versionsOutputSchema.parse(await call((api) => api.integrations.versions.query({ key }))),
    rollback: async (input) => integrationDetailSchema.parse(await call((api) => api.integrations.rollback.mutate(input))),
  };
}
