import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startFakeMsp360, type FakeMsp360 } from './fakeServer.js';
import { createMsp360Plugin, type Msp360Plugin } from './index.js';

const logs = captureLogs();
let fake: FakeMsp360;
let plugin: Msp360Plugin;
const settings = { api_login: 'orgs-api', api_password: 'orgs-password' };

beforeAll(async () => {
  fake = await startFakeMsp360();
  fake.addAccount({ login: settings.api_login, password: settings.api_password, companies: 1_500, companyNames: { 3: 'DATAFORTH CORPORATION' } });
  plugin = createMsp360Plugin({ checkTimeoutMs: 3_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

const ctx = (overrides: Record<string, string> = {}) => pluginContext({ settings: { ...settings, ...overrides }, log: logs.log, env: { MSP360_BASE_URL: fake.baseUrl } });

describe('MSP360 listOrganizations', () => {
  it('reads every company from the one unpaged GET /api/Companies: always a single page', async () => {
    fake.resetCounts();
    const page = await plugin.listOrganizations?.(ctx(), null);
    expect(page?.items).toHaveLength(1_500);
    expect(new Set(page?.items.map((o) => o.id)).size).toBe(1_500);
    expect(page?.items[2]).toEqual({ id: '00000001-0000-4000-8000-000000000003', name: 'DATAFORTH CORPORATION' });
    expect(page).toMatchObject({ nextCursor: null, pagesDone: 1, totalPages: 1 });
    expect(fake.requestCount({ path: '/api/Companies' })).toBe(1);
  });

  it("says why it failed: refused login, refused Companies with MSP360's message, 5xx", async () => {
    await expect(plugin.listOrganizations?.(ctx({ api_password: 'wrong-password' }), null)).rejects.toThrow('MSP360 rejected the API login or password');
    fake.setFaults({ missingPermissions: ['Companies'] });
    await expect(plugin.listOrganizations?.(ctx(), null)).rejects.toThrow('The MSP360 API login may not read Companies (HTTP 403): You do not have permission to access this resource.');
    fake.resetFaults();
    fake.setFaults({ serverError: { times: 10, status: 500 }, paths: ['/api/Companies'] });
    await expect(plugin.listOrganizations?.(ctx(), null)).rejects.toThrow('MSP360 is having trouble (HTTP 500): An error has occurred.');
    fake.resetFaults();
    await expect(plugin.listOrganizations?.(ctx(), 'next')).rejects.toThrow('MSP360 discovery was given a cursor it did not make');
  });
});
