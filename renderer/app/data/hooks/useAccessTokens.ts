import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccessTokenCreated, AccessTokenView, CreateAccessTokenInput } from '../../../../shared/accessTokens.js';
import type { AppError } from '../../../../shared/errors.js';
import { useDataSource } from '../DataSourceContext.js';

// Server calls, online only: no retries, so "needs a connection" shows at once. A new token is
// handed to the caller and never put in the query cache (the list holds views without it).

export function useAccessTokens() {
  const source = useDataSource();
  return useQuery<{ items: AccessTokenView[] }, AppError>({ queryKey: ['accessTokens'], queryFn: () => source.listAccessTokens(), retry: false });
}

export function useCreateAccessToken() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<AccessTokenCreated, AppError, CreateAccessTokenInput>({
    mutationFn: (input) => source.createAccessToken(input),
    onSettled: () => void client.invalidateQueries({ queryKey: ['accessTokens'] }),
  });
}

export function useRevokeAccessToken() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<AccessTokenView, AppError, number>({
    mutationFn: (id) => source.revokeAccessToken(id),
    onSettled: () => void client.invalidateQueries({ queryKey: ['accessTokens'] }),
  });
}
