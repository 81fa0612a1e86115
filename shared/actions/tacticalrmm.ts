import { z } from 'zod';

/**
 * Inputs and outputs of Tactical RMM's actions. Paths and bodies: vendor-apis.md §4 (the
 * product's own source). Agent ids are TRMM's `agent_id` strings; clients are ours (mapped to
 * TRMM clients by id).
 */

const clientId = z.coerce.number('Client id must be a number').int().positive('Client id must be a positive number');
/**
 * TRMM agent ids are generated tokens of 40 letters today; older agents may carry other
 * punctuation, so only what could break out of the URL path segment is refused (it is encoded
 * anyway).
 */
const agentId = z
  .string('Agent id must be text')
  .trim()
  .regex(/^[A-Za-z0-9._|-]{1,200}$/, 'Agent id is the agent_id Tactical RMM shows for the agent (letters and digits)');
const timeoutSeconds = z.coerce.number('Timeout must be a number').int().min(5, 'The timeout is at least 5 seconds').max(3600, 'The timeout is at most 3,600 seconds').default(30);

export const tacticalAgentSchema = z.object({
  agentId: z.string(),
  hostname: z.string(),
  clientName: z.string().nullable(),
  siteName: z.string().nullable(),
  /** online, offline or overdue. */
  status: z.string().nullable(),
  lastSeen: z.string().nullable(),
  operatingSystem: z.string().nullable(),
  platform: z.string().nullable(),
  publicIp: z.string().nullable(),
  needsReboot: z.boolean().nullable(),
  description: z.string().nullable(),
});
export type TacticalAgentSummary = z.infer<typeof tacticalAgentSchema>;

/** `tacticalrmm.agents.find`: the agents of the client's mapped TRMM clients (`GET /agents/?client=<id>`). */
export const tacticalAgentsFindInput = z.strictObject({
  clientId,
  /** Part of the host name or description. */
  query: z.string('Search text must be text').trim().max(200, 'Search text must be at most 200 characters').optional(),
  status: z.enum(['online', 'offline', 'overdue'], 'Status is online, offline or overdue').optional(),
  limit: z.coerce.number('Limit must be a number').int().min(1, 'Limit is at least 1').max(500, 'Limit is at most 500').default(100),
});
export const tacticalAgentsFindOutput = z.object({ agents: z.array(tacticalAgentSchema), truncated: z.boolean() });

/** `tacticalrmm.agents.get`: one agent (`GET /agents/{agent_id}/`). */
export const tacticalAgentsGetInput = z.strictObject({ agentId });
export const tacticalAgentsGetOutput = z.object({
  agent: tacticalAgentSchema.extend({ agentVersion: z.string().nullable(), loggedInUser: z.string().nullable(), serialNumber: z.string().nullable() }),
});

export const tacticalScriptSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  shell: z.string().nullable(),
  category: z.string().nullable(),
  description: z.string().nullable(),
  defaultTimeout: z.number().nullable(),
  args: z.array(z.string()),
});
/** `tacticalrmm.scripts.list`: the script library (`GET /scripts/`), optionally narrowed by text. */
export const tacticalScriptsListInput = z.strictObject({
  query: z.string('Search text must be text').trim().max(200, 'Search text must be at most 200 characters').optional(),
});
export const tacticalScriptsListOutput = z.object({ scripts: z.array(tacticalScriptSchema) });

/** `tacticalrmm.alerts.list`: active alerts (`PATCH /alerts/` unresolved and not snoozed). */
export const tacticalAlertsListInput = z.strictObject({
  severity: z.enum(['error', 'warning', 'info'], 'Severity is error, warning or info').optional(),
});
export const tacticalAlertsListOutput = z.object({
  alerts: z.array(
    z.object({
      id: z.number().int(),
      alertType: z.string().nullable(),
      severity: z.string().nullable(),
      message: z.string().nullable(),
      hostname: z.string().nullable(),
      clientName: z.string().nullable(),
      siteName: z.string().nullable(),
      alertTime: z.string().nullable(),
    }),
  ),
});

/** What the side-effectful actions share: the agent and, optionally, the client it must belong to. */
const onAgent = {
  /** With a client, the agent must belong to one of its mapped TRMM clients. */
  clientId: clientId.optional(),
  agentId,
};

/** `tacticalrmm.agents.run_script` (side-effectful): `POST /agents/{agent_id}/runscript/`, waiting for the output. */
export const tacticalRunScriptInput = z.strictObject({
  ...onAgent,
  scriptId: z.coerce.number('Script id must be a number').int().positive('Script id is the number of a script in the library'),
  args: z.array(z.string('Each argument is text').max(1000, 'An argument is at most 1,000 characters'), 'Arguments are a list').max(50, 'At most 50 arguments').default([]),
  /** `NAME=value` lines, as TRMM's script runner takes them. */
  envVars: z
    .array(z.string('Each variable is text').regex(/^[A-Za-z_][A-Za-z0-9_]*=.*$/, 'Environment variables are written NAME=value'), 'Environment variables are a list')
    .max(50, 'At most 50 variables')
    .default([]),
  timeoutSeconds,
  runAsUser: z.boolean('Run as user is true or false').default(false),
});
export const tacticalRunScriptOutput = z.object({ agentId: z.string(), hostname: z.string(), scriptId: z.number().int(), output: z.string() });

/** `tacticalrmm.agents.run_command` (side-effectful): `POST /agents/{agent_id}/cmd/`. */
export const tacticalRunCommandInput = z.strictObject({
  ...onAgent,
  command: z.string('Command must be text').trim().min(1, 'Write the command').max(10_000, 'The command is at most 10,000 characters'),
  shell: z.enum(['powershell', 'cmd', '/bin/bash'], 'Shell is powershell, cmd or /bin/bash').default('powershell'),
  timeoutSeconds,
  runAsUser: z.boolean('Run as user is true or false').default(false),
});
export const tacticalRunCommandOutput = z.object({ agentId: z.string(), hostname: z.string(), output: z.string() });

/** `tacticalrmm.agents.reboot` (side-effectful): `POST /agents/{agent_id}/reboot/`, now. */
export const tacticalRebootInput = z.strictObject(onAgent);
export const tacticalRebootOutput = z.object({ agentId: z.string(), hostname: z.string(), message: z.string() });
