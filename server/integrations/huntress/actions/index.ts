import type { ActionDefinition } from '../../actions.js';
import type { HuntressActionDeps } from './call.js';
import { huntressReadActions } from './reads.js';
import { huntressResolveAction } from './resolve.js';

/** Huntress's actions, on the plugin's one vendor client and the key's 60 requests a minute. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types, as IntegrationPlugin.actions
export function huntressActions(deps: HuntressActionDeps): readonly ActionDefinition<any, any>[] {
  return [...huntressReadActions(deps), huntressResolveAction(deps)];
}
