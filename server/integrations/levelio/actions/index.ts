import type { ActionDefinition } from '../../actions.js';
import type { LevelActionDeps } from './call.js';
import { levelReadActions } from './reads.js';
import { levelWriteActions } from './writes.js';

/** Level's actions (issue 17), on the plugin's one vendor client. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types, as IntegrationPlugin.actions
export function levelActions(deps: LevelActionDeps): readonly ActionDefinition<any, any>[] {
  return [...levelReadActions(deps), ...levelWriteActions(deps)];
}
