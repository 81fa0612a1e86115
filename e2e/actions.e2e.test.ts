import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionRunResult } from '../shared/actions.js';
import type { Client } from '../shared/clients.js';
import { mainNav, signIn as signInAs, signOut } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import { worldDataforthCustomer, type World } from './harness/world.js';

/**
 * The generic Actions tab (issue 17) in real Chromium against browser mode, the real server and
 * the fake Syncro: nothing in the tab knows Syncro. Northwind's admin runs a read (the client's
 * tickets, picking the client) and a side-effectful action (a hidden comment on the demo's
 * backup ticket), reviewed first, then run: the fake Syncro holds ONE new comment and the
 * Activity tab shows one comment call. A technician sees the side-effectful actions disabled, and
 * runs MSP360's company list from the same tab.
 */
let world: World;
let page: Page;
const shots = e2eSuite('actions', (suite) => {
  ({ world, page } = suite);
});

const admin = () => world.user('admin@northwind.example');
const signIn = (email: string) => signInAs(page, email, world.user(email).password);
const comments = () => world.fakes.syncro.writeCount({ route: 'comment', tenant: 'northwind' });
const backupTicket = 'Nightly backup failing on DF-FS01';
let ticketId = '';

async function openActions(): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('link', { name: /^Syncro PSA/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Syncro PSA' }).waitFor();
  await page.getByRole('navigation', { name: 'Syncro PSA sections' }).getByRole('link', { name: 'Actions' }).click();
  await page.getByRole('list', { name: 'Syncro actions' }).waitFor();
}

beforeAll(async () => {
  const configured = await world.rest('POST', '/api/integrations/syncro/configure', admin(), { settings: { subdomain: 'northwind', api_token: world.credentials.northwindSyncroToken } });
  expect(configured.status).toBe(201);
  const client = await world.rest<Client>('POST', '/api/clients', admin(), { name: 'Dataforth Corp.' });
  expect(client.status).toBe(201);
  const mapped = await world.rest('POST', '/api/integrations/syncro/mappings', admin(), { clientId: client.json.id, externalOrgId: String(worldDataforthCustomer), externalOrgName: 'DATAFORTH CORPORATION' });
  expect(mapped.status).toBe(201);
  const found = await world.rest<ActionRunResult>('POST', '/api/actions/syncro.tickets.find/run', admin(), { input: { clientId: client.json.id, query: 'backup' } });
  ticketId = (found.json.output as { tickets: { id: string; subject: string }[] }).tickets.find((t) => t.subject === backupTicket)?.id ?? '';
  expect(ticketId).not.toBe('');
}, 120_000);

describe('the Actions tab', () => {
  it('a partner admin runs a read and a side-effectful action; the vendor gets one comment', async () => {
    await signIn('admin@northwind.example');
    await openActions();
    const list = page.getByRole('list', { name: 'Syncro actions' });
    await list.getByRole('listitem').filter({ hasText: 'Comment on a Syncro ticket' }).getByText('Changes data at Syncro').waitFor();
    expect(await shots.screen(page, 'list')).toEqual([]);

    // A read: the client is picked from the partner's clients; the tickets come back as a table.
    await page.getByRole('button', { name: 'Open Find a client\'s Syncro tickets' }).click();
    const find = page.getByRole('region', { name: 'Find a client\'s Syncro tickets' });
    await find.getByRole('combobox', { name: /^Client/ }).selectOption({ label: 'Dataforth Corp.' });
    await find.getByRole('textbox', { name: /^Query/ }).fill('backup');
    await find.getByRole('button', { name: 'Run' }).click();
    await find.getByTestId('action-result').getByRole('cell', { name: backupTicket }).waitFor();
    expect(await shots.screen(page, 'read-result')).toEqual([]);
    await find.getByRole('button', { name: 'Close' }).click();

    // A side-effectful action: Review shows exactly what is sent, Run sends it once.
    const start = comments();
    await page.getByRole('button', { name: 'Open Comment on a Syncro ticket' }).click();
    const panel = page.getByRole('region', { name: 'Comment on a Syncro ticket' });
    await panel.getByRole('textbox', { name: /^Ticket id/ }).fill(ticketId);
    await panel.getByRole('textbox', { name: /^Body/ }).fill('Re-ran the backup plan from the Actions tab; it succeeded.');
    await panel.getByRole('checkbox', { name: 'Hidden' }).check();
    expect(await shots.screen(page, 'form')).toEqual([]);
    await panel.getByRole('button', { name: 'Review' }).click();
    await panel.getByTestId('request-input').getByText('Re-ran the backup plan from the Actions tab; it succeeded.').waitFor();
    expect(await shots.screen(page, 'review')).toEqual([]);
    await panel.getByRole('button', { name: 'Run' }).click();
    await panel.getByText('Sent', { exact: true }).waitFor();
    await panel.getByTestId('action-result').waitFor();
    expect(comments()).toBe(start + 1);
    expect(await shots.screen(page, 'sent')).toEqual([]);

    // The Activity tab holds one call that posted the comment.
    await world.server.interactionLog.flush();
    await page.getByRole('navigation', { name: 'Syncro PSA sections' }).getByRole('link', { name: 'Activity' }).click();
    const calls = page.getByTestId('interactions');
    await calls.waitFor();
    const posted = calls.locator('tbody tr', { hasText: new RegExp(`POST \\S*/tickets/${ticketId}/comment`) });
    await posted.first().waitFor();
    expect(await posted.count()).toBe(1);
    expect(comments()).toBe(start + 1);
  }, 150_000);

  it('offline, a comment is kept on this computer, listed on Pending changes, and sent once when the server is back', async () => {
    await openActions();
    const start = comments();
    await world.stop();
    try {
      await page.locator('.connection-pill').getByText('Offline', { exact: true }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Open Comment on a Syncro ticket' }).click();
      const panel = page.getByRole('region', { name: 'Comment on a Syncro ticket' });
      await panel.getByRole('textbox', { name: /^Ticket id/ }).fill(ticketId);
      await panel.getByRole('textbox', { name: /^Body/ }).fill('Written while the server was away.');
      await panel.getByRole('button', { name: 'Review' }).click();
      await panel.getByRole('button', { name: 'Queue' }).click();
      await panel.getByText(/Kept on this computer/).waitFor();
      await mainNav(page).getByRole('link', { name: /^Pending changes/ }).click();
      const waiting = page.getByRole('region', { name: 'Actions waiting to be sent' });
      await waiting.getByText('Comment on a Syncro ticket').waitFor();
      expect(await shots.screen(page, 'pending-offline')).toEqual([]);
      expect(comments()).toBe(start);
    } finally {
      await world.restart();
    }
    // Nothing to click: it goes out by itself, once, when the connection returns.
    await expect.poll(() => comments(), { timeout: 60_000, interval: 500 }).toBe(start + 1);
    await page.getByRole('region', { name: 'Actions waiting to be sent' }).waitFor({ state: 'detached', timeout: 30_000 });
    expect(comments()).toBe(start + 1);
  }, 180_000);

  it('a technician sees side-effectful actions disabled: partner admins only', async () => {
    await signOut(page);
    await signIn('tech@northwind.example');
    await openActions();
    const row = page.getByRole('list', { name: 'Syncro actions' }).getByRole('listitem').filter({ hasText: 'Comment on a Syncro ticket' });
    await row.getByText('Partner admins only.').waitFor();
    expect(await row.getByRole('button', { name: 'Open Comment on a Syncro ticket' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Open Read a Syncro ticket' }).isDisabled()).toBe(false);
    expect(await shots.screen(page, 'technician')).toEqual([]);

    // The same tab for another vendor, with no code of its own: MSP360's company list, a read.
    await mainNav(page).getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('link', { name: /^MSP360 Managed Backup/ }).click();
    await page.getByRole('navigation', { name: 'MSP360 Managed Backup sections' }).getByRole('link', { name: 'Actions' }).click();
    await page.getByRole('button', { name: 'Open List MSP360 companies' }).click();
    const panel = page.getByRole('region', { name: 'List MSP360 companies' });
    await panel.getByText('This action takes no input.').waitFor();
    await panel.getByRole('button', { name: 'Run' }).click();
    await panel.getByTestId('action-result').getByRole('columnheader', { name: 'Name' }).waitFor();
    expect(await panel.getByTestId('action-result').locator('tbody tr').count()).toBeGreaterThan(0);
  }, 90_000);
});
