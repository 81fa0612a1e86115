import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupSummary } from '../../../../shared/actions/msp360.js';
import { AppError } from '../../../../shared/errors.js';
import { captureLogs } from '../../../test/logCapture.js';
import type { ActionDefinition } from '../../actions.js';
import { actionContext, type MappedOrganization } from '../../test/actionContext.js';
import { startReplayServer } from '../../test/replayServer.js';
import { startFakeMsp360, type FakeMsp360 } from '../fakeServer.js';
import { createMsp360Plugin, type Msp360Plugin } from '../index.js';

const logs = captureLogs();
const login = 'acme-api';
const password = 'acme-backup-password';
let fake: FakeMsp360;
let textFake: FakeMsp360;
let plugin: Msp360Plugin;

const guid = (kind: number, i: number) => `${String(kind).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;
const mappings: Record<number, MappedOrganization[]> = {
  1: [{ id: guid(1, 3), name: 'Dataforth Corp', clientName: 'Dataforth Corp.' }],
  2: [],
};

const account = {
  login,
  password,
  companies: 4,
  companyNames: { 3: 'Dataforth Corp' },
  plans: [
    { company: 3, computerName: 'DF-FS01', planName: 'Nightly file server', status: 'Error' as const, lastStartHoursAgo: 8, errorMessage: 'Access denied' },
    { company: 3, computerName: 'DF-DC01', planName: 'System state', status: 'Success' as const, lastStartHoursAgo: 7, dataCopiedBytes: 14_200_000_000 },
    { company: 3, computerName: 'DF-WS1', planName: 'Desktop files', status: 'Warning' as const, lastStartHoursAgo: 30, dataCopiedBytes: 600_000_000 },
    { company: 3, computerName: 'DF-OLD', planName: 'Archive', status: 'Success' as const, lastStartHoursAgo: 24 * 20, dataCopiedBytes: 1_000 },
    { company: 1, computerName: 'PC-1', planName: 'Other company', status: 'Error' as const, lastStartHoursAgo: 3 },
  ],
};

beforeAll(async () => {
  fake = await startFakeMsp360();
  fake.addAccount(account);
  textFake = await startFakeMsp360({ monitoringStatusAs: 'text' });
  textFake.addAccount(account);
  plugin = createMsp360Plugin({ actionTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
  await textFake.close();
});

function action(id: string): ActionDefinition<unknown, unknown> {
  const found = plugin.actions?.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found as ActionDefinition<unknown, unknown>;
}

async function run(id: string, input: Record<string, unknown>, options: { baseUrl?: string; password?: string; partnerId?: number } = {}) {
  const definition = action(id);
  const ctx = actionContext({ settings: { api_login: login, api_password: options.password ?? password }, log: logs.log, env: { MSP360_BASE_URL: options.baseUrl ?? fake.baseUrl }, mappings, partnerId: options.partnerId ?? 7 });
  return definition.output.parse((await definition.run(ctx, definition.input.parse(input))).output) as Record<string, unknown>;
}

describe('msp360.companies.list', () => {
  it('lists every company, reading Id as the API document spells it and ID as the PowerShell module does', async () => {
    const { companies } = await run('msp360.companies.list', {});
    expect((companies as { name: string }[]).map((c) => c.name)).toEqual(['Company 1', 'Company 2', 'Dataforth Corp', 'Company 4']);
    const replay = await startReplayServer({
      'POST /api/Provider/Login': { status: 200, json: { access_token: 'replayed-token', token_type: 'bearer', expires_in: 1209599 } },
      'GET /api/Companies': { status: 200, json: [{ ID: 'upper', Name: 'Upper' }, { Id: 'lower', Name: 'Lower' }] },
    });
    try {
      expect(await run('msp360.companies.list', {}, { baseUrl: replay.origin, partnerId: 99 })).toEqual({ companies: [{ id: 'upper', name: 'Upper' }, { id: 'lower', name: 'Lower' }] });
    } finally {
      await replay.close();
    }
  });

  it("says MSP360 rejected the login when its 400 invalid_grant comes back", async () => {
    const error = await run('msp360.companies.list', {}, { password: 'wrong-password', partnerId: 8 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect([(error as AppError).code, (error as AppError).message]).toEqual(['VENDOR_ERROR', 'MSP360 rejected the API login or password']);
  });
});

describe('msp360.monitoring.status', () => {
  it("returns the plan runs of the client's mapped companies only, matched by name through Companies", async () => {
    for (const baseUrl of [fake.baseUrl, textFake.baseUrl]) {
      const { plans } = await run('msp360.monitoring.status', { clientId: 1 }, { baseUrl });
      const rows = plans as { computerName: string; status: string; companyName: string }[];
      expect(rows.map((p) => [p.computerName, p.status])).toEqual([
        ['DF-FS01', 'Error'],
        ['DF-DC01', 'Success'],
        ['DF-WS1', 'Warning'],
        ['DF-OLD', 'Success'],
      ]);
      expect(new Set(rows.map((p) => p.companyName))).toEqual(new Set(['Dataforth Corp']));
    }
  });

  it('refuses a client without a mapping before logging in', async () => {
    fake.resetCounts();
    await expect(run('msp360.monitoring.status', { clientId: 2 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fake.requestCount()).toBe(0);
  });
});

describe('msp360.reports.backup_summary', () => {
  it('counts the last 7 days from the latest run per plan, failures first, with lines for a comment', async () => {
    const summary = (await run('msp360.reports.backup_summary', { clientId: 1 })) as unknown as BackupSummary;
    const today = new Date().toISOString().slice(0, 10);
    expect([summary.to, summary.clientName, summary.companies]).toEqual([today, 'Dataforth Corp.', ['Dataforth Corp']]);
    expect(Date.parse(summary.to) - Date.parse(summary.from)).toBe(6 * 86_400_000);
    expect(summary.totals).toEqual({ jobs: 3, successes: 2, failures: 1, dataCopiedBytes: 14_800_000_000 });
    expect(summary.plans.map((p) => [p.computerName, p.jobs, p.failures])).toEqual([
      ['DF-FS01', 1, 1],
      ['DF-OLD', 0, 0],
      ['DF-DC01', 1, 0],
      ['DF-WS1', 1, 0],
    ]);
    const lines = summary.text.split('\n');
    expect(lines[0]).toBe(`MSP360 backup summary for Dataforth Corp., ${summary.from} to ${summary.to}:`);
    expect(lines[1]).toBe('3 jobs of 4 plans: 2 succeeded, 1 failed; 14.8 GB copied.');
    expect(lines[2]).toMatch(/^FAILED DF-FS01 – Nightly file server, \d{4}-\d\d-\d\d \d\d:\d\d UTC: Access denied$/);
    expect(lines[3]).toBe('No run in this period: DF-OLD – Archive.');
    expect(lines.at(-1)).toContain('only the latest run of each plan');
  });

  it('takes a date range: a range before every run counts no job', async () => {
    const summary = (await run('msp360.reports.backup_summary', { clientId: 1, from: '2020-01-01', to: '2020-01-31' })) as unknown as BackupSummary;
    expect(summary.totals).toEqual({ jobs: 0, successes: 0, failures: 0, dataCopiedBytes: 0 });
    expect(summary.plans).toHaveLength(4);
  });
});
