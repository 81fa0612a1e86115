import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionRunResult } from '../shared/actions.js';
import type { Client } from '../shared/clients.js';
import { demoClientWorlds } from '../server/demo/demoClients.js';
import { demoSyncroTickets } from '../server/demo/demoVendorRecords.js';
import { mainNav, signIn as signInAs, signOut } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * The guided ticket update (issue 15 §5) in real Chromium against browser mode, the real server
 * and the fake Syncro and MSP360: Northwind's admin finds Dataforth's backup ticket through the
 * client's mapping, inserts MSP360's backup summary, logs time, reviews and posts: the fake
 * Syncro receives exactly one comment and the ticket link shows on the client's page. Offline,
 * the same flow queues the update, and reconnecting posts it by itself, exactly once more. A
 * technician reads tickets but has no Post.
 */
let world: World;
let page: Page;
const shots = e2eSuite('ticket-update', (suite) => {
  ({ world, page } = suite);
});

const admin = () => world.user('admin@northwind.example');
const signIn = (email: string) => signInAs(page, email, world.user(email).password);
const connection = (state: 'Online' | 'Offline') => page.locator('.connection-pill').getByText(state, { exact: true });
const comments = () => world.fakes.syncro.writeCount({ route: 'comment', tenant: 'northwind' });
const backupTicket = 'Nightly backup failing on DF-FS01';
let dataforth = 0;

async function expectClean(findings: Promise<unknown[]>): Promise<void> {
  expect(await findings).toEqual([]);
}

async function openClient(name: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function pickBackupTicket(): Promise<void> {
  await page.getByRole('link', { name: 'Update a ticket' }).click();
  await page.getByRole('heading', { level: 1, name: 'Update a ticket' }).waitFor();
  await page.getByText(backupTicket).waitFor({ timeout: 30_000 });
  const ticket = page.getByRole('listitem').filter({ hasText: backupTicket });
  await ticket.getByRole('button', { name: /^Update ticket/ }).click();
  await page.getByRole('heading', { level: 2, name: '2. Write the update' }).waitFor();
}

beforeAll(async () => {
  // The world's Northwind Syncro account, with the demo's tickets (Dataforth's backup ticket).
  world.fakes.syncro.addTenant('northwind', {
    tokens: [{ token: world.credentials.northwindSyncroToken }],
    customers: 42,
    tickets: 0,
    ticketSpecs: demoSyncroTickets('northwind'),
    customerNames: { ...demoClientWorlds.northwind.syncro },
  });
  const configured = await world.rest('POST', '/api/integrations/syncro/configure', admin(), { settings: { subdomain: 'northwind', api_token: world.credentials.northwindSyncroToken } });
  expect(configured.status).toBe(201);
  for (const name of ['Dataforth Corp.', 'Zeta Corp']) {
    const res = await world.rest<Client>('POST', '/api/clients', admin(), { name });
    expect(res.status).toBe(201);
    if (name === 'Dataforth Corp.') dataforth = res.json.id;
  }
  // Dataforth at MSP360 (for the backup summary), by the company list the action reads.
  const companies = await world.rest<ActionRunResult>('POST', '/api/actions/msp360.companies.list/run', admin(), { input: {} });
  expect(companies.status).toBe(200);
  const company = (companies.json.output as { companies: { id: string; name: string }[] }).companies.find((c) => c.name === 'Dataforth Corp');
  expect(company).toBeDefined();
  const msp = await world.rest('POST', '/api/integrations/msp360/mappings', admin(), { clientId: dataforth, externalOrgId: company?.id, externalOrgName: company?.name });
  expect(msp.status).toBe(201);
}, 120_000);

describe('a partner admin updates a client’s ticket', () => {
  it('says how to fix a missing mapping, with the way to the Mappings tab', async () => {
    await signIn('admin@northwind.example');
    await openClient('Dataforth Corp.');
    await page.getByText('No tickets linked yet.').waitFor();
    await page.getByRole('link', { name: 'Update a ticket' }).click();
    await page.getByText('Map Dataforth Corp. to a Syncro customer first.').waitFor({ timeout: 30_000 });
    await expectClean(shots.screen(page, 'missing-mapping'));
    await page.getByRole('link', { name: 'Open the Mappings tab' }).click();
    await page.getByRole('heading', { level: 2, name: 'Mappings' }).waitFor();
    // Mapped as the admin would on that tab (the mapping suite covers the tab itself).
    const mapped = await world.rest('POST', '/api/integrations/syncro/mappings', admin(), { clientId: dataforth, externalOrgId: '9', externalOrgName: 'DATAFORTH CORPORATION' });
    expect(mapped.status).toBe(201);
  });

  it('posts a comment with the backup summary and time, exactly once, and the ticket link shows', async () => {
    await openClient('Dataforth Corp.');
    await pickBackupTicket();
    await page.getByLabel(/^Comment/).fill('Reset the backup service account password on DF-FS01 and re-ran the plan.');
    await page.getByRole('button', { name: 'Insert backup summary' }).click();
    await expect.poll(() => page.getByLabel(/^Comment/).inputValue(), { timeout: 30_000 }).toMatch(/Backups? .*Dataforth/is);
    // The report goes as CSV + HTML that Syncro fetches from the server's signed URLs.
    await page.getByLabel('Attach the report (CSV + HTML)').check();
    await page.getByLabel('Log time on the ticket').check();
    await page.getByLabel('Minutes').fill('30');
    await page.getByLabel('Notes').fill('Backup fix');
    await expectClean(shots.screen(page, 'compose'));
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('heading', { level: 2, name: '3. Review' }).waitFor();
    await page.getByText('This is exactly what will be sent to Syncro.').waitFor();
    await expectClean(shots.screen(page, 'review'));
    const before = comments();
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Posted' }).waitFor({ timeout: 60_000 });
    await page.getByText(/Posted to #\d+ Nightly backup failing on DF-FS01 at Syncro: comment \d+/).waitFor();
    expect(comments()).toBe(before + 1);
    expect(world.fakes.syncro.writeCount({ route: 'timer_entry', tenant: 'northwind' })).toBe(1);
    expect(world.fakes.syncro.writeCount({ route: 'attach_file_url', tenant: 'northwind' })).toBe(1);
    await page.getByText(/Attached .*\.csv/).waitFor();
    await expectClean(shots.screen(page, 'posted'));

    await page.getByRole('link', { name: 'see its ticket links' }).click();
    const links = page.getByRole('table', { name: 'Tickets linked to this client' });
    await links.getByRole('row').filter({ hasText: backupTicket }).getByText('Documents').waitFor();
    await expectClean(shots.screen(page, 'ticket-links'));
  });

  it('offline: queues the update, lists it on Pending changes, and posts it once on reconnect', async () => {
    await world.stop();
    await connection('Offline').waitFor({ timeout: 30_000 });
    await openClient('Dataforth Corp.');
    // The ticket list read online before is shown from this computer.
    await pickBackupTicket();
    await page.getByLabel(/^Comment/).fill('Checked again after the overnight run: the backup succeeded.');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByText(/You’re offline\. Queue keeps this update/).waitFor();
    await expectClean(shots.screen(page, 'review-offline'));
    const before = comments();
    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Queued' }).waitFor();
    await page.getByText(/It will be posted by itself, once, when the server is back/).waitFor();

    await mainNav(page).getByRole('link', { name: /^Pending changes/ }).click();
    const pending = page.getByRole('region', { name: 'Ticket updates' });
    await pending.getByText('Waiting for the server').waitFor();
    await expectClean(shots.screen(page, 'pending-offline'));
    expect(comments()).toBe(before);

    await world.restart();
    await connection('Online').waitFor({ timeout: 60_000 });
    await expect.poll(comments, { timeout: 60_000 }).toBe(before + 1);
    await page.getByText('No pending changes').waitFor({ timeout: 30_000 });
    // Syncing again afterwards sends nothing again.
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.waitForTimeout(1_500);
    expect(comments()).toBe(before + 1);
    await signOut(page);
  });
});

describe('a technician', () => {
  it('reads the client’s tickets but has no Post, and is told why', async () => {
    // Signed out by the suite before (or still in after a failure there).
    if (await page.getByRole('button', { name: 'Sign out' }).isVisible()) await signOut(page);
    await signIn('tech@northwind.example');
    await openClient('Dataforth Corp.');
    await page.getByRole('table', { name: 'Tickets linked to this client' }).getByText(backupTicket).waitFor();
    expect(await page.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    await pickBackupTicketAsTechnician();
    await page.getByRole('heading', { level: 2, name: /^Ticket #\d+$/ }).waitFor();
    await page.getByText(backupTicket).waitFor();
    await page.getByText('Technicians can find a client’s tickets and see them here; posting an update to a ticket takes a partner admin.').waitFor();
    expect(await page.getByRole('button', { name: /^(Post|Queue|Review)$/ }).count()).toBe(0);
    await expectClean(shots.screen(page, 'technician'));
  });
});

async function pickBackupTicketAsTechnician(): Promise<void> {
  await page.getByRole('link', { name: 'Update a ticket' }).click();
  await page.getByText(backupTicket).waitFor({ timeout: 30_000 });
  await page.getByRole('listitem').filter({ hasText: backupTicket }).getByRole('button', { name: /^Update ticket/ }).click();
}
