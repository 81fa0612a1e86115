import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../shared/clients.js';
import { mainNav, signIn as signInAs } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import { worldDataforthCustomer, type World } from './harness/world.js';

/**
 * AI assistants (issue 25) end to end: Northwind's admin makes a read-and-change token in
 * Settings → AI assistants (real Chromium, browser mode); an MCP client that is not the product's
 * code (the official SDK's Client, over Streamable HTTP to /mcp) finds Dataforth through the
 * resources, its Syncro tickets, and posts one comment, retried with the same key: the fake Syncro
 * holds one comment, and Syncro's Activity tab, filtered to "Through AI assistants", shows the
 * calls under the token's name.
 */
let world: World;
let page: Page;
const shots = e2eSuite('assistant', (suite) => {
  ({ world, page } = suite);
});

const admin = () => world.user('admin@northwind.example');
const comments = () => world.fakes.syncro.writeCount({ route: 'comment', tenant: 'northwind' });

beforeAll(async () => {
  const configured = await world.rest('POST', '/api/integrations/syncro/configure', admin(), { settings: { subdomain: 'northwind', api_token: world.credentials.northwindSyncroToken } });
  expect(configured.status).toBe(201);
  const client = await world.rest<Client>('POST', '/api/clients', admin(), { name: 'Dataforth Corp.' });
  expect(client.status).toBe(201);
  const mapped = await world.rest('POST', '/api/integrations/syncro/mappings', admin(), { clientId: client.json.id, externalOrgId: String(worldDataforthCustomer), externalOrgName: 'DATAFORTH CORPORATION' });
  expect(mapped.status).toBe(201);
}, 120_000);

describe('an AI assistant', () => {
  it('gets a token in Settings, comments once through /mcp, and shows in the Activity tab', async () => {
    await signInAs(page, admin().email, admin().password);
    await mainNav(page).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'AI assistants' }).waitFor();
    await page.getByLabel(/^Name/).fill('Claude on the e2e laptop');
    await page.getByRole('radio', { name: /^Read and change/ }).check();
    await page.getByRole('button', { name: 'Make token' }).click();
    const token = ((await page.getByTestId('revealed-secret').textContent()) ?? '').trim();
    expect(token).toMatch(/^icp_/);
    await page.getByTestId('access-tokens').getByText('Claude on the e2e laptop').waitFor();
    expect(await shots.screen(page, 'tokens', { fullPage: true })).toEqual([]);

    const mcp = new McpClient({ name: 'e2e-assistant', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${world.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      expect((await mcp.listTools()).tools.map((t) => t.name)).toContain('syncro.tickets.comment');
      const resource = await mcp.readResource({ uri: 'ic://clients' });
      const clients = JSON.parse(resource.contents.map((c) => ('text' in c ? c.text : '')).join('')) as { items: { id: number; name: string }[] };
      const dataforth = clients.items.find((c) => c.name === 'Dataforth Corp.');
      expect(dataforth).toBeDefined();
      const found = (await mcp.callTool({ name: 'syncro.tickets.find', arguments: { clientId: dataforth?.id, query: 'backup' } })) as CallToolResult;
      const ticket = (found.structuredContent as { tickets: { id: string; subject: string }[] }).tickets.find((t) => t.subject === 'Nightly backup failing on DF-FS01');
      expect(ticket).toBeDefined();
      const start = comments();
      const args = { clientId: dataforth?.id, ticketId: ticket?.id, body: 'Backups fixed today (through an assistant)', hidden: true, idempotencyKey: 'e2e-assistant-intent-1' };
      const first = (await mcp.callTool({ name: 'syncro.tickets.comment', arguments: args })) as CallToolResult;
      expect(first.isError).toBeFalsy();
      const again = (await mcp.callTool({ name: 'syncro.tickets.comment', arguments: args })) as CallToolResult;
      expect(again._meta).toMatchObject({ replayed: true });
      expect(comments()).toBe(start + 1);
    } finally {
      await mcp.close();
    }

    await world.server.interactionLog.flush();
    await mainNav(page).getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('link', { name: /^Syncro PSA/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Syncro PSA' }).waitFor();
    await page.getByRole('navigation', { name: 'Syncro PSA sections' }).getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await page.getByRole('combobox', { name: /^By/ }).selectOption({ label: 'Through AI assistants' });
    const calls = page.getByTestId('interactions');
    const posted = calls.locator('tbody tr', { hasText: /POST \S*\/comment/ });
    await posted.first().waitFor();
    expect(await posted.count()).toBe(1);
    expect(await posted.first().textContent()).toContain('via AI assistant “Claude on the e2e laptop”');
    expect(await calls.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await shots.screen(page, 'activity-assistant')).toEqual([]);
  }, 150_000);
});
