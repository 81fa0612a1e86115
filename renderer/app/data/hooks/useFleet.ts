import { useQuery } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import { useDataSource } from '../DataSourceContext.js';
import type { PartnerRef } from '../../../../shared/localApi.js';
import type { FleetMatrix } from '../types.js';

export function usePartners(enabled: boolean) {
  const source = useDataSource();
  return useQuery<PartnerRef[], AppError>({ queryKey: ['fleet', 'partners'], queryFn: () => source.listPartners(), enabled });
}

export function useFleetMatrix() {
  const source = useDataSource();
  return useQuery<FleetMatrix, AppError>({ queryKey: ['fleet', 'matrix'], queryFn: () => source.getFleetMatrix() });
}
