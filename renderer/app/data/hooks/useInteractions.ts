import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { InteractionDetail, InteractionFilter, InteractionPage } from '../../../../shared/interactions.js';
import { useDataSource } from '../DataSourceContext.js';
import { useReadScope } from '../scope.js';

/** One integration's vendor calls with these filters, page by page ("Show older"). */
export function useInteractions(key: string, filter: Omit<InteractionFilter, 'cursor'>) {
  const source = useDataSource();
  const scope = useReadScope();
  return useInfiniteQuery<InteractionPage, AppError>({
    queryKey: ['interactions', scope?.partnerId ?? 'own', key, filter],
    queryFn: ({ pageParam }) => source.listInteractions(key, { ...filter, ...(pageParam ? { cursor: pageParam as string } : {}) }, scope),
    initialPageParam: null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** One call with its bodies, while a row is open. */
export function useInteraction(id: number | null) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<InteractionDetail, AppError>({
    queryKey: ['interaction', scope?.partnerId ?? 'own', id],
    queryFn: () => source.getInteraction(id ?? 0, scope),
    enabled: id !== null,
    retry: false,
  });
}
