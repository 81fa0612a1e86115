import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import { OrganizationsError, type OrganizationPage, type PluginContext } from '../types.js';
import { syncroExamples } from './examples.js';
import { startFakeSyncro, type FakeSyncro } from './fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from './index.js';

const logs = captureLogs();
const token = 'syncro-orgs-test-token';
let fake: FakeSyncro;
let plugin: SyncroPlugin;

beforeAll(async () => {
  fake = await startFakeSyncro({ rateLimitPerMinute: null });
  fake.addTenant('large', { tokens: [{ token }], customers: 1_500 });
  fake.addTenant('small', { tokens: [{ token }], customers: 3, customerNames: { 2: 'Dataforth Corp.' } });
  plugin = createSyncroPlugin({ pageTimeoutMs: 2_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

const ctxFor = (subdomain: string, env: Record<string, string> = { SYNCRO_BASE_URL: fake.baseUrl }): PluginContext =>
  pluginContext({ settings: { subdomain, api_token: token }, log: logs.log, env });

async function walkAll(ctx: PluginContext) {
  const pages: OrganizationPage[] = [];
  let cursor: string | null = null;
  do {
    const page: OrganizationPage | undefined = await plugin.listOrganizations?.(ctx, cursor);
    if (!page) throw new Error('no listOrganizations');
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return pages;
}

describe('Syncro listOrganizations', () => {
  it("walks GET /customers?page=N by meta.total_pages at Syncro's 25 a page, with progress", async () => {
    fake.resetCounts();
    const pages = await walkAll(ctxFor('large'));
    expect(pages).toHaveLength(60);
    expect(pages.map((p) => [p.pagesDone, p.totalPages])).toEqual(Array.from({ length: 60 }, (_, i) => [i + 1, 60]));
    const ids = pages.flatMap((p) => p.items.map((o) => o.id));
    expect(new Set(ids).size).toBe(1_500);
    expect(fake.requestCount({ path: '/customers', tenant: 'large' })).toBe(60);
    expect(pages[0]?.items[0]).toEqual({ id: '1', name: 'Customer 1 Ltd', url: `${fake.origin}/large/customers/1` });
  });

  it('follows a 100-a-page Syncro just the same (the page size is read, never assumed)', async () => {
    const hundred = await startFakeSyncro({ rateLimitPerMinute: null, customersPerPage: 100 });
    hundred.addTenant('large', { tokens: [{ token }], customers: 1_500 });
    try {
      const pages = await walkAll(ctxFor('large', { SYNCRO_BASE_URL: hundred.baseUrl }));
      expect(pages.map((p) => p.items.length)).toEqual(Array(15).fill(100));
      expect(pages.at(-1)?.totalPages).toBe(15);
    } finally {
      await hundred.close();
    }
  });

  it("names a person customer by its full name, as Syncro's own example shows a walk-in", async () => {
    const replay = await startReplayServer({
      'GET /acme/api/v1/customers': { status: 200, json: { customers: [{ id: 7, business_name: null, fullname: 'Walkin Customer', firstname: 'Walkin', lastname: 'Customer' }], meta: syncroExamples.customers.meta } },
    });
    try {
      const page = await plugin.listOrganizations?.(ctxFor('acme', { SYNCRO_BASE_URL: `${replay.origin}/{subdomain}/api/v1` }), null);
      expect(page).toMatchObject({ items: [{ id: '7', name: 'Walkin Customer' }], nextCursor: null, pagesDone: 1, totalPages: 1 });
    } finally {
      await replay.close();
    }
    expect((await walkAll(ctxFor('small')))[0]?.items.map((o) => o.name)).toEqual(['Customer 1 Ltd', 'Dataforth Corp.', 'Customer 3 Ltd']);
  });

  it("fails with Syncro's own message when the token is refused, naming the permission", async () => {
    fake.setFaults({ missingPermissions: ['Customers - List/Search'] }, 'small');
    try {
      await expect(plugin.listOrganizations?.(ctxFor('small'), null)).rejects.toThrow(
        'Syncro refused the customer list (HTTP 401): Not authorized. Please ask account admin to update your group permissions. Check the API token and its permission "Customers - List/Search"',
      );
    } finally {
      fake.resetFaults();
    }
  });

  it('passes 5xx, malformed JSON and an unknown subdomain on as failures, and refuses foreign cursors', async () => {
    fake.setFaults({ serverError: { times: 10, status: 502 } }, 'small');
    await expect(plugin.listOrganizations?.(ctxFor('small'), null)).rejects.toThrow(/Syncro is having trouble \(HTTP 502\)/);
    fake.resetFaults();
    fake.setFaults({ malformedJson: true }, 'small');
    await expect(plugin.listOrganizations?.(ctxFor('small'), null)).rejects.toThrow(/could not be read \(not valid JSON\)/);
    fake.resetFaults();
    await expect(plugin.listOrganizations?.(ctxFor('nosuchaccount'), null)).rejects.toThrow('No Syncro account was found at the subdomain "nosuchaccount"; check the subdomain');
    await expect(plugin.listOrganizations?.(ctxFor('small'), 'page-two')).rejects.toBeInstanceOf(OrganizationsError);
    await expect(plugin.listOrganizations?.(ctxFor('small'), null)).resolves.toMatchObject({ nextCursor: null });
  });
});
