import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActionRunResult } from '../../../../shared/actions.js';
import type { AppError } from '../../../../shared/errors.js';
import type { ActionRequest, ComposeRequestInput } from '../../../../shared/localActionRequests.js';
import type { ActionsView } from '../../../../shared/localActions.js';
import { useDataSource } from '../DataSourceContext.js';
import { useReadScope } from '../scope.js';

// The Actions tab (issue 17). Keys under 'clients' (refetched on reconnect and mapping changes:
// availability moves with both) and 'drafts' (what waits on Pending changes), so no new topic.

/** One integration's actions; with `clientId`, their availability for that client. */
export function useIntegrationActions(key: string, clientId?: number) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<ActionsView, AppError>({
    queryKey: ['clients', scope?.partnerId ?? 'own', 'actions', key, clientId ?? 'any'],
    queryFn: () => source.listIntegrationActions(key, clientId, scope),
    staleTime: 0,
  });
}

/** Open requests (no key), or one integration's latest. */
export function useActionRequests(integrationKey: string | undefined, enabled = true) {
  const source = useDataSource();
  return useQuery<ActionRequest[], AppError>({
    queryKey: ['drafts', 'requests', integrationKey ?? 'open'],
    queryFn: () => source.listActionRequests(integrationKey ? { integrationKey } : {}),
    enabled,
  });
}

export function useRunRead() {
  const source = useDataSource();
  return useMutation<ActionRunResult, AppError, { actionId: string; input: Record<string, unknown> }>({ mutationFn: ({ actionId, input }) => source.runReadAction(actionId, input) });
}

/** Review (the key is made here, once), Run, and what Pending changes does with a request. */
export function useRequestActions() {
  const source = useDataSource();
  const client = useQueryClient();
  const refresh = () => Promise.all(['drafts', 'sync'].map((key) => client.invalidateQueries({ queryKey: [key] })));
  return {
    compose: useMutation<ActionRequest, AppError, ComposeRequestInput>({ mutationFn: (input) => source.composeActionRequest(input), onSettled: refresh }),
    run: useMutation<ActionRequest, AppError, number>({ mutationFn: (id) => source.runActionRequest(id), onSettled: refresh }),
    discard: useMutation<void, AppError, number>({ mutationFn: (id) => source.discardActionRequest(id), onSettled: refresh }),
    retry: useMutation<ActionRequest, AppError, number>({ mutationFn: (id) => source.retryActionRequest(id), onSettled: refresh }),
  };
}
