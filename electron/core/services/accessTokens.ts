import { AppError } from '../../../shared/errors.js';
import { accessTokenIdInputSchema, createAccessTokenInputSchema } from '../../../shared/accessTokens.js';
import type { LocalServices } from '../api/contract.js';
import type { AccessTokensServer } from '../server/contract.js';
import type { DesktopSession } from '../session/session.js';

/** The local API's AI assistant token calls, as api/contract.ts declares them. */
export type AccessTokensService = LocalServices['accessTokens'];

export const accessTokensNeedServer = 'AI assistant tokens are kept on the server; they need a connection';

/**
 * Personal access tokens for AI assistants (issue 25, docs/mcp.md), Settings → AI assistants.
 * Online only, on purpose: a token is shown once and must never land in the cache. Each user
 * manages their own; the server decides who may make read-write ones (partner admins) and says so.
 */
export function createAccessTokens(options: { session: DesktopSession; server: AccessTokensServer }): AccessTokensService {
  const { session, server } = options;
  const online = () => {
    session.requireOwnPartner();
    if (!session.serverAccess()?.token) throw new AppError('UNAVAILABLE', accessTokensNeedServer);
  };
  return {
    list: async () => {
      online();
      return server.list();
    },
    create: async (raw) => {
      const input = createAccessTokenInputSchema.parse(raw);
      online();
      return server.create(input);
    },
    revoke: async (id) => {
      const input = accessTokenIdInputSchema.parse({ id });
      online();
      return server.revoke(input.id);
    },
  };
}
