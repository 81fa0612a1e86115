import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { captureLogs } from '../../../test/logCapture.js';
import type { ActionDefinition, AvailabilityContext } from '../../actions.js';
import { actionContext, type MappedOrganization } from '../../test/actionContext.js';
import { pluginContext } from '../../test/pluginContext.js';
import { startFakeHuntress, type FakeHuntress } from '../fakeServer.js';
import { createHuntressPlugin, type HuntressPlugin } from '../index.js';

const logs = captureLogs();
let fake: FakeHuntress;
let plugin: HuntressPlugin;
const userKey = { subdomain: 'acme', api_key: 'acme-user', api_secret: 'acme-user-secret', key_type: 'user' };
const accountKey = { subdomain: 'acme', api_key: 'acme-account', api_secret: 'acme-account-secret', key_type: 'account' };

// Client 1 (Dataforth) maps to organization 3; client 2 (Harbor) to 1 and 2; client 3 to nothing.
const mappings: Record<number, MappedOrganization[]> = {
  1: [{ id: '3', name: 'Dataforth Corp.', clientName: 'Dataforth Corp.' }],
  2: [
    { id: '1', name: 'Harbor Dental', clientName: 'Harbor Dental' },
    { id: '2', name: 'Bluewave Logistics', clientName: 'Harbor Dental' },
  ],
  3: [],
};

beforeAll(async () => {
  fake = await startFakeHuntress({ rateLimitPerWindow: null });
  plugin = createHuntressPlugin({ actionTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});
beforeEach(() => {
  fake.addAccount('acme', {
    name: 'Acme MSP',
    organizations: 8,
    organizationNames: ['Harbor Dental', 'Bluewave Logistics', 'Dataforth Corp.'],
    agents: 4,
    keys: [
      { key: 'acme-user', secret: 'acme-user-secret', kind: 'user' },
      { key: 'acme-account', secret: 'acme-account-secret', kind: 'account' },
    ],
    incidentReports: [
      { organizationId: 3, agentId: 3, subject: 'Malicious scheduled task on DF-FS01', severity: 'critical', sentHoursAgo: 2, remediations: [{ action: 'Delete Scheduled Task', status: 'approved' }] },
      { organizationId: 3, subject: 'Unwanted remote access tool', severity: 'high', sentHoursAgo: 5, remediations: [{ action: 'Remove service', status: 'unapproved' }] },
      { organizationId: 1, subject: 'Old footholds', severity: 'low', status: 'closed', sentHoursAgo: 200 },
      { organizationId: 2, subject: 'Ransomware canary tripped', severity: 'critical', sentHoursAgo: 1 },
      { organizationId: 5, subject: 'Someone else', severity: 'high', sentHoursAgo: 1 },
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

/** Runs an action as the service would: input through its schema, output checked against its schema. */
async function run(id: string, input: Record<string, unknown>, settings: Record<string, string> = userKey) {
  const definition = action(id);
  const ctx = actionContext({ settings, log: logs.log, env: { HUNTRESS_BASE_URL: fake.baseUrl }, mappings });
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

describe('huntress read actions', () => {
  it('organizations.list: one page by limit, then the next by its token', async () => {
    const first = await run('huntress.organizations.list', { limit: 5 });
    const orgs = first.output.organizations as { id: string; name: string; url: string }[];
    expect(orgs.map((o) => o.id)).toEqual(['8', '7', '6', '5', '4']);
    expect(orgs[0]?.url).toBe('https://acme.huntress.io/org/8');
    const second = await run('huntress.organizations.list', { limit: 5, pageToken: first.output.nextPageToken });
    expect((second.output.organizations as { name: string }[]).map((o) => o.name)).toEqual(['Dataforth Corp.', 'Bluewave Logistics', 'Harbor Dental']);
    expect(second.output.nextPageToken).toBeNull();
    // Out of range never reaches Huntress.
    expect(action('huntress.organizations.list').input.safeParse({ limit: 501 }).success).toBe(false);
  });

  it('agents.get: the agent; an unknown one is NOT_FOUND', async () => {
    const { output } = await run('huntress.agents.get', { agentId: '3' });
    expect(output.agent).toMatchObject({ id: '3', hostname: 'HOST-003', organizationId: '3', platform: 'windows', url: 'https://acme.huntress.io/agents/3' });
    const missing = await refusal(run('huntress.agents.get', { agentId: 99 }));
    expect([missing.code, missing.message]).toEqual(['NOT_FOUND', 'Huntress has no agent 99 that this API key may see']);
  });

  it("incidents.find: the client's mapped organizations only, newest first, filtered by Huntress", async () => {
    const { output } = await run('huntress.incidents.find', { clientId: 2 });
    const incidents = output.incidents as { subject: string; organizationName: string; url: string }[];
    expect(incidents.map((i) => [i.subject, i.organizationName])).toEqual([
      ['Ransomware canary tripped', 'Bluewave Logistics'],
      ['Old footholds', 'Harbor Dental'],
    ]);
    expect(fake.requestCount({ path: '/v1/incident_reports' })).toBe(2);
    const sent = await run('huntress.incidents.find', { clientId: 1, status: 'sent', severity: 'critical' });
    expect((sent.output.incidents as { subject: string }[]).map((i) => i.subject)).toEqual(['Malicious scheduled task on DF-FS01']);
    const capped = await run('huntress.incidents.find', { clientId: 1, limit: 1 });
    expect([(capped.output.incidents as unknown[]).length, capped.output.truncated]).toEqual([1, true]);
    expect(action('huntress.incidents.find').input.safeParse({ clientId: 1, status: 'open' }).success).toBe(false);
  });

  it('incidents.find: a key refused incident reports is a VENDOR_ERROR naming the resource', async () => {
    fake.setFaults({ missingPermissions: ['incident_reports'] }, 'acme');
    const error = await refusal(run('huntress.incidents.find', { clientId: 1 }));
    expect(error.code).toBe('VENDOR_ERROR');
    expect(error.message).toContain('may not read incident reports');
  });

  it('incidents.get: the report with its remediations and how many wait for approval', async () => {
    const { output } = await run('huntress.incidents.get', { incidentId: '2' });
    expect(output.incident).toMatchObject({ id: '2', status: 'sent', severity: 'high', unapprovedRemediations: 1, remediationsTotal: 1, url: 'https://acme.huntress.io/incident_reports/2' });
    fake.setFaults({ badCredentials: true }, 'acme');
    const error = await refusal(run('huntress.incidents.get', { incidentId: '2' }));
    expect(error.message).toContain('rejected the API key or secret key');
  });
});

describe('huntress.incidents.resolve', () => {
  it('resolves a sent report whose remediations are approved: 201, the report comes back closed', async () => {
    const { output } = await run('huntress.incidents.resolve', { incidentId: '1', clientId: 1 });
    expect(output.incident).toMatchObject({ id: '1', status: 'closed', organizationName: 'Dataforth Corp.' });
    expect(fake.incident('acme', 1)?.status).toBe('closed');
    expect(fake.resolutionCount('acme')).toBe(1);
  });

  it('409 while remediations are unapproved: CONFLICT saying to approve them, with the link', async () => {
    const error = await refusal(run('huntress.incidents.resolve', { incidentId: '2' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/while remediations wait for approval.*Approve or reject them in Huntress \(https:\/\/acme\.huntress\.io\/incident_reports\/2\)/);
    expect(fake.resolutionCount()).toBe(0);
  });

  it("422 when the report is not sent: CONFLICT saying only 'sent' reports resolve", async () => {
    const error = await refusal(run('huntress.incidents.resolve', { incidentId: '3' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('whose status is "sent"; report 3 is not');
  });

  it("refuses a report of another client's organization before anything is sent", async () => {
    const error = await refusal(run('huntress.incidents.resolve', { incidentId: '4', clientId: 1 }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('not mapped to Dataforth Corp.; nothing was sent to Huntress');
    expect(fake.requestCount({ path: '/v1/incident_reports/4/resolution' })).toBe(0);
  });

  it('is unavailable with the account key, saying why; Huntress itself refuses such a key with 403', async () => {
    const resolve = action('huntress.incidents.resolve');
    const base = pluginContext({ settings: accountKey, log: logs.log });
    const judge = (settings: Record<string, string>) => resolve.availability?.({ partnerId: 2, settings, config: base.config, hasPublicBaseUrl: false } as AvailabilityContext);
    expect(await judge(accountKey)).toEqual({ code: 'not_permitted', message: expect.stringContaining("account API key is read-only") });
    expect(await judge(userKey)).toBeNull();
    const error = await refusal(run('huntress.incidents.resolve', { incidentId: '1' }, accountKey));
    expect(error.code).toBe('VENDOR_ERROR');
    expect(error.message).toContain('(HTTP 403)');
    expect(fake.resolutionCount()).toBe(0);
  });

  it('an unknown report is NOT_FOUND; a lasting 5xx stays a vendor error and is not resent', async () => {
    const missing = await refusal(run('huntress.incidents.resolve', { incidentId: '77' }));
    expect(missing.code).toBe('NOT_FOUND');
    fake.setFaults({ serverError: { times: 5, status: 500 }, paths: ['/v1/incident_reports/1/resolution'] }, 'acme');
    await expect(run('huntress.incidents.resolve', { incidentId: '1' })).rejects.toMatchObject({ kind: 'server_error' });
    expect(fake.requestCount({ path: '/v1/incident_reports/1/resolution' })).toBe(1);
  });
});
