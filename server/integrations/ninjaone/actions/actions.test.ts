import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { captureLogs } from '../../../test/logCapture.js';
import type { ActionDefinition, AvailabilityContext } from '../../actions.js';
import { actionContext, type MappedOrganization } from '../../test/actionContext.js';
import { pluginContext } from '../../test/pluginContext.js';
import { startFakeNinjaOne, type FakeNinjaDevice, type FakeNinjaOne } from '../fakeServer.js';
import { createNinjaOnePlugin, type NinjaOnePlugin } from '../index.js';

const logs = captureLogs();
let fake: FakeNinjaOne;
let plugin: NinjaOnePlugin;
let harbor: FakeNinjaDevice[];
let bluewave: FakeNinjaDevice[];
const manage = { instance: 'app', client_id: 'ops', client_secret: 'ops-secret', scopes: 'monitoring management' };
const monitorOnly = { ...manage, client_id: 'ro', client_secret: 'ro-secret', scopes: 'monitoring' };
const actionUid = 'b4a1f0c2-5d3e-4f6a-8b7c-9d0e1f2a3b4c';

// Client 1 maps to organization 1 (Harbor Dental); client 2 to organization 2 (Bluewave).
const mappings: Record<number, MappedOrganization[]> = {
  1: [{ id: '1', name: 'Harbor Dental', clientName: 'Harbor Dental' }],
  2: [{ id: '2', name: 'Bluewave Logistics', clientName: 'Bluewave' }],
};

beforeAll(async () => {
  fake = await startFakeNinjaOne();
  fake.addApp({ clientId: 'ops', clientSecret: 'ops-secret', scopes: ['monitoring', 'management'] });
  fake.addApp({ clientId: 'ro', clientSecret: 'ro-secret', scopes: ['monitoring'] });
  fake.addOrganizations(3, ['Harbor Dental', 'Bluewave Logistics']);
  harbor = fake.addDevices(1, [
    ...Array.from({ length: 130 }, (_, i) => ({ displayName: `HD-WS${String(i + 1).padStart(3, '0')}` })),
    { displayName: 'HD-FS01', nodeClass: 'WINDOWS_SERVER', offline: true },
  ]);
  bluewave = fake.addDevices(2, [{ displayName: 'BW-LAPTOP-7' }]);
  fake.addAlert({ deviceId: harbor.at(-1)?.id ?? 0, subject: 'Low disk space', sourceType: 'CONDITION_AGENT_DISK_FREE_SPACE', createTime: 1735689600 });
  fake.addAlert({ deviceId: bluewave[0]?.id ?? 0, subject: 'Agent offline', sourceType: 'AGENT_OFFLINE', createTime: 1735693200 });
  plugin = createNinjaOnePlugin({ actionTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});
beforeEach(() => {
  fake.resetCounts();
  fake.resetFaults();
});

function action(id: string): ActionDefinition<unknown, unknown> {
  const found = plugin.actions?.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found as ActionDefinition<unknown, unknown>;
}

async function run(id: string, input: Record<string, unknown>, settings: Record<string, string> = manage) {
  const definition = action(id);
  const ctx = actionContext({ settings, log: logs.log, env: { VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: fake.origin }, mappings, auth: plugin.auth });
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

describe('NinjaOne read actions', () => {
  it("devices.find: the client's organizations only, paging with after=<last device id>", async () => {
    const all = await run('ninjaone.devices.find', { clientId: 1, limit: 500 });
    const devices = all.output.devices as { id: string; displayName: string; organizationName: string }[];
    expect(devices).toHaveLength(131);
    expect(all.output.truncated).toBe(false);
    expect(devices.every((d) => d.organizationName === 'Harbor Dental')).toBe(true);
    expect(fake.requestCount({ path: '/v2/organization/1/devices' })).toBe(2);
    const found = await run('ninjaone.devices.find', { clientId: 1, query: 'fs01' });
    expect(found.output.devices).toEqual([expect.objectContaining({ displayName: 'HD-FS01', nodeClass: 'WINDOWS_SERVER', offline: true, organizationId: '1' })]);
    const capped = await run('ninjaone.devices.find', { clientId: 1, limit: 5 });
    expect([(capped.output.devices as unknown[]).length, capped.output.truncated]).toEqual([5, true]);
    expect(action('ninjaone.devices.find').clientScoped).toBe(true);
  });

  it('devices.get: the device with ISO times; an unknown one is NOT_FOUND', async () => {
    const id = String(bluewave[0]?.id);
    const { output } = await run('ninjaone.devices.get', { deviceId: id });
    expect(output.device).toMatchObject({ id, displayName: 'BW-LAPTOP-7', organizationId: '2', lastContact: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const missing = await refusal(run('ninjaone.devices.get', { deviceId: '99999' }));
    expect([missing.code, missing.message]).toEqual(['NOT_FOUND', 'NinjaOne has no device 99999 that this app may see']);
  });

  it('alerts.list: every active alert newest first, or one device', async () => {
    const { output } = await run('ninjaone.alerts.list', {});
    expect((output.alerts as { subject: string }[]).map((a) => a.subject)).toEqual(['Agent offline', 'Low disk space']);
    const one = await run('ninjaone.alerts.list', { deviceId: String(harbor.at(-1)?.id) });
    expect(one.output.alerts).toEqual([expect.objectContaining({ subject: 'Low disk space', sourceType: 'CONDITION_AGENT_DISK_FREE_SPACE', createdAt: '2025-01-01T00:00:00.000Z' })]);
  });

  it('devices.scripting_options: scripts, built-in actions and roles', async () => {
    const { output } = await run('ninjaone.devices.scripting_options', { deviceId: String(harbor[0]?.id) }, monitorOnly);
    expect(output.scripts).toEqual([expect.objectContaining({ type: 'SCRIPT', id: '41', uid: null }), expect.objectContaining({ type: 'ACTION', id: null, uid: actionUid })]);
    expect(output.credentialRoles).toContain('SR_LOCAL_ADMINISTRATOR');
  });
});

describe('ninjaone.devices.run_script', () => {
  it('a script by id: sends exactly {type, id, parameters, runAs} and takes 204 as accepted, once', async () => {
    const device = harbor[0] as FakeNinjaDevice;
    const { output } = await run('ninjaone.devices.run_script', { clientId: 1, deviceId: String(device.id), type: 'SCRIPT', id: 41, parameters: '-Days 7', runAs: 'system' });
    expect(output).toEqual({ accepted: true, deviceId: String(device.id), deviceName: 'HD-WS001', type: 'SCRIPT', scriptId: '41', actionUid: null });
    expect(fake.runsOf(device.id)).toEqual([{ type: 'SCRIPT', id: 41, parameters: '-Days 7', runAs: 'system' }]);
    expect(fake.scriptRuns()).toBe(1);
  });

  it('a built-in action by uid: sends {type: ACTION, uid}', async () => {
    const device = bluewave[0] as FakeNinjaDevice;
    await run('ninjaone.devices.run_script', { deviceId: String(device.id), type: 'ACTION', uid: actionUid });
    expect(fake.runsOf(device.id)).toEqual([{ type: 'ACTION', uid: actionUid }]);
  });

  it('refuses type/id mismatches in the input with field messages', () => {
    const input = action('ninjaone.devices.run_script').input;
    const issues = (value: Record<string, unknown>) => {
      const parsed = input.safeParse({ deviceId: '1', ...value });
      return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    expect(issues({ type: 'SCRIPT', uid: actionUid })).toEqual([
      ['id', 'A SCRIPT needs the script id (id)'],
      ['uid', 'A SCRIPT is chosen by id; uid is for built-in actions (type ACTION)'],
    ]);
    expect(issues({ type: 'ACTION', id: 41 })).toEqual([
      ['uid', 'An ACTION needs the built-in action uid'],
      ['id', 'An ACTION is chosen by uid; id is for custom scripts (type SCRIPT)'],
    ]);
    expect(issues({ type: 'ACTION', uid: 'not-a-uuid' })[0]?.[0]).toBe('uid');
    expect(issues({ type: 'SCRIPT', id: 41, runAs: 'root' })[0]?.[0]).toBe('runAs');
    expect(issues({ type: 'SCRIPT', id: 41 })).toEqual([]);
  });

  it("refuses a device of another client's organization before anything runs", async () => {
    const error = await refusal(run('ninjaone.devices.run_script', { clientId: 2, deviceId: String(harbor[0]?.id), type: 'SCRIPT', id: 41 }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('not mapped to Bluewave; nothing was run');
    expect(fake.scriptRuns()).toBe(0);
  });

  it('a script NinjaOne does not know for the device: VALIDATION_FAILED', async () => {
    const error = await refusal(run('ninjaone.devices.run_script', { deviceId: String(harbor[0]?.id), type: 'SCRIPT', id: 999 }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(fake.scriptRuns()).toBe(0);
  });

  it('is unavailable without the management scope, saying why; NinjaOne itself answers 403', async () => {
    const runScript = action('ninjaone.devices.run_script');
    const base = pluginContext({ settings: monitorOnly, log: logs.log });
    const judge = (settings: Record<string, string>) => runScript.availability?.({ partnerId: 2, settings, config: base.config, hasPublicBaseUrl: false } as AvailabilityContext);
    expect(await judge(monitorOnly)).toEqual({ code: 'not_permitted', message: expect.stringContaining('needs the management scope; this connection requests only monitoring') });
    expect(await judge(manage)).toBeNull();
    const error = await refusal(run('ninjaone.devices.run_script', { deviceId: String(harbor[0]?.id), type: 'SCRIPT', id: 41 }, monitorOnly));
    expect([error.code, error.message]).toEqual(['VENDOR_ERROR', expect.stringContaining('needs the management scope')]);
    expect(fake.scriptRuns()).toBe(0);
  });

  it('a token ended early: one new token, the run goes through exactly once', async () => {
    const device = harbor[1] as FakeNinjaDevice;
    fake.setTokenLifetime({ expireAfterSeconds: 0.2 });
    try {
      const definition = action('ninjaone.devices.run_script');
      const ctx = actionContext({ settings: manage, log: logs.log, env: { VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: fake.origin }, mappings, auth: plugin.auth });
      await ctx.oauth?.accessToken();
      await new Promise((r) => setTimeout(r, 250));
      await definition.run(ctx, definition.input.parse({ deviceId: String(device.id), type: 'SCRIPT', id: 41 }));
      expect([fake.tokenRequests(), fake.scriptRuns(device.id)]).toEqual([2, 1]);
    } finally {
      fake.setTokenLifetime({ expireAfterSeconds: null });
    }
  });

  it('a lasting 5xx on the run is not resent', async () => {
    fake.setFaults({ serverError: { times: 5, status: 500 }, paths: [`/v2/device/${harbor[2]?.id}/script/run`] }, 'ops');
    await expect(run('ninjaone.devices.run_script', { deviceId: String(harbor[2]?.id), type: 'SCRIPT', id: 41 })).rejects.toMatchObject({ kind: 'server_error' });
    expect(fake.requestCount({ path: `/v2/device/${harbor[2]?.id}/script/run` })).toBe(1);
  });
});
