import { actionListSchema, actionRunResultSchema, refreshTicketLinksOutputSchema, ticketLinkListSchema, ticketLinkSchema } from '../../../shared/actions.js';
import type { ActionServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; this needs a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/**
 * Actions and ticket links over the typed client. The partner is the token's. A run waits up
 * to 60 s: the server calls the vendor (and Syncro fetches an attached report) before it answers.
 */
export function httpActionServer(http: HttpOptions, access: () => ServerAccess | null): ActionServer {
  const call = signedInCaller(http, access, failures, 15_000);
  return {
    list: async (input) => actionListSchema.parse(await call((api) => api.actions.list.query(input))).items,
    run: async (input) => actionRunResultSchema.parse(await call((api) => api.actions.run.mutate(input), 60_000)),
    links: async (clientId, partnerId) =>
      ticketLinkListSchema.parse(await call((api) => (partnerId ? api.ticketLinks.devByClient.query({ partnerId, clientId }) : api.ticketLinks.byClient.query({ clientId })))).items,
    // Links the vendor could not read stay as they were (the server names them in `failed`).
    refreshLinks: async (clientId) => refreshTicketLinksOutputSchema.parse(await call((api) => api.ticketLinks.refresh.mutate({ clientId }), 60_000)),
    createLink: async (input) => ticketLinkSchema.parse(await call((api) => api.ticketLinks.create.mutate(input), 30_000)),
    removeLink: async (id) => {
      await call((api) => api.ticketLinks.delete.mutate({ id }));
    },
  };
}
