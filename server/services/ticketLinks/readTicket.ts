import type { ExternalTicket } from '../../../shared/actions.js';
import { AppError } from '../../../shared/errors.js';
import type { AppDeps } from '../../deps.js';
import type { RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import type { PluginSettings } from '../../integrations/types.js';
import { judge } from '../actions/availability.js';
import { invokeAction } from '../actions/invoke.js';
import { readIntegrationState } from '../actions/state.js';
import { failedRunError } from '../actions/views.js';
import type { Principal } from '../principal.js';

/**
 * Reads one ticket through the integration's own `<key>.tickets.get` action, with the same
 * availability rules, time budget, interaction log and credential scrubbing as any run. 409 when
 * the integration has no such action or it cannot run now; a vendor failure as the run's error.
 */
export async function readTicket(deps: AppDeps, principal: Principal, integration: RegisteredIntegration, ticketId: string): Promise<ExternalTicket> {
  const key = integration.entry.key;
  const action = integration.actions.get(`${key}.tickets.get`);
  if (!action) throw new AppError('CONFLICT', `${integration.entry.name} has no ticket action, so its tickets cannot be linked`);
  const parsed = action.definition.input.safeParse({ ticketId });
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'This is not a ticket id of this integration', { fields: { ticketId: parsed.error.issues.map((i) => i.message) } });
  const state = await readIntegrationState(deps, principal.partnerId, integration, undefined);
  const unavailable = await judge(deps, state, action, { principal });
  if (unavailable) throw new AppError('CONFLICT', unavailable.message, { details: unavailable });
  const now = new Date().toISOString();
  const outcome = await invokeAction(deps, integration, action, { partnerId: principal.partnerId, userId: principal.userId, settings: state.settings as PluginSettings, input: parsed.data, runId: null });
  if (!outcome.ok) {
    throw failedRunError(outcome.error, { runId: null, actionId: action.definition.id, status: 'failed', error: { code: outcome.error.code, message: outcome.error.message }, replayed: false, startedAt: now, finishedAt: new Date().toISOString() });
  }
  if (!outcome.ticket) throw new AppError('VENDOR_ERROR', `${integration.entry.name} did not say which ticket it read`);
  return outcome.ticket;
}
