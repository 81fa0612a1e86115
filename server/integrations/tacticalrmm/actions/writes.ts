import { AppError } from '../../../../shared/errors.js';
import {
  tacticalRebootInput,
  tacticalRebootOutput,
  tacticalRunCommandInput,
  tacticalRunCommandOutput,
  tacticalRunScriptInput,
  tacticalRunScriptOutput,
} from '../../../../shared/actions/tacticalrmm.js';
import { defineAction, type ActionContext } from '../../actions.js';
import type { TacticalAgent, TacticalApi, TacticalCall } from '../client.js';
import { tacticalPermissions } from '../settings.js';
import { checkWait, guarded, openRun, outputText, type TacticalActionDeps } from './run.js';

/**
 * Reads the agent a write is about (a mistyped id is NOT_FOUND before anything runs) and, when
 * the caller names a client, makes sure the agent is one of that client's mapped TRMM clients'
 * agents: agent rows name their client, never its id, so membership is read from
 * `GET /agents/?client=<id>` of each mapped client. Nothing runs on a refusal.
 */
async function agentForWrite(ctx: ActionContext, call: TacticalCall, api: TacticalApi, agentId: string, clientId: number | undefined): Promise<TacticalAgent> {
  const mapped = clientId === undefined ? null : await ctx.mappedOrganizations(clientId);
  const agent = await guarded(call, { doing: 'read the agent', permission: tacticalPermissions.agents, agentId }, () => api.agent(call, agentId));
  if (!mapped) return agent;
  for (const org of mapped) {
    const agents = await guarded(call, { doing: 'list agents', permission: tacticalPermissions.agents }, () => api.agents(call, org.id));
    if (agents.some((a) => a.agent_id === agent.agent_id)) return agent;
  }
  const clientName = mapped[0]?.clientName ?? `client ${clientId}`;
  const belongsTo = agent.client_name ? `the Tactical RMM client "${agent.client_name}"` : 'another Tactical RMM client';
  throw new AppError('CONFLICT', `Agent ${agent.hostname} belongs to ${belongsTo}, which is not mapped to ${clientName}; nothing was run.`, { details: { agentId } });
}

/** Run a script, run a command, reboot: each changes an agent, each runs once per idempotency key (the action service). */
export function tacticalWriteActions(deps: TacticalActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'tacticalrmm.agents.run_script',
      label: 'Run a Tactical RMM script on an agent',
      description: "Runs a script of the library on the agent and waits for its output (up to the timeout). With a client, the agent must belong to one of its mapped clients.",
      sideEffectful: true,
      clientScoped: false,
      input: tacticalRunScriptInput,
      output: tacticalRunScriptOutput,
      async run(ctx, input) {
        const call = openRun(ctx, checkWait(ctx, input.timeoutSeconds) + deps.timeoutMs);
        const agent = await agentForWrite(ctx, call, api, input.agentId, input.clientId);
        // Every key is sent: a missing one is an unhandled error on TRMM's side [H: TRMM agents/views.py].
        const body = { script: input.scriptId, output: 'wait' as const, args: input.args, run_as_user: input.runAsUser, env_vars: input.envVars, timeout: input.timeoutSeconds };
        const answer = await guarded(call, { doing: 'run the script', permission: tacticalPermissions.runScripts, agentId: input.agentId }, () => api.runScript(call, input.agentId, body));
        // A waiting run whose agent did not answer in time is HTTP 200 with the body "timeout" (vendor-apis.md §4).
        if (answer === 'timeout') {
          throw new AppError('VENDOR_ERROR', `The script did not finish on ${agent.hostname} within ${input.timeoutSeconds} s (Tactical RMM answered "timeout"); it may still be running: check the agent's history before running it again.`);
        }
        return { output: { agentId: agent.agent_id, hostname: agent.hostname, scriptId: input.scriptId, output: outputText(answer) } };
      },
    }),

    defineAction({
      id: 'tacticalrmm.agents.run_command',
      label: 'Run a command on a Tactical RMM agent',
      description: 'Sends a command to the agent (PowerShell, cmd or bash) and waits for its output. With a client, the agent must belong to one of its mapped clients.',
      sideEffectful: true,
      clientScoped: false,
      input: tacticalRunCommandInput,
      output: tacticalRunCommandOutput,
      async run(ctx, input) {
        const call = openRun(ctx, checkWait(ctx, input.timeoutSeconds) + deps.timeoutMs);
        const agent = await agentForWrite(ctx, call, api, input.agentId, input.clientId);
        const body = { cmd: input.command, shell: input.shell, timeout: input.timeoutSeconds, run_as_user: input.runAsUser };
        const answer = await guarded(call, { doing: 'send the command', permission: tacticalPermissions.sendCommand, agentId: input.agentId }, () => api.command(call, input.agentId, body));
        // TRMM answers 200 "natsdown" when its messaging service is down: nothing reached the agent (vendor-apis.md §4).
        if (answer === 'natsdown') {
          throw new AppError('VENDOR_ERROR', `Tactical RMM could not pass the command to ${agent.hostname}: its messaging service (NATS) is down. Nothing ran; try again once the server is healthy.`);
        }
        return { output: { agentId: agent.agent_id, hostname: agent.hostname, output: outputText(answer) } };
      },
    }),

    defineAction({
      id: 'tacticalrmm.agents.reboot',
      label: 'Reboot a Tactical RMM agent',
      description: 'Restarts the computer now. With a client, the agent must belong to one of its mapped clients.',
      sideEffectful: true,
      clientScoped: false,
      input: tacticalRebootInput,
      output: tacticalRebootOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps.timeoutMs);
        const agent = await agentForWrite(ctx, call, api, input.agentId, input.clientId);
        const answer = await guarded(call, { doing: 'reboot the agent', permission: tacticalPermissions.reboot, agentId: input.agentId }, () => api.reboot(call, input.agentId));
        if (answer !== 'ok') throw new AppError('VENDOR_ERROR', `Tactical RMM did not confirm the reboot of ${agent.hostname} (it answered ${JSON.stringify(answer).slice(0, 100)}).`);
        return { output: { agentId: agent.agent_id, hostname: agent.hostname, message: `${agent.hostname} is rebooting` } };
      },
    }),
  ];
}
