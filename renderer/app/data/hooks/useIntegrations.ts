import { keepPreviousData, useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { IntegrationDetail, IntegrationSummary } from '../../../../shared/integrations/catalog.js';
import type { AuditPage } from '../DataSource.js';
import { useDataSource } from '../DataSourceContext.js';
import { useReadScope } from '../scope.js';
import type { HealthRange } from '../../../../shared/integrations/health.js';
import type { HealthHistoryView } from '../../../../shared/localApi.js';

/** Audit rows per page; small enough to be quick offline, large enough to fill the list. */
export const auditPageSize = 25;

export function useIntegrations() {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<IntegrationSummary[], AppError>({
    queryKey: ['integrations', scope?.partnerId ?? 'own'],
    queryFn: () => source.listIntegrations(scope),
    placeholderData: keepPreviousData,
  });
}

export function useIntegration(key: string) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<IntegrationDetail, AppError>({
    queryKey: ['integration', scope?.partnerId ?? 'own', key],
    queryFn: () => source.getIntegration(key, scope),
  });
}

export function useHealthHistory(key: string, range: HealthRange) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<HealthHistoryView, AppError>({
    queryKey: ['health', scope?.partnerId ?? 'own', key, range],
    queryFn: () => source.getHealthHistory(key, scope, range),
    // Switching the range keeps the old bar until the new one is there, rather than a skeleton.
    placeholderData: keepPreviousData,
  });
}

export function useAuditPages(key: string) {
  const source = useDataSource();
  const scope = useReadScope();
  return useInfiniteQuery<AuditPage, AppError, { pages: AuditPage[] }, readonly unknown[], string | null>({
    queryKey: ['audit', scope?.partnerId ?? 'own', key],
    queryFn: ({ pageParam }) => source.listAudit(key, { cursor: pageParam, limit: auditPageSize }, scope),
    initialPageParam: null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * The signed-in partner's detail of several integrations at once (Pending changes renders
 * every draft's diff together, so nothing shifts as details arrive one by one).
 */
export function useOwnIntegrations(keys: readonly string[]) {
  const source = useDataSource();
  return useQueries({
    queries: [...new Set(keys)].map((key) => ({
      queryKey: ['integration', 'own', key],
      queryFn: () => source.getIntegration(key),
    })),
    combine: (results) => ({
      pending: results.some((r) => r.isPending),
      byKey: new Map(results.flatMap((r) => (r.data ? [[r.data.key, r.data] as const] : []))),
    }),
  });
}
