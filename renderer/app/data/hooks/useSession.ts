import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginInput } from '../../../../shared/auth.js';
import { useDataSource } from '../DataSourceContext.js';
import type { DataSourceError } from '../DataSourceError.js';
import type { Session } from '../types.js';

export function useSession() {
  const source = useDataSource();
  return useQuery<Session | null, DataSourceError>({ queryKey: ['session'], queryFn: () => source.getSession(), staleTime: Infinity });
}

export function useLogin() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<Session, DataSourceError, LoginInput>({
    mutationFn: (input) => source.login(input),
    onSuccess: (session) => client.setQueryData(['session'], session),
  });
}

export function useLogout() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<void, DataSourceError>({
    mutationFn: () => source.logout(),
    onSuccess: () => {
      client.clear();
      client.setQueryData(['session'], null);
    },
  });
}
