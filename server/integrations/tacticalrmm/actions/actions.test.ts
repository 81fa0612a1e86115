import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { captureLogs } from '../../../test/logCapture.js';
import type { ActionDefinition } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import { actionContext, type MappedOrganization } from '../../test/actionContext.js';
import { startFakeTactical, type FakeTactical, type TacticalAccountView } from '../fakeServer.js';
import { createTacticalPlugin } from '../index.js';

const logs = captureLogs('info');
const goodKey = 'ACTIONSGOODKEY0123456789ABCDEFGH';
let fake: FakeTactical;
let acct: TacticalAccountView;
const plugin = createTacticalPlugin({ actionTimeoutMs: 3_000, http: { rateLimit: { perMinute: 6_000, burst: 100 }, requestTimeoutMs: 1_000, retry: { baseDelayMs: 20, maxDelayMs: 50 } } });
const env = { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' };

function action(id: string): ActionDefinition {
  const found = plugin.actions?.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found as ActionDefinition;
}
/** Our client 7 maps to the first TRMM client; client 8 to the second. */
function mappings(): Record<number, MappedOrganization[]> {
  const [first, second] = acct.clients;
  return {
    7: [{ id: String(first?.id), name: String(first?.name), clientName: 'Harbor Dental Group' }],
    8: [{ id: String(second?.id), name: String(second?.name), clientName: 'Bluewave Logistics' }],
  };
}
async function run(id: string, input: Record<string, unknown>, key = goodKey) {
  const def = action(id);
  const parsed = def.input.parse(input);
  const ctx = actionContext({ settings: { api_url: fake.baseUrl, api_key: key }, log: logs.log, env, mappings: mappings() });
  const outcome = await def.run(ctx, parsed);
  return def.output.parse(outcome.output) as Record<string, unknown>;
}
async function failure(promise: Promise<unknown>): Promise<AppError | VendorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError) && !(error instanceof VendorError)) throw new Error(`expected a failure, got ${String(error)}`);
  return error;
}
const agentOf = (client: number, n = 0) => acct.agents.filter((a) => a.client === acct.clients[client]?.id)[n]!;

beforeAll(async () => {
  fake = await startFakeTactical();
  acct = fake.addAccount({
    key: goodKey,
    clients: [{ name: 'Harbor Dental Group', sites: ['Main', 'Annex'] }, { name: 'Bluewave Logistics', sites: ['Depot'] }],
    agentsPerSite: 2,
    offlineEvery: 2,
    alerts: [
      { agentIndex: 0, severity: 'error', message: 'Disk C: below 5%' },
      { agentIndex: 1, severity: 'warning', message: 'Agent overdue', resolved: true },
      { agentIndex: 2, severity: 'warning', message: 'Service stopped', snoozed: true },
      { agentIndex: 4, severity: 'info', message: 'Reboot pending' },
    ],
  });
});
afterEach(() => {
  fake.resetFaults();
  fake.resetCounts();
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Tactical RMM read actions', () => {
  it('agents.find: the mapped client\'s agents via ?client=<id>, with names, filtered by text and status', async () => {
    const all = await run('tacticalrmm.agents.find', { clientId: 7 });
    expect((all.agents as unknown[]).length).toBe(4);
    expect(all.agents).toContainEqual(expect.objectContaining({ agentId: agentOf(0).agent_id, clientName: 'Harbor Dental Group', siteName: 'Main', status: 'online' }));
    const online = await run('tacticalrmm.agents.find', { clientId: 7, status: 'offline', query: 'annex' });
    expect(online.agents).toEqual([expect.objectContaining({ hostname: 'HARBORDENTAL-ANNEX-02', status: 'offline' })]);
    expect(fake.requestCount({ path: '/agents/' })).toBe(2);
  });

  it('agents.find: a client without a mapping is refused before any call', async () => {
    await expect(run('tacticalrmm.agents.find', { clientId: 99 })).rejects.toThrow(/not found/);
    expect(fake.requestCount()).toBe(0);
  });

  it('agents.get: one agent; an unknown id is NOT_FOUND', async () => {
    const got = await run('tacticalrmm.agents.get', { agentId: agentOf(1).agent_id });
    expect(got.agent).toMatchObject({ hostname: agentOf(1).hostname, clientName: 'Bluewave Logistics', loggedInUser: 'jdoe', agentVersion: '2.8.0' });
    const missing = await failure(run('tacticalrmm.agents.get', { agentId: 'NoSuchAgent' }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Tactical RMM has no agent NoSuchAgent' });
  });

  it('scripts.list: the library, narrowed by text; a role without "List Scripts" is named', async () => {
    const listed = await run('tacticalrmm.scripts.list', { query: 'dns' });
    expect(listed.scripts).toEqual([expect.objectContaining({ name: 'Clear DNS cache', shell: 'powershell', category: 'Network', defaultTimeout: 90, args: [] })]);
    fake.setFaults({ missingPermissions: ['can_list_scripts'] }, goodKey);
    const refused = await failure(run('tacticalrmm.scripts.list', {}));
    expect(refused.message).toBe(
      'Tactical RMM refused to list scripts (HTTP 403). Tactical RMM says: You do not have permission to perform this action. The API key\'s user needs the role permission "List Scripts" (Settings › Permissions Manager), and access to the agent\'s client.',
    );
  });

  it('alerts.list: active only (PATCH /alerts/ resolvedFilter and snoozedFilter false)', async () => {
    const active = await run('tacticalrmm.alerts.list', {});
    expect((active.alerts as { message: string }[]).map((a) => a.message).sort()).toEqual(['Disk C: below 5%', 'Reboot pending']);
    const errors = await run('tacticalrmm.alerts.list', { severity: 'error' });
    expect(errors.alerts).toEqual([expect.objectContaining({ message: 'Disk C: below 5%', clientName: 'Harbor Dental Group' })]);
  });

  it('the dashboard address in an action: the same clear message', async () => {
    fake.setModes({ dashboard: true });
    const error = await failure(run('tacticalrmm.scripts.list', {}));
    expect(error.message).toMatch(/^This is the dashboard address, not the API address/);
  });
});

describe('Tactical RMM side-effectful actions', () => {
  it('all three are declared side-effectful', () => {
    expect(plugin.actions?.filter((a) => a.sideEffectful).map((a) => a.id).sort()).toEqual(['tacticalrmm.agents.reboot', 'tacticalrmm.agents.run_command', 'tacticalrmm.agents.run_script']);
  });

  it('run_script: every body key sent, output "wait", the output returned', async () => {
    const agent = agentOf(0);
    const result = await run('tacticalrmm.agents.run_script', { clientId: 7, agentId: agent.agent_id, scriptId: acct.scripts[1]?.id, args: ['-Drive C:'], timeoutSeconds: 20 });
    expect(result).toEqual({ agentId: agent.agent_id, hostname: agent.hostname, scriptId: acct.scripts[1]?.id, output: `Disk cleanup -Drive C:: completed on ${agent.hostname}\nexit code 0` });
    expect(fake.writes()).toEqual([{ path: '/agents/{agent_id}/runscript/', key: goodKey, body: { script: acct.scripts[1]?.id, output: 'wait', args: ['-Drive C:'], run_as_user: false, env_vars: [], timeout: 20 } }]);
  });

  it('run_script: a 200 "timeout" is a failure that says the script may still run', async () => {
    fake.setModes({ scriptTimeout: true });
    const error = await failure(run('tacticalrmm.agents.run_script', { agentId: agentOf(0).agent_id, scriptId: acct.scripts[0]?.id }));
    expect(error).toMatchObject({ code: 'VENDOR_ERROR' });
    expect(error.message).toMatch(/did not finish on .* within 30 s \(Tactical RMM answered "timeout"\)/);
  });

  it('run_script: a timeout longer than ACTION_TIMEOUT allows is a field error, nothing sent', async () => {
    const error = await failure(run('tacticalrmm.agents.run_script', { agentId: agentOf(0).agent_id, scriptId: 1, timeoutSeconds: 600 }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { 'input.timeoutSeconds': ['At most 52 seconds on this server (ACTION_TIMEOUT)'] } });
    expect(fake.writes()).toEqual([]);
  });

  it('an agent of another client is refused when a client is named; nothing runs', async () => {
    const error = await failure(run('tacticalrmm.agents.run_command', { clientId: 7, agentId: agentOf(1).agent_id, command: 'hostname' }));
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(error.message).toBe(`Agent ${agentOf(1).hostname} belongs to the Tactical RMM client "Bluewave Logistics", which is not mapped to Harbor Dental Group; nothing was run.`);
    expect(fake.writes()).toEqual([]);
  });

  it('run_command: the output; "natsdown" (200) and "Unable to contact the agent" (400) are failures', async () => {
    const online = agentOf(0);
    await expect(run('tacticalrmm.agents.run_command', { clientId: 7, agentId: online.agent_id, command: 'hostname', shell: 'cmd' })).resolves.toEqual({ agentId: online.agent_id, hostname: online.hostname, output: online.hostname });
    expect(fake.writes()[0]?.body).toEqual({ cmd: 'hostname', shell: 'cmd', timeout: 30, run_as_user: false });
    fake.setModes({ natsDown: true });
    const nats = await failure(run('tacticalrmm.agents.run_command', { agentId: online.agent_id, command: 'hostname' }));
    expect(nats.message).toMatch(/messaging service \(NATS\) is down\. Nothing ran/);
    fake.setModes({ natsDown: false });
    const offline = await failure(run('tacticalrmm.agents.run_command', { agentId: agentOf(0, 1).agent_id, command: 'hostname' }));
    expect(offline).toMatchObject({ code: 'VENDOR_ERROR', message: 'Tactical RMM could not send the command (HTTP 400). Tactical RMM says: Unable to contact the agent.' });
  });

  it('reboot: "ok"; a role without "Reboot Agents" is named', async () => {
    const agent = agentOf(1);
    await expect(run('tacticalrmm.agents.reboot', { clientId: 8, agentId: agent.agent_id })).resolves.toEqual({ agentId: agent.agent_id, hostname: agent.hostname, message: `${agent.hostname} is rebooting` });
    fake.setFaults({ missingPermissions: ['can_reboot_agents'] }, goodKey);
    const refused = await failure(run('tacticalrmm.agents.reboot', { agentId: agent.agent_id }));
    expect(refused.message).toMatch(/refused to reboot the agent \(HTTP 403\).*"Reboot Agents"/);
    expect(fake.requestCount({ path: '/agents/{agent_id}/reboot/' })).toBe(2);
  });

  it('a write that fails with a 5xx is not repeated by the client', async () => {
    fake.setFaults({ serverError: { times: 5, status: 500 }, paths: ['/agents/{agent_id}/reboot/'] }, goodKey);
    const error = await failure(run('tacticalrmm.agents.reboot', { agentId: agentOf(0).agent_id }));
    expect(error).toMatchObject({ kind: 'server_error' });
    expect(fake.requestCount({ path: '/agents/{agent_id}/reboot/' })).toBe(1);
  });
});
