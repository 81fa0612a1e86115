import type { ActionDescriptor } from '../../../shared/actions.js';
import type { AppDeps } from '../../deps.js';
import type { RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import type { Principal } from '../principal.js';
import { requireIntegration } from '../integrations/lookup.js';
import { judge, type IntegrationState } from './availability.js';
import { readIntegrationState } from './state.js';

const describe = (state: IntegrationState | undefined, integration: RegisteredIntegration) =>
  [...integration.actions.values()].map((action) => ({ action, state }));

/**
 * The actions this caller's partner has, each with whether it may run now and why not. One
 * integration whose state cannot be read makes its own actions `check_failed`; it never fails
 * the listing. The dev partner sees every action as `not_permitted` (it reads, it never runs).
 */
export async function listActions(deps: AppDeps, principal: Principal, input: { key?: string; clientId?: number }): Promise<ActionDescriptor[]> {
  const integrations = input.key ? [requireIntegration(deps.registry, input.key)] : deps.registry.list();
  const withActions = integrations.filter((i) => i.actions.size > 0);
  const perIntegration = await Promise.all(
    withActions.map(async (integration) => {
      let state: IntegrationState | undefined;
      try {
        state = principal.isDev ? undefined : await readIntegrationState(deps, principal.partnerId, integration, input.clientId);
      } catch (error) {
        deps.log.warn({ integration: integration.entry.key, partnerId: principal.partnerId, errorType: error instanceof Error ? error.name : typeof error }, 'action listing: integration state unreadable');
      }
      return Promise.all(
        describe(state, integration).map(async ({ action, state }): Promise<ActionDescriptor> => {
          const def = action.definition;
          const unavailable = principal.isDev || state
            ? await judge(deps, state ?? { integration, config: undefined, settings: undefined, clientMapped: undefined }, action, { principal, clientId: input.clientId })
            : { code: 'check_failed' as const, message: 'Whether this action can run could not be checked; try again later' };
          return {
            id: def.id,
            integrationKey: integration.entry.key,
            label: def.label,
            description: def.description,
            sideEffectful: def.sideEffectful,
            clientScoped: def.clientScoped,
            available: unavailable === null,
            ...(unavailable ? { unavailable } : {}),
            inputSchema: action.inputJsonSchema,
            outputSchema: action.outputJsonSchema,
          };
        }),
      );
    }),
  );
  return perIntegration.flat();
}
