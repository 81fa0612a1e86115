import { inboundDeliveryPageSchema, inboundEndpointCreatedSchema, inboundEndpointViewSchema, inboundReplayOutputSchema } from '../../../shared/integrations/inboundWebhooks.js';
import type { InboundServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; inbound webhooks need a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/** Inbound webhooks over the typed client; the partner is always the token's. Answers parsed with the shared schemas. */
export function httpInboundServer(http: HttpOptions, access: () => ServerAccess | null): InboundServer {
  const call = signedInCaller(http, access, failures, 15_000);
  return {
    endpoint: async (key) => inboundEndpointViewSchema.parse(await call((api) => api.inboundWebhooks.endpoint.query({ key }))),
    rotate: async (key) => inboundEndpointCreatedSchema.parse(await call((api) => api.inboundWebhooks.rotate.mutate({ key }))),
    deliveries: async (input) => inboundDeliveryPageSchema.parse(await call((api) => api.inboundWebhooks.deliveries.query(input))),
    replay: async (input) => inboundReplayOutputSchema.parse(await call((api) => api.inboundWebhooks.replay.mutate(input))),
  };
}
