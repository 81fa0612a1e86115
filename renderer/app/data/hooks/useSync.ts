import { useMutation, useQuery } from '@tanstack/react-query';
import { useDataSource } from '../DataSourceContext.js';
import type { DataSourceError } from '../DataSourceError.js';
import type { SyncStatus } from '../types.js';

export function useSyncStatus() {
  const source = useDataSource();
  return useQuery<SyncStatus, DataSourceError>({ queryKey: ['sync'], queryFn: () => source.getSyncStatus(), staleTime: 0 });
}

export function useSetReviewMode() {
  const source = useDataSource();
  return useMutation<void, DataSourceError, boolean>({ mutationFn: (on) => source.setReviewMode(on) });
}

export function useSyncNow() {
  const source = useDataSource();
  return useMutation<void, DataSourceError>({ mutationFn: () => source.syncNow() });
}
