import { AppError } from '../../../shared/errors.js';
import { inboundDeliveriesInputSchema, inboundKeyInputSchema, inboundReplayInputSchema, type InboundEndpoint } from '../../../shared/integrations/inboundWebhooks.js';
import type { LocalServices } from '../api/contract.js';
import type { InboundServer } from '../server/contract.js';
import type { DesktopSession } from '../session/session.js';

/** The local API's inbound webhook calls, as api/contract.ts declares them. */
export type InboundService = LocalServices['inbound'];

/** What the card says offline: the URL, its secret and the deliveries live on the server. */
export const inboundNeedsServer = 'Inbound webhooks are kept on the server; they need a connection';

/**
 * Inbound webhooks (issue 18 §5). Online only, on purpose: the secret is shown once and must never
 * land in the cache, and deliveries are the server's live state. Any user of the own partner reads;
 * partner admins create or rotate the URL's secret and replay dead deliveries (the server says so
 * too). The URL is completed with the address this desktop talks to when the server does not know
 * its public one.
 */
export function createInbound(options: { session: DesktopSession; server: InboundServer }): InboundService {
  const { session, server } = options;
  const online = () => {
    if (!session.serverAccess()?.token) throw new AppError('UNAVAILABLE', inboundNeedsServer);
  };
  const withUrl = <T extends InboundEndpoint>(endpoint: T): T => ({ ...endpoint, url: endpoint.url ?? (session.serverUrl ? new URL(endpoint.path, session.serverUrl).toString() : null) });
  return {
    endpoint: async (key) => {
      const input = inboundKeyInputSchema.parse({ key });
      session.requireOwnPartner();
      online();
      const view = await server.endpoint(input.key);
      return { endpoint: view.endpoint ? withUrl(view.endpoint) : null };
    },
    rotate: async (key) => {
      const input = inboundKeyInputSchema.parse({ key });
      session.requireWritable();
      online();
      return withUrl(await server.rotate(input.key));
    },
    deliveries: async (raw) => {
      const input = inboundDeliveriesInputSchema.parse(raw);
      session.requireOwnPartner();
      online();
      return server.deliveries(input);
    },
    replay: async (raw) => {
      const input = inboundReplayInputSchema.parse(raw);
      session.requireWritable();
      online();
      return server.replay(input);
    },
  };
}
