import type { LevelAlert, LevelDevice } from '../../../../shared/actions/levelio.js';
import type { Unavailable } from '../../../../shared/actions.js';
import { AppError } from '../../../../shared/errors.js';
import type { ActionContext, AvailabilityContext } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import type { LevelAlertRecord, LevelApi, LevelCall, LevelDeviceRecord } from '../client.js';
import { groupPaths } from '../organizations.js';
import { openLevelCall } from '../session.js';
import { isReadWrite, readOnlyKeyMessage } from '../settings.js';

/** What every Level action is built with: the plugin's API (one vendor client) and its bound. */
export interface LevelActionDeps {
  api: LevelApi;
  /** Bound on one action run, every vendor call and wait included. */
  timeoutMs: number;
}

/** Devices read per mapped group, alerts per run, groups for paths: enough to pick from, bounded. */
export const maxDevicesPerGroup = 1_000;
export const maxAlerts = 1_000;
export const maxGroupsForPaths = 1_000;
export const maxAutomations = 500;

/** Opens a run from the partner's settings; settings that cannot be used are a CONFLICT. */
export function openRun(ctx: ActionContext, deps: LevelActionDeps): LevelCall {
  const opened = openLevelCall(ctx, deps.timeoutMs);
  if ('problem' in opened) throw new AppError('CONFLICT', opened.problem);
  return opened.call;
}

/**
 * Side-effectful actions need a key with "Read & write" access. Level does not say which access
 * a key has, so the partner's setting decides; a 403 from a write says the same (writeFailure).
 */
export function needsWriteAccess(ctx: AvailabilityContext): Unavailable | null {
  return isReadWrite(ctx.settings.key_access) ? null : { code: 'not_permitted', message: readOnlyKeyMessage };
}

const vendorSays = (error: VendorError) => {
  const said = error.details.vendorMessage;
  return said ? ` Level says: ${said}${/[.!?]$/.test(said) ? '' : '.'}` : '';
};

/**
 * What a refused or failed Level call means, as an error a user can act on:
 * 401 → the key was rejected; 403 → on a write, the key is read-only (the same words as the
 * availability check), on a read, the key may not read it; 404 on a named thing → NOT_FOUND;
 * 400/422 → VALIDATION_FAILED with Level's message; 409 → CONFLICT. Anything else stays a
 * VendorError (the action service records and words it).
 */
export function levelFailure(error: unknown, what: { doing: string; write: boolean; notFound?: string }): unknown {
  if (!(error instanceof VendorError)) return error;
  const status = error.status;
  if (error.kind === 'unauthorized') {
    return new AppError('VENDOR_ERROR', `Level rejected the API key while trying to ${what.doing}; check the key in the integration's settings.`, { details: { vendorStatus: 401 } });
  }
  if (error.kind === 'forbidden') {
    if (what.write) return new AppError('VENDOR_ERROR', readOnlyKeyMessage, { details: { vendorStatus: 403 } });
    return new AppError('VENDOR_ERROR', `Level refused to ${what.doing} (HTTP 403).${vendorSays(error)}`, { details: { vendorStatus: 403 } });
  }
  if (error.kind === 'not_found' && what.notFound) return new AppError('NOT_FOUND', what.notFound);
  if (error.kind === 'client_error' && (status === 400 || status === 422)) return new AppError('VALIDATION_FAILED', `Level refused to ${what.doing}.${vendorSays(error)}`, { details: { vendorStatus: status } });
  if (error.kind === 'client_error' && status === 409) return new AppError('CONFLICT', `Level refused to ${what.doing}.${vendorSays(error)}`, { details: { vendorStatus: 409 } });
  return error;
}

/** Runs `fn`, turning a failure into what `levelFailure` makes of it. */
export async function guarded<T>(what: { doing: string; write: boolean; notFound?: string }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw levelFailure(error, what);
  }
}

/** Group paths for the devices' `groupPath` (the first `maxGroupsForPaths` groups; others stay null). */
export async function pathsFor(api: LevelApi, call: LevelCall): Promise<Map<string, string>> {
  const groups = await guarded({ doing: 'read groups', write: false }, () => api.groups(call, maxGroupsForPaths));
  return groupPaths(groups.items);
}

export function deviceView(d: LevelDeviceRecord, paths: Map<string, string>): LevelDevice {
  return {
    id: d.id,
    hostname: d.hostname ?? null,
    nickname: d.nickname ?? null,
    role: d.role ?? null,
    platform: d.platform ?? null,
    groupId: d.group_id ?? null,
    groupPath: d.group_id ? (paths.get(d.group_id) ?? null) : null,
    online: d.online ?? null,
    lastSeenAt: d.last_seen_at ?? null,
    serialNumber: d.serial_number ?? null,
    tags: d.tags ?? [],
  };
}

export function alertView(a: LevelAlertRecord): LevelAlert {
  return {
    id: a.id,
    deviceId: a.device_id ?? null,
    deviceHostname: a.device_hostname ?? null,
    name: a.name ?? null,
    description: a.description ?? null,
    severity: a.severity ?? null,
    resolved: a.is_resolved ?? Boolean(a.resolved_at),
    startedAt: a.started_at ?? null,
    resolvedAt: a.resolved_at ?? null,
  };
}

/**
 * The devices of a client: `GET /v2/devices?ancestor_group_id=` per mapped group (the group and
 * every subgroup [M: ALGA]), deduplicated (a client may map a group and one of its subgroups).
 */
export async function clientDevices(ctx: ActionContext, api: LevelApi, call: LevelCall, clientId: number): Promise<{ devices: LevelDeviceRecord[]; truncated: boolean; clientName: string }> {
  const groups = await ctx.mappedOrganizations(clientId);
  const seen = new Map<string, LevelDeviceRecord>();
  let truncated = false;
  for (const group of groups) {
    const listed = await guarded({ doing: 'list devices', write: false }, () => api.devices(call, { ancestorGroupId: group.id }, maxDevicesPerGroup));
    truncated ||= listed.truncated;
    for (const d of listed.items) if (!seen.has(d.id)) seen.set(d.id, d);
  }
  return { devices: [...seen.values()], truncated, clientName: groups[0]?.clientName ?? `client ${clientId}` };
}
