import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { CreateMaintenanceInput, EndMaintenanceOutput, MaintenanceList, MaintenanceWindow } from '../../../../shared/integrations/maintenance.js';
import { useDataSource } from '../DataSourceContext.js';

// Server calls, online only: no retries, so "needs a connection" shows at once.

/** The windows covering one integration (its own and partner-wide), current and upcoming. */
export function useMaintenance(key: string, enabled: boolean) {
  const source = useDataSource();
  // Read again each minute: a window starts and ends by the clock, not by anyone's change.
  return useQuery<MaintenanceList, AppError>({ queryKey: ['maintenance', key], queryFn: () => source.listMaintenance(key), retry: false, enabled, refetchInterval: 60_000 });
}

/** After a change the windows, the alerts and the audit (both audited or raised on the server) are read again. */
function useAfterChange() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['maintenance'] });
    void client.invalidateQueries({ queryKey: ['audit'] });
  };
}

export function useScheduleMaintenance() {
  const source = useDataSource();
  const settled = useAfterChange();
  return useMutation<MaintenanceWindow, AppError, CreateMaintenanceInput>({ mutationFn: (input) => source.scheduleMaintenance(input), onSettled: settled });
}

export function useEndMaintenance() {
  const source = useDataSource();
  const settled = useAfterChange();
  return useMutation<EndMaintenanceOutput, AppError, number>({ mutationFn: (id) => source.endMaintenance(id), onSettled: settled });
}
