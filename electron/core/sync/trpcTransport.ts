import { pullResponseSchema, pushResponseSchema, type PullRequest, type PushRequest } from '../../../shared/sync.js';
import { requestJson, type HttpOptions } from '../session/serverClient.js';
import { TransportError, type SyncTransport } from './transport.js';

/**
 * SyncTransport over the server's tRPC HTTP endpoint (`/trpc/sync.pull` as a query,
 * `/trpc/sync.push` as a mutation; no transformer, so the wire is plain JSON
 * `{ result: { data } }`). PHASE B: the server procedures land with the catalog API; the change
 * notification (`subscribe`) comes with them.
 */
export function trpcSyncTransport(options: HttpOptions & { getToken: () => string | null; partnerId?: number }): SyncTransport {
  const token = () => {
    const value = options.getToken();
    if (!value) throw new TransportError('unauthorized', 'Sign in to sync');
    return value;
  };
  return {
    async pull(request: PullRequest) {
      // The dev partner reads another partner through its own read-only procedure.
      const [procedure, input] = options.partnerId === undefined ? ['sync.pull', request] : ['sync.pullPartner', { ...request, partnerId: options.partnerId }];
      const json = await requestJson(options, 'GET', `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { token: token() });
      return pullResponseSchema.parse(resultData(json));
    },
    async push(request: PushRequest) {
      const json = await requestJson(options, 'POST', '/trpc/sync.push', { body: request, token: token() });
      return pushResponseSchema.parse(resultData(json));
    },
  };
}

function resultData(json: unknown): unknown {
  return (json as { result?: { data?: unknown } } | null)?.result?.data;
}
