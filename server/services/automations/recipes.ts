import type { Recipe } from '../../../shared/automations.js';
import { AppError } from '../../../shared/errors.js';
import type { AppDeps } from '../../deps.js';
import type { Principal } from '../principal.js';
import { createAutomation } from './automations.js';

/**
 * Ready automations a partner admin adds in two clicks (pick, add) and then adjusts: they are
 * added DISABLED, because their placeholders (client 1, ticket 1, the Teams channel) are this
 * partner's to fill in. Each one passes the save-time type check as shipped (recipes.test.ts).
 */
export const recipes: Recipe[] = [
  {
    id: 'backup-failure',
    name: 'Backup failure → Syncro comment + Teams post',
    description:
      'When MSP360 turns Degraded or Error: read the client backup summary, add it as a private comment on the client Syncro ticket, and post to the service-desk Teams channel. If MSP360 is in Error its summary cannot be read: the comment and the post still go out, with what MSP360 said.',
    integrations: ['msp360', 'syncro', 'teams'],
    definition: {
      name: 'Backup failure: Syncro comment + Teams post',
      trigger: { kind: 'health', integrationKey: 'msp360', on: ['degraded', 'error'] },
      concurrency: 1,
      steps: [
        // An MSP360 in Error cannot be read (the action framework refuses it): carry on without the summary.
        { name: 'summary', actionId: 'msp360.reports.backup_summary', input: { clientId: 1 }, onFailure: { mode: 'continue' } },
        {
          name: 'comment',
          actionId: 'syncro.tickets.comment',
          input: {
            clientId: 1,
            ticketId: '1',
            subject: 'Backup failure',
            hidden: true,
            body: '{{steps.summary.status = "succeeded" ? "Backups of " & steps.summary.output.clientName & ": " & $string(steps.summary.output.totals.failures) & " of " & $string(steps.summary.output.totals.jobs) & " jobs failed (" & steps.summary.output.from & " to " & steps.summary.output.to & ")." : "The MSP360 backup summary could not be read."}} MSP360 ({{trigger.health}}): {{trigger.message}}',
          },
          onFailure: { mode: 'continue' },
        },
        {
          name: 'teams',
          actionId: 'teams.messages.post_to_channel',
          input: {
            channelId: '19:service-desk@thread.tacv2',
            text: 'Backup failure{{steps.summary.status = "succeeded" ? " at " & steps.summary.output.clientName & ": " & $string(steps.summary.output.totals.failures) & " failed jobs" : ""}}. MSP360 ({{trigger.health}}): {{trigger.message}}',
          },
          onFailure: { mode: 'stop' },
        },
      ],
    },
  },
  {
    id: 'disk-full',
    name: 'Self-healing disk full (Tactical RMM)',
    description: 'When a Tactical RMM disk-space alert arrives: run the cleanup script on that agent and add its output to the client ticket in Syncro.',
    integrations: ['tacticalrmm', 'syncro'],
    definition: {
      name: 'Disk full: clean up and note the ticket',
      trigger: { kind: 'inbound', integrationKey: 'tacticalrmm' },
      concurrency: 1,
      steps: [
        {
          name: 'cleanup',
          actionId: 'tacticalrmm.agents.run_script',
          condition: '$contains($lowercase($string(trigger.payload.alert_type)), "disk")',
          input: { agentId: '{{$string(trigger.payload.agent_id)}}', scriptId: 1, args: [] },
          onFailure: { mode: 'retry', times: 1, backoffSeconds: 60 },
        },
        {
          name: 'note',
          actionId: 'syncro.tickets.comment',
          condition: 'steps.cleanup.status = "succeeded"',
          input: { ticketId: '1', hidden: true, subject: 'Disk cleanup', body: 'Cleanup ran on {{steps.cleanup.output.hostname}}:\n{{steps.cleanup.output.output}}' },
          onFailure: { mode: 'stop' },
        },
      ],
    },
  },
  {
    id: 'huntress-incident',
    name: 'Huntress incident → ticket note → resolve on close',
    description: 'When Huntress reports an incident: read it, note it on the client Syncro ticket, and resolve it at Huntress once the report says it is closed.',
    integrations: ['huntress', 'syncro'],
    definition: {
      name: 'Huntress incident: note and resolve',
      trigger: { kind: 'inbound', integrationKey: 'huntress' },
      concurrency: 1,
      steps: [
        { name: 'incident', actionId: 'huntress.incidents.get', input: { incidentId: '{{$string(trigger.payload.incident_report.id)}}' }, onFailure: { mode: 'stop' } },
        {
          name: 'note',
          actionId: 'syncro.tickets.comment',
          input: { ticketId: '1', hidden: true, subject: 'Huntress incident', body: 'Huntress incident {{steps.incident.output.incident.id}} ({{steps.incident.output.incident.severity}}): {{steps.incident.output.incident.status}}' },
          onFailure: { mode: 'continue' },
        },
        {
          name: 'resolve',
          actionId: 'huntress.incidents.resolve',
          condition: 'steps.incident.output.incident.status = "closed"',
          input: { incidentId: '{{steps.incident.output.incident.id}}' },
          onFailure: { mode: 'stop' },
        },
      ],
    },
  },
];

/** Adds a recipe as a disabled automation of the caller's partner (then adjusted in the editor). */
export async function addRecipe(deps: AppDeps, principal: Principal, recipeId: string) {
  const recipe = recipes.find((r) => r.id === recipeId);
  if (!recipe) throw new AppError('NOT_FOUND', 'There is no recipe with this id');
  return createAutomation(deps, principal, { ...recipe.definition, enabled: false });
}
