import { defaultAuditWindow, defaultPullLimit, pullResponseSchema, pushResponseSchema, type PullRequest, type PushRequest } from '../../../shared/sync.js';
import { requestJson, type HttpOptions } from '../session/serverClient.js';
import type { BackoffOptions } from './backoff.js';
import { openChangeStream } from './changeStream.js';
import { TransportError, type SyncTransport } from './transport.js';

/**
 * SyncTransport over the server's tRPC HTTP endpoint (`/trpc/sync.pull` as a query,
 * `/trpc/sync.push` as a mutation; no transformer, so the wire is plain JSON
 * `{ result: { data } }`), with the change notification `sync.changes` (SSE) as `subscribe`.
 * The dev partner looking at another partner uses `sync.pullPartner` / `sync.changesPartner`.
 */
export function trpcSyncTransport(options: HttpOptions & { getToken: () => string | null; partnerId?: number; streamBackoff?: BackoffOptions }): SyncTransport {
  const token = () => {
    const value = options.getToken();
    if (!value) throw new TransportError('unauthorized', 'Sign in to sync');
    return value;
  };
  return {
    async pull(request: PullRequest) {
      // Defaults stay off the URL: a no-change pull is mostly headers, and every byte counts there.
      const { limit, auditWindow, ...rest } = request;
      const compact = { ...rest, ...(limit !== defaultPullLimit ? { limit } : {}), ...(auditWindow !== defaultAuditWindow ? { auditWindow } : {}) };
      // The dev partner reads another partner through its own read-only procedure.
      const [procedure, input] = options.partnerId === undefined ? ['sync.pull', compact] : ['sync.pullPartner', { ...compact, partnerId: options.partnerId }];
      const json = await requestJson(options, 'GET', `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { token: token() });
      return pullResponseSchema.parse(resultData(json));
    },
    async push(request: PushRequest) {
      const json = await requestJson(options, 'POST', '/trpc/sync.push', { body: request, token: token() });
      return pushResponseSchema.parse(resultData(json));
    },
    subscribe(onPoke, onLost) {
      const path =
        options.partnerId === undefined
          ? '/trpc/sync.changes'
          : `/trpc/sync.changesPartner?input=${encodeURIComponent(JSON.stringify({ partnerId: options.partnerId }))}`;
      return openChangeStream({ serverUrl: options.serverUrl, fetch: options.fetch, path, getToken: options.getToken, onPoke, onLost, backoff: options.streamBackoff });
    },
  };
}

function resultData(json: unknown): unknown {
  return (json as { result?: { data?: unknown } } | null)?.result?.data;
}
