import { useQuery } from '@tanstack/react-query';
import { useDataSource } from '../DataSourceContext.js';
import type { DataSourceError } from '../DataSourceError.js';
import type { PartnerRef } from '../../../../shared/localApi.js';
import type { FleetMatrix } from '../types.js';

export function usePartners(enabled: boolean) {
  const source = useDataSource();
  return useQuery<PartnerRef[], DataSourceError>({ queryKey: ['fleet', 'partners'], queryFn: () => source.listPartners(), enabled });
}

export function useFleetMatrix() {
  const source = useDataSource();
  return useQuery<FleetMatrix, DataSourceError>({ queryKey: ['fleet', 'matrix'], queryFn: () => source.getFleetMatrix() });
}
