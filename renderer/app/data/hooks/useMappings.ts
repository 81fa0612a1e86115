import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Client } from '../../../../shared/clients.js';
import type { AppError } from '../../../../shared/errors.js';
import type { ApplyMappingsLocalInput, ApplyMappingsLocalOutput, ClientsView, DiscoveryRunView, MappingDraft, MappingsView } from '../../../../shared/localApi.js';
import { useDataSource } from '../DataSourceContext.js';
import { useReadScope } from '../scope.js';

export function useClients() {
  const source = useDataSource();
  // The core answers for the partner being viewed; the key keeps one partner's rows from showing as another's.
  const scope = useReadScope();
  return useQuery<ClientsView, AppError>({ queryKey: ['clients', scope?.partnerId ?? 'own'], queryFn: () => source.listClients(scope) });
}

export function useMappings(key: string) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<MappingsView, AppError>({
    queryKey: ['mappings', scope?.partnerId ?? 'own', key],
    queryFn: () => source.getMappings(key, scope),
    placeholderData: keepPreviousData,
  });
}

/**
 * The newest discovery run. While one is queued or running the progress is read again every
 * second: it is the server's background job, which sends no event the core could pass on.
 */
export function useDiscoveryRun(key: string) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<DiscoveryRunView, AppError>({
    queryKey: ['mappings', scope?.partnerId ?? 'own', key, 'run'],
    queryFn: () => source.getDiscoveryRun(key, scope),
    refetchInterval: (query) => {
      const status = query.state.data?.run?.status;
      return status === 'queued' || status === 'running' ? 1_000 : false;
    },
  });
}

/** After a change the core has already refetched; these reads only need to ask it again. */
function useRefresh() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: ['mappings'] }), client.invalidateQueries({ queryKey: ['clients'] })]);
}

export function useApplyMappings() {
  const source = useDataSource();
  const refresh = useRefresh();
  return useMutation<ApplyMappingsLocalOutput, AppError, ApplyMappingsLocalInput>({ mutationFn: (input) => source.applyMappings(input), onSettled: refresh });
}

export function useStartDiscovery(key: string) {
  const source = useDataSource();
  const refresh = useRefresh();
  return useMutation<DiscoveryRunView, AppError, void>({ mutationFn: () => source.startDiscovery(key), onSettled: refresh });
}

export function useClientMutations() {
  const source = useDataSource();
  const refresh = useRefresh();
  return {
    create: useMutation<Client, AppError, string>({ mutationFn: (name) => source.createClient(name), onSettled: refresh }),
    rename: useMutation<Client, AppError, { id: number; name: string; baseVersion?: number }>({ mutationFn: (input) => source.renameClient(input), onSettled: refresh }),
    archive: useMutation<Client, AppError, number>({ mutationFn: (id) => source.archiveClient(id), onSettled: refresh }),
  };
}

/** Offline mapping edits; under 'drafts' so every draft change (and the sync count) refetches them. */
export function useMappingDrafts(enabled: boolean) {
  const source = useDataSource();
  return useQuery<MappingDraft[], AppError>({ queryKey: ['drafts', 'mappings'], queryFn: () => source.listMappingDrafts(), enabled });
}

export function useMappingDraftActions() {
  const source = useDataSource();
  const client = useQueryClient();
  const refresh = () => Promise.all(['drafts', 'mappings', 'clients', 'sync'].map((key) => client.invalidateQueries({ queryKey: [key] })));
  return {
    discard: useMutation<void, AppError, number>({ mutationFn: (id) => source.discardMappingDraft(id), onSettled: refresh }),
    resolve: useMutation<void, AppError, { id: number; keep: 'mine' | 'theirs' }>({ mutationFn: ({ id, keep }) => source.resolveMappingDraft(id, keep), onSettled: refresh }),
  };
}
