import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActionRunResult, TicketLink } from '../../../../shared/actions.js';
import type { AppError } from '../../../../shared/errors.js';
import type { ActionIntent, ActionsView, ComposeUpdateInput, CreateLinkLocalInput, PostOutcome, TicketLinksView, TicketSearchInput, TicketSearchView } from '../../../../shared/localActions.js';
import { useDataSource } from '../DataSourceContext.js';
import { useReadScope } from '../scope.js';

// Keys under 'clients' (refetched on reconnect and mapping changes) and 'drafts' (every change
// to what waits on Pending changes), so no new event topic is needed.

export function useClientActions(clientId: number) {
  const source = useDataSource();
  const scope = useReadScope();
  // staleTime 0: availability changes at the server (a mapping made elsewhere); the core answers from its cache offline.
  return useQuery<ActionsView, AppError>({ queryKey: ['clients', scope?.partnerId ?? 'own', clientId, 'actions'], queryFn: () => source.listActions(clientId, scope), staleTime: 0 });
}

export function useTickets(input: TicketSearchInput, enabled: boolean) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<TicketSearchView, AppError>({
    queryKey: ['clients', scope?.partnerId ?? 'own', input.clientId, 'tickets', input.query ?? '', input.status ?? ''],
    queryFn: () => source.findTickets(input, scope),
    placeholderData: keepPreviousData,
    staleTime: 0,
    enabled,
  });
}

export function useTicketLinks(clientId: number) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<TicketLinksView, AppError>({ queryKey: ['clients', scope?.partnerId ?? 'own', clientId, 'links'], queryFn: () => source.listTicketLinks(clientId, scope), staleTime: 0 });
}

export function useIntents(filter: { clientId?: number }, enabled = true) {
  const source = useDataSource();
  return useQuery<ActionIntent[], AppError>({ queryKey: ['drafts', 'intents', filter.clientId ?? 'open'], queryFn: () => source.listIntents(filter), enabled });
}

function useRefresh() {
  const client = useQueryClient();
  return () => Promise.all(['drafts', 'clients', 'sync'].map((key) => client.invalidateQueries({ queryKey: [key] })));
}

export function useBackupSummary() {
  const source = useDataSource();
  return useMutation<ActionRunResult, AppError, { clientId: number; from: string; to: string }>({
    mutationFn: (input) => source.runReadAction('msp360.reports.backup_summary', input),
  });
}

/** Compose (the key is made here, once), post, and the Pending changes actions on an update. */
export function useIntentActions() {
  const source = useDataSource();
  const refresh = useRefresh();
  return {
    compose: useMutation<ActionIntent, AppError, ComposeUpdateInput>({ mutationFn: (input) => source.composeUpdate(input), onSettled: refresh }),
    post: useMutation<PostOutcome, AppError, number>({ mutationFn: (id) => source.postUpdate(id), onSettled: refresh }),
    apply: useMutation<ActionIntent, AppError, number>({ mutationFn: (id) => source.applyIntent(id), onSettled: refresh }),
    discard: useMutation<void, AppError, number>({ mutationFn: (id) => source.discardIntent(id), onSettled: refresh }),
    retry: useMutation<ActionIntent, AppError, number>({ mutationFn: (id) => source.retryIntent(id), onSettled: refresh }),
  };
}

export function useTicketLinkActions(clientId: number) {
  const source = useDataSource();
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['clients'] });
  return {
    refresh: useMutation<TicketLinksView, AppError, void>({ mutationFn: () => source.refreshTicketLinks(clientId), onSettled: refresh }),
    create: useMutation<TicketLink, AppError, CreateLinkLocalInput>({ mutationFn: (input) => source.createTicketLink(input), onSettled: refresh }),
    remove: useMutation<void, AppError, number>({ mutationFn: (id) => source.removeTicketLink(clientId, id), onSettled: refresh }),
  };
}
