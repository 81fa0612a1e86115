import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions, useScope } from '../../app/data/scope.js';

/** Why edit and run controls are off offline: true to what the core does (it refuses, keeps nothing). */
export const offlineReason = 'Editing and running automations need the server; nothing is kept as a draft offline.';

export interface AutomationAccess {
  /** A partner admin of the own partner (never the operator), with the server in reach. */
  canEdit: boolean;
  /** Shown beside disabled controls; null when they are on. */
  reason: string | null;
}

/**
 * Who may change automations here: partner admins of their own partner, online. Technicians
 * read; the platform operator reads any partner's and changes none; offline nothing changes.
 * `fromCache`: the screen shows the copy the core kept, so the server did not answer.
 */
export function useAutomationAccess(fromCache = false): AutomationAccess {
  const { user } = useScope();
  const { canMutate, readOnlyReason } = usePermissions();
  const sync = useSyncStatus();
  if (user.isDev) return { canEdit: false, reason: 'The platform operator reads automations but never edits or runs them.' };
  if (!canMutate) return { canEdit: false, reason: user.role === 'partner_admin' ? readOnlyReason : 'Technicians read automations and their runs; partner admins edit and run them.' };
  if (fromCache || sync.data?.connection === 'offline') return { canEdit: false, reason: offlineReason };
  return { canEdit: true, reason: null };
}
