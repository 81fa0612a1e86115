import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions, useScope } from '../../app/data/scope.js';

/**
 * What happens offline, true to what the core does: saves and the switch are kept and sent on
 * reconnect; runs, re-runs, recipes and deletes happen on the server and are refused, not queued.
 */
export const offlineReason =
  'You’re offline: edits, new automations and the on/off switch are kept on this computer and sent by themselves when you reconnect. Running, re-running, adding a recipe and deleting need the server.';

/** The header's offline banner on the automation screens (a partner admin of the own partner). */
export const automationsOfflineSaves = 'Automation edits you save are kept and sent by themselves when you reconnect; runs need the connection.';

/** Said in the editor before saving offline. */
export const offlineSaveNotice = 'You’re offline: saving keeps this change on this computer and sends it when you reconnect (see Pending changes).';
/** The toast after a save kept offline. */
export const savedOfflineTitle = 'Saved offline; sent when you reconnect';

export interface AutomationAccess {
  /** A partner admin of the own partner (never the operator): saves, kept when offline. */
  canEdit: boolean;
  /** As canEdit, with the server in reach: runs, re-runs, recipes. */
  canRun: boolean;
  offline: boolean;
  /** Shown beside disabled controls (or what offline means); null when everything is on. */
  reason: string | null;
}

/**
 * Who may change automations here: partner admins of their own partner (offline too: kept, sent
 * on reconnect), running them only online. Technicians read; the platform operator reads any
 * partner's and changes none. `fromCache`: the screen shows the copy the core kept, so the
 * server did not answer.
 */
export function useAutomationAccess(fromCache = false): AutomationAccess {
  const { user } = useScope();
  const { canMutate, readOnlyReason } = usePermissions();
  const sync = useSyncStatus();
  const offline = fromCache || sync.data?.connection === 'offline';
  if (user.isDev) return { canEdit: false, canRun: false, offline, reason: 'The platform operator reads automations but never edits or runs them.' };
  if (!canMutate) return { canEdit: false, canRun: false, offline, reason: user.role === 'partner_admin' ? readOnlyReason : 'Technicians read automations and their runs; partner admins edit and run them.' };
  if (offline) return { canEdit: true, canRun: false, offline, reason: offlineReason };
  return { canEdit: true, canRun: true, offline, reason: null };
}
