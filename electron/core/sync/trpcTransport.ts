import { defaultAuditWindow, defaultPullLimit, pullResponseSchema, pushResponseSchema, type PullRequest, type PushRequest } from '../../../shared/sync.js';
import { callServer, subscriptionPath, type HttpOptions } from '../server/serverApi.js';
import type { BackoffOptions } from './backoff.js';
import { openChangeStream } from './changeStream.js';
import { TransportError, type SyncTransport } from './transport.js';

/**
 * SyncTransport over the server's typed tRPC client (`sync.pull` as a query, `sync.push` as a
 * mutation), with the change notification `sync.changes` (SSE) as `subscribe`. The dev partner
 * looking at another partner uses `sync.pullPartner` / `sync.changesPartner`.
 */
export function trpcSyncTransport(options: HttpOptions & { getToken: () => string | null; partnerId?: number; streamBackoff?: BackoffOptions }): SyncTransport {
  const token = () => {
    const value = options.getToken();
    if (!value) throw new TransportError('unauthorized', 'Sign in to sync');
    return value;
  };
  const { partnerId } = options;
  return {
    async pull(request: PullRequest) {
      // Defaults stay off the URL: a no-change pull is mostly headers, and every byte counts there.
      const { limit, auditWindow, ...rest } = request;
      const compact = { ...rest, ...(limit !== defaultPullLimit ? { limit } : {}), ...(auditWindow !== defaultAuditWindow ? { auditWindow } : {}) };
      // The dev partner reads another partner through its own read-only procedure.
      const page = await callServer(options, { token: token() }, (api) =>
        partnerId === undefined ? api.sync.pull.query(compact) : api.sync.pullPartner.query({ ...compact, partnerId }),
      );
      return pullResponseSchema.parse(page);
    },
    async push(request: PushRequest) {
      return pushResponseSchema.parse(await callServer(options, { token: token() }, (api) => api.sync.push.mutate(request)));
    },
    subscribe(onPoke, onLost) {
      const path = subscriptionPath((api) => (partnerId === undefined ? api.sync.changes.subscribe(undefined, {}) : api.sync.changesPartner.subscribe({ partnerId }, {})));
      return openChangeStream({ serverUrl: options.serverUrl, fetch: options.fetch, path, getToken: options.getToken, onPoke, onLost, backoff: options.streamBackoff });
    },
  };
}
