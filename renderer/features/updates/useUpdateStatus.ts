import { useEffect, useState } from 'react';
import type { IntegrationCenterBridge, UpdateStatus } from '../../../shared/ipc';

export type UpdateBridge = Pick<IntegrationCenterBridge, 'updateStatus' | 'onUpdateStatus' | 'restartToUpdate'>;

/** The app's update status from the Electron shell; null in browser mode (no bridge, no updates). */
export function useUpdateStatus(bridge: UpdateBridge | undefined): UpdateStatus | null {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  useEffect(() => {
    if (!bridge) return undefined;
    let live = true;
    const unsubscribe = bridge.onUpdateStatus((next) => setStatus(next));
    bridge.updateStatus().then(
      (now) => {
        if (live) setStatus((current) => current ?? now);
      },
      () => undefined,
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [bridge]);
  return status;
}
