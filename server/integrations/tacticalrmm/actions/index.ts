import type { ActionDefinition } from '../../actions.js';
import { tacticalReadActions } from './reads.js';
import type { TacticalActionDeps } from './run.js';
import { tacticalWriteActions } from './writes.js';

/** Tactical RMM's actions, on the plugin's vendor clients. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types, as IntegrationPlugin.actions
export function tacticalActions(deps: TacticalActionDeps): readonly ActionDefinition<any, any>[] {
  return [...tacticalReadActions(deps), ...tacticalWriteActions(deps)];
}
