import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { ConnectionLocalView, SignInView } from '../../../../shared/localOAuth.js';
import { useDataSource } from '../DataSourceContext.js';

// Every read here is under 'connection': the core tells that topic whenever a sign-in moves on
// (waiting, finishing, connected, failed) or a connection changes, so nothing polls.

/**
 * The OAuth2 connection of an integration (own partner); `enabled` false in the support view.
 * `checkedAt` (the integration's last health check) is part of the key: a check that found the
 * vendor refusing to renew access changes the connection too, and the synced detail says when.
 */
export function useConnection(key: string, enabled: boolean, checkedAt: string | null = null) {
  const source = useDataSource();
  return useQuery<ConnectionLocalView, AppError>({ queryKey: ['connection', key, 'view', checkedAt], queryFn: () => source.getConnection(key), enabled, placeholderData: (previous) => previous });
}

export function useSignIn(key: string, enabled: boolean) {
  const source = useDataSource();
  return useQuery<SignInView | null, AppError>({ queryKey: ['connection', key, 'signIn'], queryFn: () => source.getSignIn(key), enabled, staleTime: 0 });
}

export function useConnectionActions(key: string) {
  const source = useDataSource();
  const client = useQueryClient();
  // Not awaited: the connection read queues behind other server reads, and Connect must not look
  // busy while the browser is already open (the core's events refresh these reads anyway).
  const refresh = () => void client.invalidateQueries({ queryKey: ['connection', key] });
  return {
    connect: useMutation<SignInView, AppError, void>({ mutationFn: () => source.connect(key), onSettled: refresh }),
    cancel: useMutation<SignInView | null, AppError, void>({ mutationFn: () => source.cancelSignIn(key), onSettled: refresh }),
    disconnect: useMutation<ConnectionLocalView, AppError, void>({ mutationFn: () => source.disconnect(key), onSettled: refresh }),
  };
}
