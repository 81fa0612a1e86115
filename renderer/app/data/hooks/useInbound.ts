import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { InboundDeliveryPage, InboundEndpointCreated, InboundEndpointView, InboundReplayOutput } from '../../../../shared/integrations/inboundWebhooks.js';
import { useDataSource } from '../DataSourceContext.js';

// Server calls, online only: no retries, so "needs a connection" shows at once. The secret a
// rotation answers is handed to the caller and never put in the query cache.

export function useInboundEndpoint(key: string) {
  const source = useDataSource();
  return useQuery<InboundEndpointView, AppError>({ queryKey: ['inbound', key, 'endpoint'], queryFn: () => source.getInboundEndpoint(key), retry: false });
}

/** The latest deliveries (a page of 20), re-read every 10 s while the card is open (and on "Refresh") so new ones show up. */
export function useInboundDeliveries(key: string, enabled: boolean) {
  const source = useDataSource();
  return useQuery<InboundDeliveryPage, AppError>({
    queryKey: ['inbound', key, 'deliveries'],
    queryFn: () => source.listInboundDeliveries({ key, limit: 20 }),
    retry: false,
    enabled,
    refetchInterval: 10_000,
  });
}

export function useRotateInboundSecret(key: string) {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<InboundEndpointCreated, AppError, void>({
    mutationFn: () => source.rotateInboundSecret(key),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['inbound', key] });
      void client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export function useReplayInboundDelivery(key: string) {
  const source = useDataSource();
  const client = useQueryClient();
  return useMutation<InboundReplayOutput, AppError, number>({
    mutationFn: (id) => source.replayInboundDelivery(key, id),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['inbound', key] });
      void client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}
