import {
  tacticalAgentsFindInput,
  tacticalAgentsFindOutput,
  tacticalAgentsGetInput,
  tacticalAgentsGetOutput,
  tacticalAlertsListInput,
  tacticalAlertsListOutput,
  tacticalScriptsListInput,
  tacticalScriptsListOutput,
} from '../../../../shared/actions/tacticalrmm.js';
import { defineAction } from '../../actions.js';
import { tacticalPermissions } from '../settings.js';
import { agentSummary, guarded, openRun, type TacticalActionDeps } from './run.js';

const contains = (text: string | null | undefined, query: string) => (text ?? '').toLowerCase().includes(query.toLowerCase());

/** The read actions: a client's agents, one agent, the script library, active alerts. */
export function tacticalReadActions(deps: TacticalActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'tacticalrmm.agents.find',
      label: "Find a client's Tactical RMM agents",
      description: 'Agents of the Tactical RMM clients mapped to the client, by host name or description and status.',
      sideEffectful: false,
      clientScoped: true,
      input: tacticalAgentsFindInput,
      output: tacticalAgentsFindOutput,
      async run(ctx, input) {
        const mapped = await ctx.mappedOrganizations(input.clientId);
        const call = openRun(ctx, deps.timeoutMs);
        // Agent rows carry client *names*, never ids: one `?client=<id>` list per mapped client.
        const lists = [];
        for (const org of mapped) {
          lists.push(await guarded(call, { doing: 'list agents', permission: tacticalPermissions.agents }, () => api.agents(call, org.id)));
        }
        const query = input.query;
        const all = lists
          .flat()
          .filter((a) => !query || contains(a.hostname, query) || contains(a.description, query))
          .filter((a) => !input.status || a.status === input.status)
          .map(agentSummary)
          .sort((a, b) => a.hostname.localeCompare(b.hostname));
        return { output: { agents: all.slice(0, input.limit), truncated: all.length > input.limit } };
      },
    }),

    defineAction({
      id: 'tacticalrmm.agents.get',
      label: 'Read a Tactical RMM agent',
      description: 'One agent: its client and site, status, operating system and who is logged in.',
      sideEffectful: false,
      clientScoped: false,
      input: tacticalAgentsGetInput,
      output: tacticalAgentsGetOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps.timeoutMs);
        const agent = await guarded(call, { doing: 'read the agent', permission: tacticalPermissions.agents, agentId: input.agentId }, () => api.agent(call, input.agentId));
        const clientName = agent.client_name ?? (typeof agent.client === 'string' ? agent.client : null);
        return {
          output: {
            agent: {
              ...agentSummary({ ...agent, client_name: clientName }),
              agentVersion: agent.version ?? null,
              loggedInUser: agent.logged_in_username ?? null,
              serialNumber: agent.serial_number ?? null,
            },
          },
        };
      },
    }),

    defineAction({
      id: 'tacticalrmm.scripts.list',
      label: 'List Tactical RMM scripts',
      description: 'The script library (name, shell, category, default timeout and arguments), optionally narrowed by text.',
      sideEffectful: false,
      clientScoped: false,
      input: tacticalScriptsListInput,
      output: tacticalScriptsListOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps.timeoutMs);
        const scripts = await guarded(call, { doing: 'list scripts', permission: tacticalPermissions.scripts }, () => api.scripts(call));
        const query = input.query;
        return {
          output: {
            scripts: scripts
              .filter((s) => !query || contains(s.name, query) || contains(s.description, query) || contains(s.category, query))
              .map((s) => ({
                id: s.id,
                name: s.name,
                shell: s.shell ?? null,
                category: s.category ?? null,
                description: s.description ?? null,
                defaultTimeout: s.default_timeout ?? null,
                args: s.args ?? [],
              })),
          },
        };
      },
    }),

    defineAction({
      id: 'tacticalrmm.alerts.list',
      label: 'Active Tactical RMM alerts',
      description: 'Alerts that are neither resolved nor snoozed, optionally of one severity.',
      sideEffectful: false,
      clientScoped: false,
      input: tacticalAlertsListInput,
      output: tacticalAlertsListOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps.timeoutMs);
        const alerts = await guarded(call, { doing: 'list alerts', permission: tacticalPermissions.alerts }, () => api.activeAlerts(call));
        return {
          output: {
            alerts: alerts
              .filter((a) => !input.severity || a.severity === input.severity)
              .map((a) => ({
                id: a.id,
                alertType: a.alert_type ?? null,
                severity: a.severity ?? null,
                message: a.message ?? null,
                hostname: a.hostname ?? null,
                clientName: a.client ?? null,
                siteName: a.site ?? null,
                alertTime: a.alert_time ?? null,
              })),
          },
        };
      },
    }),
  ];
}
