import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Client } from '../../../shared/clients.js';
import { startFakeSyncro, type FakeSyncro } from '../../../server/integrations/syncro/fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../../../server/integrations/syncro/index.js';
import type { SyncUser } from '../../../electron/core/test/syncHarness.js';
import { openDesktop, SyncServer, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * The Actions tab over the real desktop core, server and Syncro fake: the list comes from the
 * server's listing alone; a read runs and shows its result; a side-effectful one is reviewed,
 * refused field by field when the server says so, then run once. Technicians see it disabled.
 */
const token = 'renderer-actions-token';
let fake: FakeSyncro;
let plugin: SyncroPlugin;
let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
let ticketId = '';
let desktop: Desktop | null = null;

beforeAll(async () => {
  fake = await startFakeSyncro();
  fake.addTenant('acme', { tokens: [{ token }], customers: 2, tickets: 0, customerNames: { 1: 'Dataforth Corp' }, ticketSpecs: [{ customerId: 1, subject: 'Scanner jams', status: 'New' }] });
  plugin = createSyncroPlugin({ checkTimeoutMs: 3_000, http: { retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  server = await SyncServer.start([plugin], { SYNCRO_BASE_URL: fake.baseUrl });
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  expect((await server.rest('POST', '/api/integrations/syncro/configure', admin, { settings: { subdomain: 'acme', api_token: token } })).status).toBe(201);
  const clientId = ((await server.rest('POST', '/api/clients', admin, { name: 'Dataforth Corp.' })).json() as Client).id;
  await server.rest('POST', '/api/integrations/syncro/mappings', admin, { clientId, externalOrgId: '1', externalOrgName: 'Dataforth Corp' });
  const found = await server.rest('POST', '/api/actions/syncro.tickets.find/run', admin, { input: { clientId } });
  ticketId = (found.json() as { output: { tickets: { id: string }[] } }).output.tickets[0]?.id ?? '';
  expect(ticketId).toMatch(/^\d+$/);
}, 60_000);
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  if (!server.app) await server.up();
});
afterAll(async () => {
  await server?.close();
  await plugin?.close();
  await fake?.close();
});

const comments = () => fake.writeCount({ route: 'comment', tenant: 'acme' });

describe('the Actions tab', () => {
  test('a read runs and shows its result; a comment is reviewed, refused beside its field, then sent once', async () => {
    desktop = await openDesktop(server.url, { signIn: admin });
    const ctx = renderApp(desktop.source, '#/integrations/syncro/actions');
    const list = await ctx.screen.findByRole('list', { name: 'Syncro actions' });
    const commentRow = within(list).getByText('Comment on a Syncro ticket').closest('li') as HTMLElement;
    expect(within(commentRow).getByText('Changes data at Syncro')).toBeTruthy();
    expect(within(ctx.screen.getByRole('navigation', { name: 'Syncro PSA sections' })).getByRole('link', { name: 'Actions' }).getAttribute('aria-current')).toBe('page');

    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Open Read a Syncro ticket' }));
    const readPanel = ctx.screen.getByRole('region', { name: 'Read a Syncro ticket' });
    await ctx.user.type(within(readPanel).getByLabelText(/Ticket id/), ticketId);
    await ctx.user.click(within(readPanel).getByRole('button', { name: 'Run' }));
    const result = await within(readPanel).findByTestId('action-result');
    expect(within(result).getAllByText('Scanner jams').length).toBeGreaterThan(0);

    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Open Comment on a Syncro ticket' }));
    const panel = ctx.screen.getByRole('region', { name: 'Comment on a Syncro ticket' });
    await ctx.user.type(within(panel).getByLabelText(/Ticket id/), 'abc');
    await ctx.user.type(within(panel).getByLabelText(/^Body/), 'Cleaned the rollers.');
    await ctx.user.click(within(panel).getByRole('button', { name: 'Review' }));
    expect(within(await within(panel).findByTestId('request-input')).getByText('Cleaned the rollers.')).toBeTruthy();
    const start = comments();
    await ctx.user.click(within(panel).getByRole('button', { name: 'Run' }));
    const ticketField = await within(panel).findByLabelText(/Ticket id/);
    await waitFor(() => expect(ticketField.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(`${ticketField.id}-error`)?.textContent).toMatch(/number Syncro gives a ticket/);
    expect(comments()).toBe(start);

    await ctx.user.clear(ticketField);
    await ctx.user.type(ticketField, ticketId);
    await ctx.user.click(within(panel).getByRole('button', { name: 'Review' }));
    await ctx.user.click(await within(panel).findByRole('button', { name: 'Run' }));
    await within(panel).findByText('Sent');
    expect(within(within(panel).getByTestId('action-result')).getAllByText('Cleaned the rollers.').length).toBeGreaterThan(0);
    expect(comments()).toBe(start + 1);
    // The tab keeps what this computer sent, with its key.
    expect(await ctx.screen.findByRole('heading', { name: 'Sent from this computer' })).toBeTruthy();
  });

  test('offline, a run is kept on this computer and sent once when the server is back; the panel follows it', async () => {
    desktop = await openDesktop(server.url, { signIn: admin });
    const ctx = renderApp(desktop.source, '#/integrations/syncro/actions');
    await ctx.screen.findByRole('list', { name: 'Syncro actions' });
    await server.down();
    await desktop.source.syncNow().catch(() => undefined);
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Open Comment on a Syncro ticket' }));
    const panel = ctx.screen.getByRole('region', { name: 'Comment on a Syncro ticket' });
    await within(panel).findByText(/You’re offline\. Run keeps this on this computer/);
    await ctx.user.type(within(panel).getByLabelText(/Ticket id/), ticketId);
    await ctx.user.type(within(panel).getByLabelText(/^Body/), 'Queued while offline.');
    await ctx.user.click(within(panel).getByRole('button', { name: 'Review' }));
    const start = comments();
    await ctx.user.click(await within(panel).findByRole('button', { name: 'Queue' }));
    await within(panel).findByText(/Kept on this computer/);
    expect(comments()).toBe(start);

    expect((await desktop.source.listActionRequests()).map((r) => [r.label, r.state])).toEqual([['Comment on a Syncro ticket', 'queued']]);
    // Nothing to click: the panel follows the request as it goes out by itself.
    await server.up();
    await within(panel).findByText('Sent', {}, { timeout: 10_000 });
    expect(comments()).toBe(start + 1);
    window.location.hash = '#/changes';
    await ctx.screen.findByRole('heading', { level: 1, name: 'Pending changes' });
    expect(ctx.screen.queryByRole('heading', { name: 'Actions waiting to be sent' })).toBeNull();
    await desktop.source.syncNow();
    expect(comments()).toBe(start + 1);
  });

  test('a technician sees side-effectful actions disabled, partner admins only, and runs reads', async () => {
    desktop = await openDesktop(server.url, { signIn: tech });
    const ctx = renderApp(desktop.source, '#/integrations/syncro/actions');
    const list = await ctx.screen.findByRole('list', { name: 'Syncro actions' });
    const open = within(list).getByRole('button', { name: 'Open Comment on a Syncro ticket' }) as HTMLButtonElement;
    expect(open.disabled).toBe(true);
    const reason = document.getElementById(open.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toBe('Partner admins only.');
    expect((within(list).getByRole('button', { name: 'Open Read a Syncro ticket' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
