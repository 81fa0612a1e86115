import {
  ninjaDevicesFindInput,
  ninjaDevicesFindOutput,
  ninjaDevicesGetInput,
  ninjaDevicesGetOutput,
  ninjaScriptingOptionsInput,
  ninjaScriptingOptionsOutput,
  type NinjaDeviceSummary,
} from '../../../../shared/actions/ninjaone.js';
import { defineAction } from '../../actions.js';
import { deviceSummary, guarded, idText, openRun, type NinjaActionDeps } from './call.js';

/** Devices a page when walking an organization's list (NinjaOne documents no maximum). */
const devicePageSize = 100;

export function ninjaDeviceActions(deps: NinjaActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'ninjaone.devices.find',
      label: 'Find NinjaOne devices',
      description: "Devices of the client's mapped NinjaOne organizations, optionally by name or offline state.",
      sideEffectful: false,
      clientScoped: true,
      input: ninjaDevicesFindInput,
      output: ninjaDevicesFindOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const organizations = await ctx.mappedOrganizations(input.clientId);
        const wanted = input.query?.toLowerCase();
        const devices: NinjaDeviceSummary[] = [];
        let truncated = false;
        for (const org of organizations) {
          // `GET /v2/organization/{id}/devices?pageSize&after=<last device id>` [H: NJ-OAS getOrganizationDevices].
          let after: number | null = null;
          for (;;) {
            const page = await guarded(call, { doing: 'list the devices of an organization', resource: 'organization', id: org.id }, () => api.organizationDevices(call, org.id, devicePageSize, after));
            for (const d of page) {
              const names = [d.displayName, d.systemName, d.dnsName].filter(Boolean).join(' ').toLowerCase();
              if (wanted && !names.includes(wanted)) continue;
              if (input.offline !== undefined && (d.offline ?? false) !== input.offline) continue;
              devices.push(deviceSummary(d, org.name));
            }
            const last = page.at(-1);
            if (page.length < devicePageSize || !last) break;
            if (devices.length > input.limit) {
              truncated = true;
              break;
            }
            after = last.id;
          }
          if (devices.length > input.limit) break;
        }
        if (devices.length > input.limit) truncated = true;
        return { output: { devices: devices.slice(0, input.limit), truncated } };
      },
    }),

    defineAction({
      id: 'ninjaone.devices.get',
      label: 'Read a NinjaOne device',
      description: 'One device: names, class, organization, online state and last contact.',
      sideEffectful: false,
      clientScoped: false,
      input: ninjaDevicesGetInput,
      output: ninjaDevicesGetOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const device = await guarded(call, { doing: 'read the device', resource: 'device', id: input.deviceId }, () => api.device(call, input.deviceId));
        return { output: { device: deviceSummary(device) } };
      },
    }),

    defineAction({
      id: 'ninjaone.devices.scripting_options',
      label: 'List scripts for a NinjaOne device',
      description: 'The custom scripts, built-in actions and credential roles NinjaOne offers for the device (what run script can use).',
      sideEffectful: false,
      clientScoped: false,
      input: ninjaScriptingOptionsInput,
      output: ninjaScriptingOptionsOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const options = await guarded(call, { doing: "read the device's scripting options", resource: 'device', id: input.deviceId }, () => api.scriptingOptions(call, input.deviceId, input.lang));
        return {
          output: {
            categories: (options.categories ?? []).map((c) => ({ id: idText(c.id), name: c.name ?? null })),
            scripts: (options.scripts ?? []).map((s) => ({
              type: s.type === 'SCRIPT' || s.type === 'ACTION' ? s.type : null,
              id: idText(s.id),
              uid: s.uid ?? null,
              name: s.name ?? null,
              language: s.language ?? null,
              description: s.description ?? null,
              categoryId: idText(s.categoryId),
            })),
            credentialRoles: options.credentials?.roles ?? [],
            credentials: (options.credentials?.credentials ?? []).map((c) => ({ id: idText(c.id), name: c.name ?? null, type: c.type ?? null })),
          },
        };
      },
    }),
  ];
}
