import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { SaveOutcome } from '../../../../shared/localApi.js';
import type { RollbackInput, VersionsOutput } from '../../../../shared/integrations/versions.js';
import type { CredentialAgeOutput, CredentialPolicy } from '../../../../shared/integrations/credentialAge.js';
import { useDataSource } from '../DataSourceContext.js';

// Server calls (the version list is also kept by the core for offline reading): no retries, so
// an error shows at once.

/** One integration's versions, newest first (own partner). */
export function useVersions(key: string, enabled: boolean) {
  const source = useDataSource();
  return useQuery<VersionsOutput, AppError>({ queryKey: ['versions', key], queryFn: () => source.listVersions(key), retry: false, enabled });
}

/**
 * Restores an old version. Applied, the answer is the refreshed detail (the core pulled it), so
 * the screen shows it at once; drafted (offline), Pending changes and the detail's draft are read
 * again. The list is read again whatever the outcome (a 409 means it moved).
 */
export function useRollback(key: string) {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<SaveOutcome, AppError, RollbackInput>({
    mutationFn: (input) => source.rollback(input),
    onSuccess: (outcome) => {
      if (outcome.outcome === 'applied') client.setQueryData(['integration', 'own', outcome.detail.key], outcome.detail);
      else void client.invalidateQueries({ queryKey: ['drafts'] });
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['versions', key] });
      void client.invalidateQueries({ queryKey: ['integration', 'own', key] });
      void client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

/** How old each stored credential is against its limit (issue 18 §2), read with the versions. */
export function useCredentialAge(key: string, enabled: boolean) {
  const source = useDataSource();
  return useQuery<CredentialAgeOutput, AppError>({ queryKey: ['versions', key, 'credential-age'], queryFn: () => source.credentialAge(key), retry: false, enabled });
}

/** Sets the partner-wide limit; every credential age shown is read again (the limit is in each). */
export function useSetCredentialPolicy() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<CredentialPolicy, AppError, number>({
    mutationFn: (days) => source.setCredentialPolicy(days),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['versions'] }),
  });
}
