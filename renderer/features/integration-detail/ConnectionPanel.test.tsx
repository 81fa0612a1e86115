import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeAuthorizationServer, type FakeAuthorizationServer } from '../../../server/integrations/oauth2/testing/fakeAuthorizationServer.js';
import { createOAuthTestPlugin, oauthTestSettings } from '../../../server/integrations/testing/oauthPlugin.js';
import type { SyncUser } from '../../../electron/core/test/syncHarness.js';
import { openDesktop, SyncServer, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * The Connection panel and the reconnect banner over the real core and server, with the generic
 * fake authorization server as the vendor. The test is the browser: it takes the URL the app
 * opened in a new tab, lets the fake sign the person in, and brings the redirect back to the
 * core's loopback listener.
 */
let fake: FakeAuthorizationServer;
let plugin: ReturnType<typeof createOAuthTestPlugin>;
let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
let desktop: Desktop | null = null;
/** What the app asked the browser to open (browser mode: window.open of a new tab). */
let tabs: string[] = [];
const realOpen = window.open;

beforeAll(async () => {
  fake = await startFakeAuthorizationServer();
  plugin = createOAuthTestPlugin(fake);
  server = await SyncServer.start([plugin]);
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  const configured = await server.rest('POST', '/api/integrations/oauthtest/configure', admin, { settings: oauthTestSettings('code') });
  expect(configured.status).toBe(201);
}, 60_000);
beforeEach(() => {
  tabs = [];
  // jsdom opens no windows; a popup blocker answers null the same way.
  window.open = (url?: string | URL) => {
    tabs.push(String(url));
    return null;
  };
});
afterEach(async () => {
  window.open = realOpen;
  await desktop?.close();
  desktop = null;
  Object.assign(fake, { lifetimeSeconds: 3600, revokeRefreshTokens: false, denyNext: false });
  await server.rest('DELETE', '/api/integrations/oauthtest/connection', admin);
});
afterAll(async () => {
  await server?.close();
  await plugin?.close();
  await fake?.close();
});

async function open(user: { email: string; password: string }) {
  desktop = await openDesktop(server.url, { signIn: user });
  const ctx = renderApp(desktop.source, '#/integrations/oauthtest');
  await ctx.screen.findByText(/No audit entries yet|entr(y|ies) loaded/);
  const panel = await ctx.screen.findByRole('region', { name: 'Connection' });
  return { ...ctx, panel };
}

/** The browser: the fake signs in at once and redirects to the app's loopback listener. */
async function signInAtVendor(authorizeUrl: string): Promise<void> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const back = await fetch(res.headers.get('location') ?? '');
  expect(back.status).toBe(200);
}

describe('Connection panel', () => {
  test('shows what it will ask for, connects through the browser, then shows what was granted; disconnect asks first', async () => {
    const { panel, user, screen } = await open(admin);
    await within(panel).findByText('Sign in at OAuth Test Ltd');
    expect(within(panel).getByText('Integration Center will ask OAuth Test Ltd for: read, offline_access')).toBeTruthy();
    expect(within(panel).getByText('Not connected')).toBeTruthy();

    await user.click(within(panel).getByRole('button', { name: 'Connect' }));
    expect(await within(panel).findByText('Waiting for you to sign in in your browser…')).toBeTruthy();
    await waitFor(() => expect(tabs).toHaveLength(1));
    const opened = tabs[0] ?? '';
    expect(new URL(opened).origin).toBe(fake.origin);
    // Popup blockers and `noopener` both answer null: the page stays one click away.
    expect(within(panel).getByRole('link', { name: /Open the sign-in page/ }).getAttribute('href')).toBe(opened);
    expect((within(panel).getByRole('button', { name: 'Connect' }) as HTMLButtonElement).disabled).toBe(true);

    await signInAtVendor(opened);
    await within(panel).findByText('Connected');
    expect(within(panel).getByText('Scopes granted').nextElementSibling?.textContent).toBe('read, offline_access');
    expect(within(panel).getByText('Token expires').nextElementSibling?.textContent).not.toBe('No token now');
    expect(within(panel).queryByText(/Waiting for you/)).toBeNull();
    expect(screen.queryByText(/refused to renew access|Disconnected from OAuth Test Ltd/)).toBeNull();

    await user.click(within(panel).getByRole('button', { name: 'Disconnect…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Disconnect from OAuth Test Ltd?' });
    await user.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    await within(panel).findByText('Not connected');
    expect(await screen.findByText('Disconnected from OAuth Test Ltd')).toBeTruthy();
    expect(within(panel).getByText('Integration Center will ask OAuth Test Ltd for: read, offline_access')).toBeTruthy();
  });

  test('Cancel stops waiting; a refusal at the vendor says so', async () => {
    const { panel, user } = await open(admin);
    await user.click(await within(panel).findByRole('button', { name: 'Connect' }));
    await user.click(await within(panel).findByRole('button', { name: 'Cancel' }));
    expect(await within(panel).findByText('Sign-in cancelled.')).toBeTruthy();

    fake.denyNext = true;
    const connect = within(panel).getByRole('button', { name: 'Connect' }) as HTMLButtonElement;
    await waitFor(() => expect(connect.disabled).toBe(false));
    await user.click(connect);
    await waitFor(() => expect(tabs).toHaveLength(2));
    const res = await fetch(tabs[1] ?? '', { redirect: 'manual' });
    expect((await fetch(res.headers.get('location') ?? '')).status).toBe(400);
    expect(await within(panel).findByText('OAuth Test Ltd did not grant access (access_denied): press Connect to try again')).toBeTruthy();
    expect(within(panel).getByText('Not connected')).toBeTruthy();
  });

  test('technicians see the connection but not a usable Connect, and why', async () => {
    const { panel } = await open(tech);
    await within(panel).findByText('Sign in at OAuth Test Ltd');
    expect((within(panel).getByRole('button', { name: 'Connect' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(panel).getByText('Only partner admins can connect.')).toBeTruthy();
  });
});

describe('reconnect banner', () => {
  test('a refused renewal shows "reconnect needed" with Connect, then "disconnected"; the rest of the screen stays', async () => {
    // Connected with a token that is already due for renewal, which the vendor then refuses.
    fake.lifetimeSeconds = 60;
    desktop = await openDesktop(server.url, { signIn: admin });
    const started = await desktop.core.services.oauth.connect('oauthtest');
    await signInAtVendor(started.authorizeUrl ?? '');
    await waitFor(() => expect(desktop?.core.services.oauth.signIn('oauthtest')?.phase).toBe('connected'));
    fake.revokeRefreshTokens = true;
    await server.rest('POST', '/api/integrations/oauthtest/test', admin, {});

    const ctx = renderApp(desktop.source, '#/integrations/oauthtest');
    const banner = (await ctx.screen.findByText('OAuth Test Ltd refused to renew access: reconnect needed')).closest('[role="alert"]') as HTMLElement;
    expect((within(banner).getByRole('button', { name: 'Connect' }) as HTMLButtonElement).disabled).toBe(false);
    expect(ctx.screen.getByRole('region', { name: 'Status' })).toBeTruthy();
    expect(ctx.screen.getByRole('heading', { name: 'Configuration' })).toBeTruthy();
    expect(within(ctx.screen.getByRole('region', { name: 'Connection' })).getByText('Reconnect needed')).toBeTruthy();

    // Two more refusals disconnect it (the server's rule); the banner follows on the next read.
    await server.rest('POST', '/api/integrations/oauthtest/test', admin, {});
    await server.rest('POST', '/api/integrations/oauthtest/test', admin, {});
    ctx.unmount();
    const again = renderApp(desktop.source, '#/integrations/oauthtest');
    expect(await again.screen.findByText('Disconnected from OAuth Test Ltd: its actions are unavailable until you connect again')).toBeTruthy();
  });
});
