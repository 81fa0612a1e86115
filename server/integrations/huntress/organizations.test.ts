import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { startReplayServer } from '../test/replayServer.js';
import { OrganizationsError, type PluginSettings } from '../types.js';
import { huntressExamples } from './examples.js';
import { startFakeHuntress, type FakeHuntress } from './fakeServer.js';
import { createHuntressPlugin } from './index.js';

const logs = captureLogs();
let fake: FakeHuntress;
// Huntress's own limiter (60 in any 62 s) and the fake's 60 in 60 s: discovery must fit inside both.
const plugin = createHuntressPlugin({ pageTimeoutMs: 5_000, http: { retry: { baseDelayMs: 10, maxDelayMs: 20 } } });
const settings = { subdomain: 'northwind', api_key: 'nw-org-key', api_secret: 'nw-org-secret', key_type: 'account' };
const ctx = (s: PluginSettings = settings, env = { HUNTRESS_BASE_URL: fake.baseUrl }) => pluginContext({ settings: s, log: logs.log, env });

beforeAll(async () => {
  fake = await startFakeHuntress();
  fake.addAccount('northwind', { name: 'Northwind MSP', organizations: 1_200, organizationNames: ['Dataforth Corp.', 'Harbor Dental'], keys: [{ key: 'nw-org-key', secret: 'nw-org-secret' }] });
  fake.addAccount('contoso', { name: 'Contoso', keys: [{ key: 'co-org-key', secret: 'co-org-secret', denied: ['organizations'] }] });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Huntress discovery', () => {
  it('walks 1,200 organizations in three pages of 500 by page_token, with links, and no 429', async () => {
    const list = plugin.listOrganizations;
    if (!list) throw new Error('no discovery');
    const seen: { id: string; name: string; url?: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(ctx(), cursor);
      pages++;
      expect(page.pagesDone).toBe(pages);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(1_200);
    expect(new Set(seen.map((o) => o.id)).size).toBe(1_200);
    expect(seen.find((o) => o.id === '1')).toEqual({ id: '1', name: 'Dataforth Corp.', url: 'https://northwind.huntress.io/org/1' });
    expect(fake.requestCount({ path: '/v1/organizations' })).toBe(3);
    expect(fake.rateLimitedCount()).toBe(0);
  });

  it('refuses a cursor it did not make, without calling Huntress', async () => {
    const before = fake.requestCount();
    await expect(plugin.listOrganizations?.(ctx(), 'page=2')).rejects.toThrow(new OrganizationsError('Huntress discovery was given a cursor it did not make'));
    expect(fake.requestCount()).toBe(before);
  });

  it('a key refused organizations: a message naming the permission', async () => {
    await expect(plugin.listOrganizations?.(ctx({ ...settings, subdomain: 'contoso', api_key: 'co-org-key', api_secret: 'co-org-secret' }), null)).rejects.toThrow(/refused the organization list \(HTTP 403\).*read Organizations/);
  });

  it('a rejected key pair: says so', async () => {
    await expect(plugin.listOrganizations?.(ctx({ ...settings, api_secret: 'wrong' }), null)).rejects.toThrow(/rejected the API key or secret key \(HTTP 401\)/);
  });

  it("replays the document's pagination: a token, then a last page without one", async () => {
    const replay = await startReplayServer({ 'GET /v1/organizations': { status: 200, json: huntressExamples.organizations } });
    try {
      const page = await plugin.listOrganizations?.(ctx(settings, { HUNTRESS_BASE_URL: replay.origin }), null);
      expect(page?.items).toEqual([{ id: '7', name: 'Example Org', url: 'https://northwind.huntress.io/org/7' }]);
      expect(page?.nextCursor).toBe('1.MjAyMi0wMy0wMVQxODo1NDoyNFo');
    } finally {
      await replay.close();
    }
    const last = await startReplayServer({ 'GET /v1/organizations': { status: 200, json: huntressExamples.organizationsLastPage } });
    try {
      const page = await plugin.listOrganizations?.(ctx(settings, { HUNTRESS_BASE_URL: last.origin }), '1.MjAyMi0wMy0wMVQxODo1NDoyNFo');
      expect(page).toMatchObject({ nextCursor: null, pagesDone: 2 });
    } finally {
      await last.close();
    }
  });
});
