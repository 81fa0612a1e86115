import { AppError } from '../../../shared/errors.js';
import type { LocalServices } from '../api/contract.js';
import type { InteractionsServer } from '../server/contract.js';
import type { DesktopSession } from '../session/session.js';

/** The local API's `interactions`, as api/contract.ts declares it. */
export type InteractionsService = LocalServices['interactions'];

/** What the Activity tab says offline: the log lives on the server and is not cached. */
export const activityNeedsServer = 'The activity log is kept on the server; it needs a connection';

/**
 * The Activity tab (issue 15): the interaction log of one integration, read live from the server.
 * Online only, on purpose: bodies of vendor calls (redacted as they are) have no business in the
 * desktop cache, and the log is only useful fresh. Any user reads their own partner's; the dev
 * partner viewing another partner (a read-only cache) reads that partner's through the dev routes.
 */
export function createInteractions(options: { session: DesktopSession; server: InteractionsServer }): InteractionsService {
  const { session, server } = options;
  /** Whose log: undefined for the own partner, else the partner the dev partner is viewing. */
  const viewed = () => {
    const cache = session.requireCache();
    if (!session.serverAccess()?.token) throw new AppError('UNAVAILABLE', activityNeedsServer);
    return cache.readOnly ? cache.partnerId : undefined;
  };
  return {
    list: async (input) => server.interactions(input, viewed()),
    get: async (id) => server.interaction(id, viewed()),
  };
}
