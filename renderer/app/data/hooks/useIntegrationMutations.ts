import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import type { DeleteOutcome, SaveConfigurationInput, SaveOutcome } from '../DataSource.js';
import { useDataSource } from '../DataSourceContext.js';
import type { DataSourceError } from '../DataSourceError.js';
import type { ConnectionTestResult } from '../types.js';

export function useSaveConfiguration() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<SaveOutcome, DataSourceError, SaveConfigurationInput>({
    mutationFn: (input) => source.saveConfiguration(input),
    onSuccess: (result) => {
      if (result.outcome === 'applied') client.setQueryData(['integration', 'own', result.detail.key], result.detail);
    },
  });
}

export function useDeleteIntegration() {
  const source = useDataSource();
  return useMutation<DeleteOutcome, DataSourceError, { key: string; baseVersion: number | null }>({
    mutationFn: ({ key, baseVersion }) => source.deleteIntegration(key, baseVersion),
  });
}

export function useTestConnection(key: string) {
  const source = useDataSource();
  return useMutation<ConnectionTestResult, DataSourceError, SettingsInput | null>({
    mutationFn: (settings) => source.testConnection(key, settings),
  });
}
