import type { NinjaDeviceSummary } from '../../../../shared/actions/ninjaone.js';
import { AppError } from '../../../../shared/errors.js';
import type { ActionContext } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import type { RateLimit } from '../../http/rateLimiter.js';
import { OAuthConnectionError, TokenRequestError } from '../../oauth2/types.js';
import { openNinjaCall, type NinjaApi, type NinjaCall, type NinjaDevice } from '../client.js';
import { ninjaTokenHealth } from '../health.js';

/** What every NinjaOne action is built with: the plugin's API (one vendor client) and its limits. */
export interface NinjaActionDeps {
  api: NinjaApi;
  timeoutMs: number;
  rateLimit?: RateLimit;
}

/** Opens a run; settings the service let through but we cannot use are a CONFLICT. */
export function openRun(ctx: ActionContext, deps: NinjaActionDeps): NinjaCall {
  const opened = openNinjaCall(ctx, deps.timeoutMs, deps.rateLimit);
  if ('problem' in opened) throw new AppError('CONFLICT', opened.problem);
  return opened.call;
}

export const idText = (value: number | null | undefined) => (value === null || value === undefined ? null : String(value));

/** NinjaOne's times are epoch seconds as doubles [H: NJ-OAS `lastContact`, `createTime`]. */
export function epochText(value: number | null | undefined): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const ms = value > 1e12 ? value : value * 1000;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function deviceSummary(d: NinjaDevice, organizationName: string | null = null): NinjaDeviceSummary {
  return {
    id: String(d.id),
    uid: d.uid ?? null,
    displayName: d.displayName ?? null,
    systemName: d.systemName ?? null,
    dnsName: d.dnsName ?? null,
    nodeClass: d.nodeClass ?? null,
    organizationId: idText(d.organizationId),
    organizationName,
    locationId: idText(d.locationId),
    offline: d.offline ?? null,
    approvalStatus: d.approvalStatus ?? null,
    lastContact: epochText(d.lastContact),
  };
}

export const deviceName = (d: NinjaDevice) => d.displayName?.trim() || d.systemName?.trim() || d.dnsName?.trim() || `device ${d.id}`;

/**
 * What a failed NinjaOne call means, as an error a user can act on: no token (refused, not
 * connected) → VENDOR_ERROR with the health wording; 401 after one new token → VENDOR_ERROR;
 * 403 → the scope; 404 on an id → NOT_FOUND. Anything else stays a VendorError.
 */
export function callFailure(error: unknown, what: { doing: string; resource?: string; id?: string; scope?: string }, call: NinjaCall): unknown {
  if (error instanceof TokenRequestError || error instanceof OAuthConnectionError) {
    return new AppError('VENDOR_ERROR', `Could not get a NinjaOne access token to ${what.doing}: ${ninjaTokenHealth(error, call).message ?? error.message}`);
  }
  if (!(error instanceof VendorError)) return error;
  if (error.kind === 'unauthorized') {
    return new AppError('VENDOR_ERROR', `NinjaOne refused the access token while trying to ${what.doing} (HTTP 401), also after a new one was obtained; reconnect or check the app in NinjaOne.`, { details: { vendorStatus: 401 } });
  }
  if (error.kind === 'forbidden') {
    const scope = what.scope ?? 'monitoring';
    return new AppError('VENDOR_ERROR', `NinjaOne refused to ${what.doing} (HTTP 403): the app needs the ${scope} scope, granted in NinjaOne and listed in Scopes.`, { details: { vendorStatus: 403 } });
  }
  if (error.kind === 'not_found' && what.id !== undefined && what.resource) {
    return new AppError('NOT_FOUND', `NinjaOne has no ${what.resource} ${what.id} that this app may see`);
  }
  return error;
}

export async function guarded<T>(call: NinjaCall, what: Parameters<typeof callFailure>[1], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw callFailure(error, what, call);
  }
}
