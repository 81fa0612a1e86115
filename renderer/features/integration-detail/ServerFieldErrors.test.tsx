import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openDesktop, SyncServer, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * Field errors only the server can find, shown where they belong. The server runs the
 * controllable test plugin, whose cross-field rule (a webhook secret needs a base URL) no field
 * spec expresses, so the form lets the values through and the server's rule refuses them.
 */
let server: SyncServer;
let admin: { email: string; password: string };
let desktop: Desktop | null = null;
const refusal = 'Set a base URL to receive webhooks';

beforeAll(async () => {
  server = await SyncServer.start();
  admin = await server.user((await server.partner()).id);
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  await server.up().catch(() => undefined);
});
afterAll(() => server.close());

async function fillWebhookWithoutBaseUrl(ctx: ReturnType<typeof renderApp>, scope: HTMLElement = document.body) {
  const within_ = within(scope);
  await ctx.user.type(within_.getByLabelText(/Subdomain/), 'acme');
  await ctx.user.type(within_.getByLabelText(/API token/, { selector: 'input' }), 'tok-1234');
  await ctx.user.type(within_.getByLabelText(/Webhook secret/, { selector: 'input' }), 'whs-5678');
  await ctx.user.selectOptions(within_.getByLabelText(/Region/), 'us');
}

describe('server field errors', () => {
  test('a refused save shows the server’s message on the field, takes focus there, and leaves no draft', async () => {
    desktop = await openDesktop(server.url, { signIn: admin });
    const ctx = renderApp(desktop.source, '#/integrations/testvendor');
    await ctx.screen.findByText(/No audit entries yet|entries loaded/);
    await fillWebhookWithoutBaseUrl(ctx);
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Save and connect' }));
    const baseUrl = ctx.screen.getByLabelText(/Base URL/);
    await waitFor(() => expect(baseUrl.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(`${baseUrl.id}-error`)?.textContent).toBe(refusal);
    expect(document.activeElement).toBe(baseUrl);
    expect(await desktop.source.listDrafts()).toEqual([]);
  });

  test('a draft the server refuses when it is sent shows why and opens with the field errors', async () => {
    desktop = await openDesktop(server.url, { signIn: admin });
    await server.down();
    await desktop.source.syncNow().catch(() => undefined);
    const ctx = renderApp(desktop.source, '#/integrations/testvendor');
    await ctx.screen.findByText(/You’re offline: saving queues the change/);
    await fillWebhookWithoutBaseUrl(ctx);
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Queue change' }));
    await ctx.screen.findByText('Queued');
    window.location.hash = '#/changes';
    await ctx.screen.findByRole('heading', { name: 'Test Vendor' });
    // Nothing to click: the queued change goes out when the server is back, and is refused.
    await server.up();
    expect(await ctx.screen.findByText(/The server refused this change/, {}, { timeout: 10_000 })).toBeTruthy();
    const card = () => ctx.screen.getByRole('heading', { name: 'Test Vendor' }).closest('article') as HTMLElement;
    await ctx.user.click(within(card()).getByRole('button', { name: 'Edit the Test Vendor draft' }));
    const field = within(card()).getByLabelText(/Base URL/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(`${field.id}-error`)?.textContent).toBe(refusal);
  });
});
