import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginInput } from '../../../../shared/auth.js';
import type { Theme } from '../../../../shared/desktopSettings.js';
import type { AppError } from '../../../../shared/errors.js';
import { useDataSource } from '../DataSourceContext.js';
import type { AppState, Session } from '../types.js';

/** Server address, first run, an ended session: under the `session` key, so session changes refetch it. */
export function useAppState() {
  const source = useDataSource();
  return useQuery<AppState, AppError>({ queryKey: ['session', 'app'], queryFn: () => source.getAppState(), staleTime: Infinity });
}

export function useSetServerUrl() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<AppState, AppError, string>({
    mutationFn: (url) => source.setServerUrl(url),
    onSuccess: (state) => client.setQueryData(['session', 'app'], state),
  });
}

/** Saves the theme; the app state (and with it the page's look) follows at once. */
export function useSetTheme() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<AppState, AppError, Theme>({
    // One after another: arrow keys send System → Light → Dark in a blink, and two calls in
    // flight could answer out of order, leaving the page on the choice before the last one.
    scope: { id: 'desktop-theme' },
    mutationFn: (theme) => source.setTheme(theme),
    onSuccess: (state) => client.setQueryData(['session', 'app'], state),
  });
}

export function useSession() {
  const source = useDataSource();
  return useQuery<Session | null, AppError>({ queryKey: ['session'], queryFn: () => source.getSession(), staleTime: Infinity });
}

export function useLogin() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<Session, AppError, LoginInput>({
    mutationFn: (input) => source.login(input),
    onSuccess: (session) => {
      client.setQueryData(['session'], session);
      void client.invalidateQueries({ queryKey: ['session', 'app'] });
    },
  });
}

export function useLogout() {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<void, AppError, { force: boolean } | void>({
    mutationFn: (input) => source.logout(input?.force ?? false),
    onSuccess: () => {
      // Nobody is signed in: the user boundary (app/userBoundary.ts) forgets the rest of theirs.
      client.setQueryData(['session'], null);
      void client.invalidateQueries({ queryKey: ['session', 'app'] });
    },
  });
}
