import type { ActionDefinition } from '../../actions.js';
import type { M365ActionDeps } from './call.js';
import { m365ReadActions } from './reads.js';
import { m365RevokeAction } from './revoke.js';
import { m365TenantActions } from './tenants.js';

/** Microsoft 365's actions, on the plugin's one vendor client. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types, as IntegrationPlugin.actions
export function m365Actions(deps: M365ActionDeps): readonly ActionDefinition<any, any>[] {
  return [...m365TenantActions(deps), ...m365ReadActions(deps), m365RevokeAction(deps)];
}
