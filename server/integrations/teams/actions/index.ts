import type { ActionDefinition } from '../../actions.js';
import type { TeamsActionDeps } from './call.js';
import { teamsPostToChannelAction, teamsSendDmAction } from './messages.js';

/** Teams' actions: proactive bot messages, both side-effectful, on the plugin's one vendor client. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types, as IntegrationPlugin.actions
export function teamsActions(deps: TeamsActionDeps): readonly ActionDefinition<any, any>[] {
  return [teamsPostToChannelAction(deps), teamsSendDmAction(deps)];
}
