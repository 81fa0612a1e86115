import { AppError } from '../../../../shared/errors.js';
import type { TacticalAgentSummary } from '../../../../shared/actions/tacticalrmm.js';
import type { ActionContext } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import { openCall, TacticalSettingsError } from '../call.js';
import type { TacticalAgentRow, TacticalApi, TacticalCall } from '../client.js';
import { addressFailure, keyRejected } from '../health.js';

/** What every Tactical RMM action is built with: the plugin's API and the bound on a read. */
export interface TacticalActionDeps {
  api: TacticalApi;
  /** Bound on one read action; runs that wait for an agent get the user's timeout plus a margin. */
  timeoutMs: number;
}

/** A run's call; settings the service let through but we cannot use are a CONFLICT. */
export function openRun(ctx: ActionContext, timeoutMs: number): TacticalCall {
  try {
    return openCall(ctx, timeoutMs);
  } catch (error) {
    if (error instanceof TacticalSettingsError) throw new AppError('CONFLICT', error.message);
    throw error;
  }
}

function vendorSays(error: VendorError): string {
  const said = error.details.vendorMessage;
  return said ? ` Tactical RMM says: ${said}${/[.!?]$/.test(said) ? '' : '.'}` : '';
}

/**
 * What a refused or failed call means, as an error a user can act on: the dashboard address,
 * a refused address, a rejected key, a role without the permission (DRF's 403 "You do not have
 * permission to perform this action." [H: TRMM permissions.py]), an unknown agent, or TRMM's own
 * 400 ("Unable to contact the agent" [H: TRMM agents/views.py]). Anything else stays a
 * VendorError, which the action service words and records.
 */
export function tacticalFailure(error: unknown, call: TacticalCall, what: { doing: string; permission: string; agentId?: string }): unknown {
  if (!(error instanceof VendorError)) return error;
  const address = addressFailure(error, call);
  // A 404 on an agent's path is the agent, not the host (the call before it proved the host).
  if (address && !(error.kind === 'not_found' && what.agentId !== undefined)) return new AppError('VENDOR_ERROR', `${address}.`, { details: { vendorStatus: error.status ?? null } });
  if (error.kind === 'unauthorized') {
    return new AppError('VENDOR_ERROR', `${keyRejected} while trying to ${what.doing}; check the key in the integration's settings.${vendorSays(error)}`, { details: { vendorStatus: 401 } });
  }
  if (error.kind === 'forbidden') {
    return new AppError(
      'VENDOR_ERROR',
      `Tactical RMM refused to ${what.doing} (HTTP 403).${vendorSays(error)} The API key's user needs the role permission "${what.permission}" (Settings › Permissions Manager), and access to the agent's client.`,
      { details: { vendorStatus: 403, permission: what.permission } },
    );
  }
  if (error.kind === 'not_found' && what.agentId !== undefined) return new AppError('NOT_FOUND', `Tactical RMM has no agent ${what.agentId}`);
  if (error.kind === 'client_error') {
    return new AppError('VENDOR_ERROR', `Tactical RMM could not ${what.doing} (HTTP ${error.status ?? 400}).${vendorSays(error)}`, { details: { vendorStatus: error.status ?? 400 } });
  }
  return error;
}

/** Runs `fn`, turning a failure into what `tacticalFailure` makes of it. */
export async function guarded<T>(call: TacticalCall, what: { doing: string; permission: string; agentId?: string }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw tacticalFailure(error, call, what);
  }
}

export function agentSummary(a: TacticalAgentRow): TacticalAgentSummary {
  return {
    agentId: a.agent_id,
    hostname: a.hostname,
    clientName: a.client_name ?? null,
    siteName: a.site_name ?? null,
    status: a.status ?? null,
    lastSeen: a.last_seen ?? null,
    operatingSystem: a.operating_system ?? null,
    platform: a.plat ?? null,
    publicIp: a.public_ip ?? null,
    needsReboot: a.needs_reboot ?? null,
    description: a.description ?? null,
  };
}

/** A waiting call's answer as text: TRMM sends the output as a JSON string. */
export function outputText(data: unknown): string {
  if (typeof data === 'string') return data;
  return data === null || data === undefined ? '' : JSON.stringify(data);
}

/**
 * The seconds a run may wait for its agent: TRMM itself waits the timeout plus a few seconds
 * [H: TRMM agents/views.py], and the whole run must end inside ACTION_TIMEOUT, or the service
 * would give up while the agent still works and report an unknown outcome.
 */
export function checkWait(ctx: ActionContext, timeoutSeconds: number): number {
  const limitSeconds = Math.floor(ctx.config.actions.timeoutMs / 1000) - 8;
  if (timeoutSeconds > limitSeconds) {
    throw new AppError('VALIDATION_FAILED', 'The timeout is too long for this server', {
      fields: { 'input.timeoutSeconds': [`At most ${Math.max(limitSeconds, 0)} seconds on this server (ACTION_TIMEOUT)`] },
    });
  }
  return timeoutSeconds * 1000 + 6_000;
}
