import {
  levelAlertsListActiveInput,
  levelAlertsListActiveOutput,
  levelAutomationsListInput,
  levelAutomationsListOutput,
  levelDevicesFindInput,
  levelDevicesFindOutput,
  levelDevicesGetInput,
  levelDevicesGetOutput,
  type LevelAlert,
} from '../../../../shared/actions/levelio.js';
import { defineAction } from '../../actions.js';
import { webhookFor } from './automations.js';
import { alertView, clientDevices, deviceView, guarded, maxAlerts, maxAutomations, openRun, pathsFor, type LevelActionDeps } from './call.js';

const severityRank: Record<string, number> = { emergency: 0, critical: 1, warning: 2, information: 3 };
const worstFirst = (a: LevelAlert, b: LevelAlert) =>
  (severityRank[a.severity ?? ''] ?? 9) - (severityRank[b.severity ?? ''] ?? 9) || (b.startedAt ?? '').localeCompare(a.startedAt ?? '');

/** The read actions: a client's devices, one device, a client's active alerts, the automations. */
export function levelReadActions(deps: LevelActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'levelio.devices.find',
      label: "Find a client's Level devices",
      description: "Devices in the Level groups mapped to the client (and their subgroups), by hostname or nickname and online state.",
      sideEffectful: false,
      clientScoped: true,
      input: levelDevicesFindInput,
      output: levelDevicesFindOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const { devices, truncated } = await clientDevices(ctx, api, call, input.clientId);
        const paths = await pathsFor(api, call);
        // Level's API has no text search on devices (vendor-apis.md §6), so the text is matched here.
        const query = input.query?.toLowerCase();
        const found = devices
          .filter((d) => !query || `${d.hostname ?? ''} ${d.nickname ?? ''}`.toLowerCase().includes(query))
          .filter((d) => input.online === undefined || d.online === input.online)
          .map((d) => deviceView(d, paths))
          .sort((a, b) => (a.hostname ?? '').localeCompare(b.hostname ?? '') || a.id.localeCompare(b.id));
        return { output: { devices: found.slice(0, input.limit), truncated: truncated || found.length > input.limit } };
      },
    }),

    defineAction({
      id: 'levelio.devices.get',
      label: 'Read a Level device',
      description: 'One device: hostname, group, platform, online state and when it was last seen.',
      sideEffectful: false,
      clientScoped: false,
      input: levelDevicesGetInput,
      output: levelDevicesGetOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const device = await guarded({ doing: 'read the device', write: false, notFound: `Level has no device ${input.deviceId}` }, () => api.device(call, input.deviceId));
        return { output: { device: deviceView(device, await pathsFor(api, call)) } };
      },
    }),

    defineAction({
      id: 'levelio.alerts.list_active',
      label: "A client's active Level alerts",
      description: "Active alerts on the devices of the client's mapped Level groups, most severe first.",
      sideEffectful: false,
      clientScoped: true,
      input: levelAlertsListActiveInput,
      output: levelAlertsListActiveOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const { devices, truncated: devicesTruncated } = await clientDevices(ctx, api, call, input.clientId);
        const ids = new Set(devices.map((d) => d.id));
        // Alerts filter by device, not by group [M: ALGA]: one walk of the active ones, matched to the client's devices.
        const listed = await guarded({ doing: 'list alerts', write: false }, () => api.alerts(call, { status: 'active' }, maxAlerts));
        const alerts = listed.items
          .map(alertView)
          .filter((a) => !a.resolved && a.deviceId !== null && ids.has(a.deviceId))
          .filter((a) => !input.severity || a.severity === input.severity)
          .sort(worstFirst);
        return { output: { alerts: alerts.slice(0, input.limit), truncated: devicesTruncated || listed.truncated || alerts.length > input.limit } };
      },
    }),

    defineAction({
      id: 'levelio.automations.list',
      label: 'List Level automations',
      description: 'Every automation, and whether it has the webhook trigger Level needs to start it from here.',
      sideEffectful: false,
      clientScoped: false,
      input: levelAutomationsListInput,
      output: levelAutomationsListOutput,
      async run(ctx) {
        const call = openRun(ctx, deps);
        const automations = await guarded({ doing: 'list automations', write: false }, () => api.automations(call, maxAutomations));
        const webhooks = await guarded({ doing: 'list webhook triggers', write: false }, () => api.webhooks(call, maxAutomations));
        return {
          output: {
            automations: automations.items.map((a) => {
              const hook = webhookFor(webhooks.items, a.id);
              return { id: a.id, name: a.name?.trim() || `Automation ${a.id}`, hasWebhookTrigger: hook !== undefined, webhookRequiresAuthorization: hook?.requires_authorization === true };
            }),
            truncated: automations.truncated,
          },
        };
      },
    }),
  ];
}
