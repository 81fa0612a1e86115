import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { ClientTenantsView, ConsentTarget, ConsentView } from '../../../../shared/localMicrosoft365.js';
import { useDataSource } from '../DataSourceContext.js';

// A client's tenants are read from Microsoft (three actions per reading), so not on every sync:
// on opening the screen, on "Read again", when the connection comes back and when a consent ends.
export const clientTenantsKey = (clientId: number) => ['microsoft365', 'client', clientId] as const;

export function useClientTenants(clientId: number, enabled: boolean) {
  const source = useDataSource();
  return useQuery<ClientTenantsView, AppError>({ queryKey: clientTenantsKey(clientId), queryFn: () => source.getClientTenants(clientId), enabled, staleTime: 60_000 });
}

// Under 'connection': the core tells that topic whenever a consent moves on, so nothing polls.
const consentKey = (t: ConsentTarget) => ['connection', 'consent', t.key, t.organizationKey.toLowerCase()];

export function useConsent(target: ConsentTarget, enabled: boolean) {
  const source = useDataSource();
  return useQuery<ConsentView | null, AppError>({ queryKey: consentKey(target), queryFn: () => source.getConsent(target), enabled, staleTime: 0 });
}

export function useConsentActions(target: ConsentTarget) {
  const source = useDataSource();
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: consentKey(target) });
  return {
    grant: useMutation<ConsentView, AppError, void>({ mutationFn: () => source.grantConsent(target), onSettled: refresh }),
    cancel: useMutation<ConsentView | null, AppError, void>({ mutationFn: () => source.cancelConsent(target), onSettled: refresh }),
  };
}
