import type { ActionDefinition } from '../../actions.js';
import { syncroAttachAction } from './attach.js';
import type { SyncroActionDeps } from './call.js';
import { syncroReadActions } from './reads.js';
import { syncroWriteActions } from './writes.js';

/** Syncro's actions (issue 15), on the plugin's one vendor client and request budget. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types, as IntegrationPlugin.actions
export function syncroActions(deps: SyncroActionDeps): readonly ActionDefinition<any, any>[] {
  return [...syncroReadActions(deps), ...syncroWriteActions(deps), syncroAttachAction(deps)];
}
