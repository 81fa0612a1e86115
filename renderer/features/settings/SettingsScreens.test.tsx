import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { waitFor } from '@testing-library/react';
import { demoLogin, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

let world: World;
let desktop: Desktop | null = null;
beforeAll(async () => {
  world = await World.start();
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
});
afterAll(() => world.close());

describe('first run, session end, settings', () => {
  test('the first run asks for the server address, checks it with the shared rule, then offers sign-in', async () => {
    desktop = await openDesktop(null);
    const { screen, user } = renderApp(desktop.source);
    await screen.findByRole('heading', { name: 'Connect to your server' });
    await user.type(screen.getByLabelText(/Server address/), 'http://integrations.example.com');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText(/Use an https address/)).toBeTruthy();
    await user.clear(screen.getByLabelText(/Server address/));
    await user.type(screen.getByLabelText(/Server address/), 'https://integrations.acme.test');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByText('https://integrations.acme.test')).toBeTruthy();
    // The core saved it: the next launch starts from it.
    expect((await desktop.client.settings.get.query()).serverUrl).toBe('https://integrations.acme.test');
  });

  test('after a session ends, sign-in says so, keeps the email, and promises the drafts are kept', async () => {
    const admin = world.user('admin@contoso.example');
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, admin.email) });
    await world.deps.db.pool.query('UPDATE users SET disabled = true WHERE id = $1', [admin.id]);
    try {
      await desktop.source.syncNow().catch(() => undefined);
      const { screen } = renderApp(desktop.source);
      expect((await screen.findByRole('note')).textContent).toMatch(/Your session ended\..*your drafts and the data cached on this computer are kept/);
      expect((screen.getByLabelText(/Email/) as HTMLInputElement).value).toBe(admin.email);
    } finally {
      await world.deps.db.pool.query('UPDATE users SET disabled = false WHERE id = $1', [admin.id]);
    }
  });

  test('signing out with unsent changes asks first; cancelling keeps the session', async () => {
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@northwind.example'), reviewMode: true });
    // Two drafts the core holds (review mode keeps saves local).
    await desktop.source.saveConfiguration({ key: 'syncro', settings: { subdomain: 'northwind', api_token: 'tok-1' }, mode: 'create', baseVersion: null });
    await desktop.source.deleteIntegration('msp360');
    const { screen, user } = renderApp(desktop.source, '#/settings');
    await screen.findByRole('heading', { name: 'Settings' });
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Sign out and lose unsent changes?' });
    expect(dialog.textContent).toContain('2 changes have not reached the server yet');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('heading', { name: 'Settings' })).toBeTruthy();
    expect((await desktop.source.getSession())?.user.email).toBe('admin@northwind.example');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await user.click(await screen.findByRole('button', { name: 'Sign out anyway' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(await desktop.source.getSession()).toBeNull();
  });

  test('review mode follows the switch at once, says so, and the core keeps it', async () => {
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@contoso.example') });
    const { screen, user } = renderApp(desktop.source, '#/settings');
    const toggle = (await screen.findByRole('switch', { name: 'Review changes before applying' })) as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    await user.click(toggle);
    expect(toggle.checked).toBe(true);
    expect(await screen.findByText('Review mode on')).toBeTruthy();
    expect((await desktop.source.getSyncStatus()).reviewMode).toBe(true);
  });

  test('the theme follows the choice at once on the page and the core saves it; System removes the override', async () => {
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@contoso.example') });
    const { screen, user } = renderApp(desktop.source, '#/settings');
    const system = (await screen.findByRole('radio', { name: /^System/ })) as HTMLInputElement;
    expect(system.checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBeUndefined();
    await user.click(screen.getByRole('radio', { name: /^Dark/ }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect((await desktop.source.getAppState()).theme).toBe('dark');
    await user.click(system);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
    expect((await desktop.source.getAppState()).theme).toBe('system');
  });

  test('AI assistants: a token is made, shown once, works at /mcp, is listed without it, and is revoked at once', async () => {
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@contoso.example') });
    const { screen, user } = renderApp(desktop.source, '#/settings');
    await screen.findByRole('heading', { name: 'AI assistants' });
    await user.click(screen.getByRole('button', { name: 'Make token' }));
    expect(await screen.findByText('Give the token a name')).toBeTruthy();
    await user.type(screen.getByLabelText(/^Name/), 'Claude on my laptop');
    await user.click(screen.getByRole('radio', { name: /^Read and change/ }));
    await user.click(screen.getByRole('button', { name: 'Make token' }));
    const token = (await screen.findByTestId('revealed-secret')).textContent ?? '';
    expect(token).toMatch(/^icp_/);
    const mcp = (t: string) =>
      fetch(`${world.url}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
    expect((await mcp(token)).status).toBe(200);
    const table = await screen.findByTestId('access-tokens');
    await waitFor(() => expect(table.textContent).toContain('Claude on my laptop'));
    expect(table.textContent).toContain('Read and change');
    expect(table.textContent).not.toContain(token.slice(10));
    await user.click(screen.getByRole('button', { name: 'Done, I saved it' }));
    expect(screen.queryByTestId('revealed-secret')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Revoke the token Claude on my laptop' }));
    await waitFor(() => expect(screen.getByTestId('access-tokens').textContent).toContain('Revoked'));
    const refused = await mcp(token);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/revoked/);
  });

  test("AI assistants: a technician's token can only be read-only", async () => {
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'tech@contoso.example') });
    const { screen } = renderApp(desktop.source, '#/settings');
    await screen.findByRole('heading', { name: 'AI assistants' });
    expect((screen.getByRole('radio', { name: /^Read and change/ }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('radio', { name: /^Read-only/ }) as HTMLInputElement).checked).toBe(true);
  });
});
