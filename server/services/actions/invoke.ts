import type { ExternalTicket } from '../../../shared/actions.js';
import { AppError } from '../../../shared/errors.js';
import type { StoredRunError } from '../../db/actionRuns.js';
import type { AppDeps } from '../../deps.js';
import { VendorError } from '../../integrations/http/errors.js';
import { withInteraction } from '../../integrations/http/interactionScope.js';
import type { RegisteredAction, RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import type { PluginSettings } from '../../integrations/types.js';
import { redactSecrets } from '../integrations/settings.js';
import { actionContext } from './context.js';

/** How one call into an action ended: its (checked, credential-free) output, or a stored-shape error. */
export type Invocation = { ok: true; output: unknown; ticket: ExternalTicket | undefined } | { ok: false; error: StoredRunError };

const maxMessage = 1_000;
const clip = (text: string) => (text.length > maxMessage ? `${text.slice(0, maxMessage - 1)}…` : text);

/** Every secret value of the settings replaced, in any JSON value (an echoing vendor must not leak one). */
function scrubJson<T>(value: T, integration: RegisteredIntegration, settings: PluginSettings): T {
  if (value === undefined) return value;
  const text = JSON.stringify(value);
  const clean = redactSecrets(text, integration, settings);
  return clean === text ? value : (JSON.parse(clean) as T);
}

/** The message a user reads for a vendor's refusal: the vendor's own words when it sent some. */
function vendorMessage(error: VendorError): string {
  const d = error.details;
  const status = d.status ? ` (HTTP ${d.status})` : '';
  if (d.vendorMessage) return `${d.vendor} refused${status}: ${d.vendorMessage}`;
  return error.message;
}

/** Maps what a run threw to what is stored and answered. Never a 500 for a vendor's or a user's doing. */
function failure(deps: AppDeps, action: RegisteredAction, error: unknown, sideEffectful: boolean): StoredRunError {
  if (error instanceof VendorError) return { code: `vendor_${error.kind}`, appCode: 'VENDOR_ERROR', message: vendorMessage(error) };
  if (error instanceof AppError) {
    const fields = error.fields ? { fields: error.fields } : {};
    return { code: error.code.toLowerCase(), appCode: error.code === 'INTERNAL' ? 'VENDOR_ERROR' : error.code, message: error.message, ...fields };
  }
  deps.log.warn({ actionId: action.definition.id, errorType: error instanceof Error ? error.name : typeof error }, 'action threw unexpectedly');
  const check = sideEffectful ? ': check the vendor before trying again' : '';
  return { code: 'failed', appCode: 'VENDOR_ERROR', message: `The action failed unexpectedly${check}` };
}

/**
 * Calls the action once: inside the interaction scope (so every vendor call it makes is
 * logged), within the time budget (ACTION_TIMEOUT; the signal aborts, and a plugin that ignores
 * it is not waited for), its output checked against its schema and scrubbed of credentials.
 * Never throws.
 */
export async function invokeAction(
  deps: AppDeps,
  integration: RegisteredIntegration,
  action: RegisteredAction,
  run: { partnerId: number; userId: number; accessTokenId?: number | null; settings: PluginSettings; input: unknown; runId: number | null },
): Promise<Invocation> {
  const def = action.definition;
  const timeoutMs = deps.config.actions.timeoutMs;
  const budget = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      budget.abort();
      resolve('timeout');
    }, timeoutMs);
  });
  const ctx = actionContext(deps, integration, { partnerId: run.partnerId, userId: run.userId, settings: run.settings, signal: budget.signal });
  const scope = { partnerId: run.partnerId, integrationKey: integration.entry.key, kind: 'action' as const, actionId: def.id, userId: run.userId, actionRunId: run.runId, accessTokenId: run.accessTokenId ?? null, recorder: deps.interactionLog };
  let result: Invocation;
  try {
    const answer = await Promise.race([withInteraction(scope, () => def.run(ctx, run.input)), timedOut]);
    if (answer === 'timeout') {
      const check = def.sideEffectful ? `; ${integration.entry.name} may have done it: check there before trying again` : '';
      result = { ok: false, error: { code: 'timeout', appCode: 'VENDOR_ERROR', message: `No answer within ${Number((timeoutMs / 1000).toFixed(1))} s${check}` } };
    } else {
      const parsed = def.output.safeParse(answer?.output);
      if (!parsed.success) {
        deps.log.warn({ actionId: def.id, issues: parsed.error.issues.length }, 'action output does not match its schema');
        const check = def.sideEffectful ? `: check ${integration.entry.name} before trying again` : '';
        result = { ok: false, error: { code: 'invalid_output', appCode: 'VENDOR_ERROR', message: `The answer from ${integration.entry.name} could not be read${check}` } };
      } else {
        result = { ok: true, output: parsed.data, ticket: answer.ticket };
      }
    }
  } catch (error) {
    result = { ok: false, error: failure(deps, action, error, def.sideEffectful) };
  } finally {
    clearTimeout(timer);
  }
  if (result.ok) return { ok: true, output: scrubJson(result.output, integration, run.settings), ticket: scrubJson(result.ticket, integration, run.settings) };
  return { ok: false, error: { ...result.error, message: clip(redactSecrets(result.error.message, integration, run.settings)) } };
}
