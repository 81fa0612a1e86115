import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import { useDataSource } from '../DataSourceContext.js';
import type { LocalSyncStatus } from '../../../../shared/localApi.js';

export function useSyncStatus() {
  const source = useDataSource();
  return useQuery<LocalSyncStatus, AppError>({ queryKey: ['sync'], queryFn: () => source.getSyncStatus(), staleTime: 0 });
}

/** The switch follows the click at once (and stays so until the status is read again). */
export function useSetReviewMode() {
  const source = useDataSource();
  const client = useQueryClient();
  const set = (on: boolean) => client.setQueryData<LocalSyncStatus>(['sync'], (s) => (s ? { ...s, reviewMode: on } : s));
  return useMutation<void, AppError, boolean, boolean>({
    mutationFn: (on) => source.setReviewMode(on),
    onMutate: (on) => {
      const before = client.getQueryData<LocalSyncStatus>(['sync'])?.reviewMode ?? false;
      set(on);
      return before;
    },
    onError: (_error, _on, before) => set(before ?? false),
  });
}

export function useSyncNow() {
  const source = useDataSource();
  return useMutation<void, AppError>({ mutationFn: () => source.syncNow() });
}
