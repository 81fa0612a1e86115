import { integrationDetailSchema } from '../../../shared/integrations/catalog.js';
import { versionsOutputSchema } from '../../../shared/integrations/versions.js';
import { credentialAgeOutputSchema, credentialPolicySchema } from '../../../shared/integrations/credentialAge.js';
import type { ServerAccess, VersionsServer } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; version history needs a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/**
 * Version history and rollback over the typed client: the partner is the token's. Answers are
 * parsed with the shared schemas, so nothing beyond them reaches the renderer.
 */
export function httpVersionsServer(http: HttpOptions, access: () => ServerAccess | null): VersionsServer {
  const call = signedInCaller(http, access, failures, 15_000);
  return {
    versions: async (key) => versionsOutputSchema.parse(await call((api) => api.integrations.versions.query({ key }))),
    rollback: async (input) => integrationDetailSchema.parse(await call((api) => api.integrations.rollback.mutate(input))),
    credentialAge: async (key) => credentialAgeOutputSchema.parse(await call((api) => api.integrations.credentialAge.query({ key }))),
    setCredentialPolicy: async (input) => credentialPolicySchema.parse(await call((api) => api.health.setCredentialPolicy.mutate(input))),
  };
}
