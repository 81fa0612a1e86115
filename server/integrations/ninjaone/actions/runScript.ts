import { ninjaRunScriptInput, ninjaRunScriptOutput } from '../../../../shared/actions/ninjaone.js';
import { AppError } from '../../../../shared/errors.js';
import { defineAction } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import type { RunScriptRequest } from '../client.js';
import { readScopes } from '../settings.js';
import { callFailure, deviceName, guarded, openRun, type NinjaActionDeps } from './call.js';

/** Why a write cannot run with the scopes set; null when `management` is among them. */
export function managementUnavailable(scopesSetting: unknown): string | null {
  const scopes = readScopes(scopesSetting);
  if (scopes.includes('management')) return null;
  return `Running scripts needs the management scope; this connection requests only ${scopes.join(' ')}. Grant management to the app in NinjaOne › Administration › Apps › API and add it to Scopes.`;
}

const vendorSays = (error: VendorError) => {
  const said = error.details.vendorMessage;
  return said ? ` NinjaOne says: ${said}${/[.!?]$/.test(said) ? '' : '.'}` : '';
};

/**
 * NinjaOne declares only a `default` response for runScriptOnDevice and no error schema
 * [H: NJ-OAS]: a 400/422 is taken as a refused body (VALIDATION_FAILED), a 409 as a state the
 * device is in (CONFLICT); 401/403/404 as for every call.
 */
function runFailure(error: unknown, deviceId: string, call: Parameters<typeof callFailure>[2]): unknown {
  if (error instanceof VendorError && (error.status === 400 || error.status === 422)) {
    return new AppError('VALIDATION_FAILED', `NinjaOne refused to run this on device ${deviceId} (HTTP ${error.status}).${vendorSays(error)} Check the script or action, its parameters and Run as against the device's scripting options.`, {
      details: { vendorStatus: error.status },
    });
  }
  if (error instanceof VendorError && error.status === 409) {
    return new AppError('CONFLICT', `NinjaOne cannot run this on device ${deviceId} now (HTTP 409).${vendorSays(error)}`, { details: { vendorStatus: 409 } });
  }
  return callFailure(error, { doing: 'run the script', resource: 'device', id: deviceId, scope: 'management' }, call);
}

export function ninjaRunScriptAction(deps: NinjaActionDeps) {
  const { api } = deps;
  return defineAction({
    id: 'ninjaone.devices.run_script',
    label: 'Run a script on a NinjaOne device',
    description:
      'Runs a custom script (by id) or a built-in action (by uid) on the device, with optional parameters and credentials (Run as). NinjaOne queues it and answers at once; the result shows in NinjaOne. Needs the management scope. With a client, the device must belong to one of its mapped organizations.',
    sideEffectful: true,
    clientScoped: false,
    input: ninjaRunScriptInput,
    output: ninjaRunScriptOutput,
    availability: ({ settings }) => {
      const reason = managementUnavailable(settings.scopes);
      return reason ? { code: 'not_permitted', message: reason } : null;
    },
    async run(ctx, input) {
      const call = openRun(ctx, deps);
      // The device is read first: a run meant for one client's device must never land on another's.
      const device = await guarded(call, { doing: 'read the device', resource: 'device', id: input.deviceId }, () => api.device(call, input.deviceId));
      if (input.clientId !== undefined) {
        const organizations = await ctx.mappedOrganizations(input.clientId);
        if (!organizations.some((o) => device.organizationId !== null && device.organizationId !== undefined && o.id === String(device.organizationId))) {
          const clientName = organizations[0]?.clientName ?? `client ${input.clientId}`;
          throw new AppError('CONFLICT', `Device ${input.deviceId} belongs to a NinjaOne organization that is not mapped to ${clientName}; nothing was run.`, {
            details: { deviceId: input.deviceId, organizationId: device.organizationId ?? null },
          });
        }
      }
      const extra = { ...(input.parameters !== undefined ? { parameters: input.parameters } : {}), ...(input.runAs !== undefined ? { runAs: input.runAs } : {}) };
      // The input schema guarantees id for SCRIPT and uid for ACTION.
      const body: RunScriptRequest = input.type === 'SCRIPT' ? { type: 'SCRIPT', id: input.id as number, ...extra } : { type: 'ACTION', uid: input.uid as string, ...extra };
      try {
        await api.runScript(call, input.deviceId, body);
      } catch (error) {
        throw runFailure(error, input.deviceId, call);
      }
      return {
        output: {
          accepted: true as const,
          deviceId: input.deviceId,
          deviceName: deviceName(device),
          type: input.type,
          scriptId: input.type === 'SCRIPT' ? String(input.id) : null,
          actionUid: input.type === 'ACTION' ? (input.uid ?? null) : null,
        },
      };
    },
  });
}
