import type { ActionDefinition } from '../../actions.js';
import { ninjaAlertActions } from './alerts.js';
import type { NinjaActionDeps } from './call.js';
import { ninjaDeviceActions } from './devices.js';
import { ninjaRunScriptAction } from './runScript.js';

/** NinjaOne's actions, on the plugin's one vendor client and the app's request budget. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types, as IntegrationPlugin.actions
export function ninjaActions(deps: NinjaActionDeps): readonly ActionDefinition<any, any>[] {
  return [...ninjaDeviceActions(deps), ...ninjaAlertActions(deps), ninjaRunScriptAction(deps)];
}
