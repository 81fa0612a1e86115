import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { captureLogs } from '../../../test/logCapture.js';
import type { ActionDefinition } from '../../actions.js';
import { withInteraction, type InteractionEntry, type InteractionScope } from '../../http/interactionScope.js';
import { loadConfig } from '../../../config.js';
import { actionContext, type MappedOrganization } from '../../test/actionContext.js';
import { startFakeLevel, type FakeLevel } from '../fakeServer.js';
import { createLevelPlugin, type LevelPlugin } from '../index.js';
import { readOnlyKeyMessage } from '../settings.js';

const logs = captureLogs('trace');
const rwKey = 'lvl_actions_rw_key_0001';
const roKey = 'lvl_actions_ro_key_0001';
const hookToken = 'whk_spooler_5f1c2a9b7e';
const securedToken = 'whk_secured_91ab33cd0f';
const hookHeader = 'Token level-hook-header-77';
let fake: FakeLevel;
let plugin: LevelPlugin;

// Client 1 (Contoso) maps to the Contoso group (with Seattle below it); client 2 to Fabrikam; client 3 to nothing.
const mappings: Record<number, MappedOrganization[]> = {
  1: [{ id: 'g-c', name: 'Contoso', clientName: 'Contoso Ltd' }],
  2: [{ id: 'g-f', name: 'Fabrikam', clientName: 'Fabrikam Legal' }],
  3: [],
};

beforeAll(async () => {
  fake = await startFakeLevel();
  plugin = createLevelPlugin({ actionTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});
beforeEach(() => {
  fake.addAccount({
    name: 'acme',
    keys: [{ key: rwKey }, { key: roKey, access: 'read_only' }],
    groups: [
      { id: 'g-s', name: 'Seattle', parentId: 'g-c' },
      { id: 'g-c', name: 'Contoso' },
      { id: 'g-f', name: 'Fabrikam' },
    ],
    devices: [
      { id: 'd1', hostname: 'CON-DC01', groupId: 'g-c', role: 'server' },
      { id: 'd2', hostname: 'CON-SEA-LT7', nickname: 'Reception laptop', groupId: 'g-s', online: false },
      { id: 'd3', hostname: 'FAB-FS01', groupId: 'g-f' },
    ],
    alerts: [
      { id: 'a1', deviceId: 'd1', name: 'Disk space low', severity: 'warning', startedHoursAgo: 3 },
      { id: 'a2', deviceId: 'd2', name: 'Antivirus disabled', severity: 'critical', startedHoursAgo: 1 },
      { id: 'a3', deviceId: 'd3', name: 'Backup failed', severity: 'emergency' },
      { id: 'a4', deviceId: 'd1', name: 'Reboot pending', resolved: true },
    ],
    automations: [
      { id: 'au1', name: 'Restart print spooler', webhook: { token: hookToken } },
      { id: 'au2', name: 'Patch now' },
      { id: 'au3', name: 'Collect logs', webhook: { token: securedToken, authorization: hookHeader } },
      // A token that could not stay in its path segment.
      { id: 'au4', name: 'Odd token', webhook: { token: 'bad/../token' } },
    ],
  });
  fake.resetCounts();
  fake.resetFaults();
});

function action(id: string): ActionDefinition<unknown, unknown> {
  const found = plugin.actions?.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found as ActionDefinition<unknown, unknown>;
}

const rw = { api_key: rwKey, key_access: 'read_write' };

/** Runs an action as the service would: input through its schema, output checked against its schema. */
async function run(id: string, input: Record<string, unknown>, settings: Record<string, string> = rw) {
  const definition = action(id);
  const ctx = actionContext({ settings, log: logs.log, env: { LEVEL_BASE_URL: fake.baseUrl }, mappings });
  const outcome = await definition.run(ctx, definition.input.parse(input));
  return { ...outcome, output: definition.output.parse(outcome.output) as Record<string, unknown> };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const availability = (id: string, settings: Record<string, string>) =>
  action(id).availability?.({ partnerId: 2, settings, config: loadConfig({}), hasPublicBaseUrl: false }) ?? null;

describe('levelio.devices.find / devices.get', () => {
  it("lists the devices of the client's groups and their subgroups, with the group's path; text and online filter", async () => {
    const { output } = await run('levelio.devices.find', { clientId: 1 });
    expect((output.devices as { id: string; groupPath: string }[]).map((d) => [d.id, d.groupPath])).toEqual([
      ['d1', 'Contoso'],
      ['d2', 'Contoso / Seattle'],
    ]);
    expect(output.truncated).toBe(false);
    expect(fake.requestCount({ path: '/v2/devices' })).toBe(1);
    const byText = await run('levelio.devices.find', { clientId: 1, query: 'reception' });
    expect((byText.output.devices as { id: string }[]).map((d) => d.id)).toEqual(['d2']);
    const online = await run('levelio.devices.find', { clientId: 1, online: true, limit: 1 });
    expect(online.output).toMatchObject({ devices: [{ id: 'd1', hostname: 'CON-DC01', role: 'server', online: true }], truncated: false });
  });

  it('a client without a mapping is refused by the mapping lookup; a refused list names what Level refused', async () => {
    expect((await refusal(run('levelio.devices.find', { clientId: 3 }))).code).toBe('CONFLICT');
    fake.setFaults({ missingPermissions: ['devices'] }, 'acme');
    const refused = await refusal(run('levelio.devices.find', { clientId: 1 }));
    expect([refused.code, refused.message]).toEqual(['VENDOR_ERROR', 'Level refused to list devices (HTTP 403). Level says: Forbidden.']);
  });

  it('reads one device; an unknown one is NOT_FOUND; an id that is not Level-shaped never reaches Level', async () => {
    const { output } = await run('levelio.devices.get', { deviceId: 'd2' });
    expect(output.device).toMatchObject({ id: 'd2', hostname: 'CON-SEA-LT7', nickname: 'Reception laptop', groupPath: 'Contoso / Seattle', online: false, serialNumber: 'SN-D2' });
    const missing = await refusal(run('levelio.devices.get', { deviceId: 'nope' }));
    expect([missing.code, missing.message]).toEqual(['NOT_FOUND', 'Level has no device nope']);
    expect(action('levelio.devices.get').input.safeParse({ deviceId: '../alerts' }).success).toBe(false);
  });
});

describe('levelio.alerts.list_active', () => {
  it("the client's active alerts only, most severe first", async () => {
    const { output } = await run('levelio.alerts.list_active', { clientId: 1 });
    expect((output.alerts as { id: string; severity: string; deviceHostname: string }[]).map((a) => [a.id, a.severity, a.deviceHostname])).toEqual([
      ['a2', 'critical', 'CON-SEA-LT7'],
      ['a1', 'warning', 'CON-DC01'],
    ]);
    const warnings = await run('levelio.alerts.list_active', { clientId: 1, severity: 'warning' });
    expect((warnings.output.alerts as { id: string }[]).map((a) => a.id)).toEqual(['a1']);
  });

  it('a rejected key says so', async () => {
    const refused = await refusal(run('levelio.alerts.list_active', { clientId: 1 }, { api_key: 'lvl_wrong_key_000001', key_access: 'read_only' }));
    expect([refused.code, refused.message]).toEqual(['VENDOR_ERROR', "Level rejected the API key while trying to list devices; check the key in the integration's settings."]);
  });
});

describe('levelio.automations.list', () => {
  it('names each automation and whether it has a webhook trigger, never the token', async () => {
    const { output } = await run('levelio.automations.list', {});
    expect(output.automations).toEqual([
      { id: 'au1', name: 'Restart print spooler', hasWebhookTrigger: true, webhookRequiresAuthorization: false },
      { id: 'au2', name: 'Patch now', hasWebhookTrigger: false, webhookRequiresAuthorization: false },
      { id: 'au3', name: 'Collect logs', hasWebhookTrigger: true, webhookRequiresAuthorization: true },
      { id: 'au4', name: 'Odd token', hasWebhookTrigger: true, webhookRequiresAuthorization: false },
    ]);
    expect(JSON.stringify(output)).not.toContain('whk_');
  });
});

describe('levelio.alerts.resolve', () => {
  it('is unavailable with a Read-only key, saying why; available with Read & write', async () => {
    expect(await availability('levelio.alerts.resolve', { api_key: roKey, key_access: 'read_only' })).toEqual({ code: 'not_permitted', message: readOnlyKeyMessage });
    expect(await availability('levelio.alerts.resolve', rw)).toBeNull();
    expect(await availability('levelio.automations.trigger', { api_key: roKey, key_access: 'read_only' })).toEqual({ code: 'not_permitted', message: readOnlyKeyMessage });
  });

  it('resolves the alert at Level', async () => {
    const { output } = await run('levelio.alerts.resolve', { alertId: 'a1' });
    expect(output).toMatchObject({ alertId: 'a1', resolved: true, alert: { id: 'a1', name: 'Disk space low', resolved: true } });
    expect(fake.alert('acme', 'a1')?.is_resolved).toBe(true);
    expect(fake.writeCount({ route: 'resolve' })).toBe(1);
  });

  it('an unknown alert is NOT_FOUND; a key Level holds read-only (though set Read & write here) gets the read-only message', async () => {
    const missing = await refusal(run('levelio.alerts.resolve', { alertId: 'a404' }));
    expect([missing.code, missing.message]).toEqual(['NOT_FOUND', 'Level has no alert a404']);
    const refused = await refusal(run('levelio.alerts.resolve', { alertId: 'a1' }, { api_key: roKey, key_access: 'read_write' }));
    expect([refused.code, refused.message]).toEqual(['VENDOR_ERROR', readOnlyKeyMessage]);
    expect(fake.writeCount()).toBe(0);
  });
});

describe('levelio.automations.trigger', () => {
  it("runs the automation through its webhook on the client's devices; the token is in no output, log line or recorded path", async () => {
    const entries: InteractionEntry[] = [];
    const scope: InteractionScope = { partnerId: 2, integrationKey: 'levelio', kind: 'action', actionId: 'levelio.automations.trigger', userId: 1, recorder: { record: (_s, e) => entries.push(e) } };
    const { output } = await withInteraction(scope, () => run('levelio.automations.trigger', { automationId: 'au1', clientId: 1 }));
    expect(output).toEqual({ automationId: 'au1', automationName: 'Restart print spooler', deviceIds: ['d1', 'd2'], runId: 'run_1' });
    expect(fake.triggers('acme')).toEqual([{ automationId: 'au1', deviceIds: ['d1', 'd2'], runId: 'run_1' }]);
    const posted = entries.find((e) => e.method === 'POST');
    expect(posted?.path).toBe('/v2/automations/webhooks/[redacted]');
    expect(posted?.secrets).toContain(hookToken);
    expect(logs.text()).toContain('/v2/automations/webhooks/[redacted]');
    expect(logs.text()).not.toContain(hookToken);
    expect(logs.text()).not.toContain(rwKey);
  });

  it('chosen devices go as device_ids; without a client nothing is added', async () => {
    await run('levelio.automations.trigger', { automationId: 'au1', deviceIds: ['d3'] });
    expect(fake.triggers('acme').at(-1)).toMatchObject({ deviceIds: ['d3'] });
  });

  it('an automation without a webhook trigger: an actionable CONFLICT, nothing sent', async () => {
    const refused = await refusal(run('levelio.automations.trigger', { automationId: 'au2' }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain('add a webhook trigger to this automation in Level first');
    expect(fake.writeCount()).toBe(0);
  });

  it('a webhook trigger listed with a token that cannot go in a path: a vendor error, nothing sent', async () => {
    const refused = await refusal(run('levelio.automations.trigger', { automationId: 'au4' }));
    expect([refused.code, refused.message]).toEqual(['VENDOR_ERROR', 'Level listed the webhook trigger of "Odd token" without a token this integration can use; nothing was started.']);
    expect(fake.requestCount({ path: '/v2/automations/webhooks/bad/../token' }) + fake.writeCount()).toBe(0);
  });

  it("a device of another client: CONFLICT, nothing sent; an unknown automation: NOT_FOUND", async () => {
    const foreign = await refusal(run('levelio.automations.trigger', { automationId: 'au1', clientId: 1, deviceIds: ['d1', 'd3'] }));
    expect([foreign.code, foreign.message]).toEqual(['CONFLICT', 'Device d3 is not in a Level group mapped to Contoso Ltd; nothing was started.']);
    expect((await refusal(run('levelio.automations.trigger', { automationId: 'au9' }))).code).toBe('NOT_FOUND');
    expect(fake.writeCount()).toBe(0);
  });

  it('a trigger that requires an authorization header: asked for when missing, refused when wrong, sent when set', async () => {
    const missing = await refusal(run('levelio.automations.trigger', { automationId: 'au3' }));
    expect([missing.code, missing.message]).toEqual(['CONFLICT', 'The webhook trigger of "Collect logs" requires an authorization header: enter its value under "Webhook authorization header" in the Level settings. Nothing was started.']);
    const wrong = await refusal(run('levelio.automations.trigger', { automationId: 'au3' }, { ...rw, webhook_authorization: 'Token wrong-value-00' }));
    expect(wrong.message).toContain('Level refused the authorization header of the webhook trigger of "Collect logs"');
    const { output } = await run('levelio.automations.trigger', { automationId: 'au3' }, { ...rw, webhook_authorization: hookHeader });
    expect(output).toMatchObject({ automationId: 'au3', runId: 'run_1' });
    expect(fake.writeCount({ route: 'trigger' })).toBe(1);
    expect(logs.text()).not.toContain(hookHeader);
    expect(logs.text()).not.toContain(securedToken);
  });

  it('a 5xx from the webhook is not retried (the automation may have started) and stays a vendor error', async () => {
    fake.setFaults({ serverError: { times: 1, status: 500 }, paths: [`/v2/automations/webhooks/${hookToken}`] }, 'acme');
    const error = await run('levelio.automations.trigger', { automationId: 'au1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'VendorError', kind: 'server_error' });
    expect(JSON.stringify(error)).not.toContain(hookToken);
    expect(String((error as Error).message)).not.toContain(hookToken);
    expect(fake.requestCount({ path: `/v2/automations/webhooks/${hookToken}` })).toBe(1);
  });
});
