import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { SaveOutcome, TestConnectionResult } from '../../../../shared/localApi.js';
import type { SaveConfigurationInput, TestRequest } from '../DataSource.js';
import { useDataSource } from '../DataSourceContext.js';

export function useSaveConfiguration() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<SaveOutcome, AppError, SaveConfigurationInput>({
    mutationFn: (input) => source.saveConfiguration(input),
    onSuccess: (result) => {
      if (result.outcome === 'applied') client.setQueryData(['integration', 'own', result.detail.key], result.detail);
    },
  });
}

/** Callbacks on the hook, so they run even though the delete section is gone once it applied. */
export function useDeleteIntegration(callbacks: { onSuccess?(result: SaveOutcome): void; onError?(error: AppError): void } = {}) {
  const source = useDataSource();
  return useMutation<SaveOutcome, AppError, { key: string }>({
    mutationFn: ({ key }) => source.deleteIntegration(key),
    ...callbacks,
  });
}

export function useTestConnection(key: string) {
  const source = useDataSource();
  return useMutation<TestConnectionResult, AppError, TestRequest>({
    mutationFn: (request) => source.testConnection(key, request),
  });
}
