import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { WebhookTestOutput, WebhookView } from '../../../../shared/integrations/health.js';
import type { WebhookDeliveryPage, WebhookSaved } from '../../../../shared/integrations/alertWebhook.js';
import type { CheckResult, HealthCheckPage } from '../../../../shared/integrations/healthChecks.js';
import type { AlertWebhookForm } from '../../../../shared/localApi.js';
import { useDataSource } from '../DataSourceContext.js';

// Server calls, online only: no retries (an offline answer should show at once, not after three
// tries) and nothing kept across screens that a secret could hide in.

export function useAlertWebhook() {
  const source = useDataSource();
  return useQuery<WebhookView, AppError>({ queryKey: ['alerts', 'webhook'], queryFn: () => source.getAlertWebhook(), retry: false });
}

export function useAlertDeliveries(enabled: boolean) {
  const source = useDataSource();
  return useQuery<WebhookDeliveryPage, AppError>({ queryKey: ['alerts', 'deliveries'], queryFn: () => source.listAlertDeliveries(), retry: false, enabled });
}

/** After any webhook change the webhook (without its secret) and the deliveries are read again. */
function useRefetchAlerts() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ['alerts'] });
}

export function useSaveAlertWebhook() {
  const source = useDataSource();
  const refetch = useRefetchAlerts();
  // gcTime 0: an answer carrying the revealed secret leaves memory with the form that got it.
  return useMutation<WebhookSaved, AppError, AlertWebhookForm>({ mutationFn: (input) => source.saveAlertWebhook(input), onSuccess: refetch, gcTime: 0 });
}

export function useRotateAlertSecret() {
  const source = useDataSource();
  const refetch = useRefetchAlerts();
  return useMutation<WebhookSaved, AppError, void>({ mutationFn: () => source.rotateAlertSecret(), onSuccess: refetch, gcTime: 0 });
}

export function useSendTestAlert() {
  const source = useDataSource();
  const refetch = useRefetchAlerts();
  return useMutation<WebhookTestOutput, AppError, void>({ mutationFn: () => source.sendTestAlert(), onSettled: refetch });
}

export function useHealthChecks(key: string, result: CheckResult | undefined, enabled: boolean) {
  const source = useDataSource();
  return useQuery<HealthCheckPage, AppError>({
    queryKey: ['checks', key, result ?? 'all'],
    queryFn: () => source.listHealthChecks(key, result),
    retry: false,
    enabled,
  });
}
