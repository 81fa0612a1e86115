import type { ActionRunResult, RunActionInput } from '../../../shared/actions.js';
import { AppError, type FieldErrors } from '../../../shared/errors.js';
import type { AppDeps } from '../../deps.js';
import type { RegisteredAction, RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import type { PluginSettings } from '../../integrations/types.js';
import type { Principal } from '../principal.js';
import { judge, tokenRefusal } from './availability.js';
import { inputHash } from './canonical.js';
import { claimOrReplay, keyInUse, recordOutcome } from './exactlyOnce.js';
import { invokeAction } from './invoke.js';
import { readIntegrationState } from './state.js';
import { failedRunError } from './views.js';

/** The registered action for an id (`<key>.noun.verb`), or 404. */
export function requireAction(deps: AppDeps, actionId: string): { integration: RegisteredIntegration; action: RegisteredAction } {
  const integration = deps.registry.get(actionId.split('.')[0] as string);
  const action = integration?.actions.get(actionId);
  if (!integration || !action) throw new AppError('NOT_FOUND', 'There is no action with this id');
  return { integration, action };
}

function parseInput(action: RegisteredAction, input: unknown): unknown {
  const parsed = action.definition.input.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) (fields[['input', ...issue.path.map(String), key].join('.')] ??= []).push('Unknown field');
    else (fields[['input', ...issue.path.map(String)].join('.')] ??= []).push(issue.message);
  }
  throw new AppError('VALIDATION_FAILED', 'Some fields of the action are not valid', { fields });
}

const clientIdOf = (input: unknown): number | undefined => {
  const id = (input as { clientId?: unknown } | null)?.clientId;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
};

/**
 * Runs one action for the caller (docs/actions.md). Checks, in order: the action exists (404),
 * the caller may run it (403: the dev partner never; technicians read only), the input (400,
 * fields `input.<path>`), the idempotency key of a side-effectful action (400), availability
 * (409 with the reason in `details`). Reads call the vendor and keep nothing; side-effectful
 * runs call it at most once per key and partner (exactlyOnce.ts).
 */
export async function runAction(deps: AppDeps, principal: Principal, request: RunActionInput): Promise<ActionRunResult> {
  const { integration, action } = requireAction(deps, request.actionId);
  const def = action.definition;
  if (principal.isDev) throw new AppError('FORBIDDEN', 'The platform operator can read partners but runs no actions');
  if (def.sideEffectful && principal.role !== 'partner_admin') throw new AppError('FORBIDDEN', 'Only partner admins can run actions that change something at the vendor');
  const byToken = tokenRefusal(principal, def);
  if (byToken) throw new AppError('FORBIDDEN', byToken.message);
  const input = parseInput(action, request.input);
  if (def.sideEffectful && !request.idempotencyKey) {
    throw new AppError('VALIDATION_FAILED', 'This action changes something at the vendor: send an idempotency key', { fields: { idempotencyKey: ['An idempotency key is required for this action'] } });
  }
  const clientId = clientIdOf(input);
  const state = await readIntegrationState(deps, principal.partnerId, integration, def.clientScoped ? clientId : undefined);
  // A key that already ran answers with its record (replay, in progress, reused) whatever the
  // integration's state is now: the desktop resends a lost answer, and "unavailable" would make
  // it ask the user to post again.
  const seen = def.sideEffectful && (await keyInUse(deps, principal.partnerId, request.idempotencyKey as string));
  const unavailable = seen ? null : await judge(deps, state, action, { principal, clientId: def.clientScoped ? clientId : undefined });
  if (unavailable) throw new AppError('CONFLICT', unavailable.message, { details: unavailable });
  const settings = state.settings as PluginSettings;
  const call = (runId: number | null) => invokeAction(deps, integration, action, { partnerId: principal.partnerId, userId: principal.userId, accessTokenId: principal.accessToken?.id ?? null, settings, input, runId });

  if (!def.sideEffectful) {
    const startedAt = new Date().toISOString();
    const outcome = await call(null);
    const base = { runId: null, actionId: def.id, replayed: false, startedAt, finishedAt: new Date().toISOString() };
    if (!outcome.ok) throw failedRunError(outcome.error, { ...base, status: 'failed', error: { code: outcome.error.code, message: outcome.error.message } });
    return { ...base, status: 'succeeded', output: outcome.output };
  }

  const claim = await claimOrReplay(deps, principal, {
    idempotencyKey: request.idempotencyKey as string,
    actionId: def.id,
    integrationKey: integration.entry.key,
    inputHash: inputHash(input),
  });
  if (claim.kind === 'replay') return claim.answer();
  const outcome = await call(claim.runId);
  const link = request.linkTicket && clientId !== undefined ? { clientId, linkType: request.linkTicket } : undefined;
  const { result, error } = await recordOutcome(deps, principal, claim.runId, integration.entry.key, outcome, link);
  if (error) throw failedRunError(error, result);
  return result;
}
