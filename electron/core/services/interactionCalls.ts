import { interactionDetailSchema, interactionPageSchema } from '../../../shared/interactions.js';
import type { InteractionsServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; the activity log needs a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/**
 * The interaction log over the typed client: the partner is the token's; the dev partner names
 * another one through the server's read-only dev routes. Answers are parsed with the shared
 * schemas, so nothing else reaches the renderer.
 */
export function httpInteractionsServer(http: HttpOptions, access: () => ServerAccess | null): InteractionsServer {
  const call = signedInCaller(http, access, failures, 15_000);
  return {
    interactions: async (input, partnerId) =>
      interactionPageSchema.parse(await call((api) => (partnerId ? api.interactions.devList.query({ ...input, partnerId }) : api.interactions.list.query(input)))),
    interaction: async (id, partnerId) =>
      interactionDetailSchema.parse(await call((api) => (partnerId ? api.interactions.devGet.query({ id, partnerId }) : api.interactions.get.query({ id })))),
  };
}
