import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../../shared/integrations/oauth.js';
import { startFakeAuthorizationServer, type FakeAuthorizationServer } from '../../../server/integrations/oauth2/testing/fakeAuthorizationServer.js';
import { createOAuthTestPlugin, oauthTestSettings } from '../../../server/integrations/testing/oauthPlugin.js';
import { signInPageCsp } from '../oauth/signInPage.js';
import { coresOf } from '../test/cores.js';
import { SyncServer, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// OAuth2 sign-in through the desktop core, against the real server, PostgreSQL and the generic
// fake authorization server. The test plays the system browser: it follows the authorize URL
// (which the fake answers at once with a 302) and brings the redirect to the core's listener.

let fake: FakeAuthorizationServer;
let plugin: ReturnType<typeof createOAuthTestPlugin>;
let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
const cores = coresOf(() => server);

beforeAll(async () => {
  fake = await startFakeAuthorizationServer();
  plugin = createOAuthTestPlugin(fake);
  server = await SyncServer.start([plugin]);
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  const configured = await server.rest('POST', '/api/integrations/oauthtest/configure', admin, { settings: oauthTestSettings('code') });
  expect(configured.status, JSON.stringify(configured.json())).toBe(201);
}, 60_000);
afterEach(async () => {
  if (!server.app) await server.up();
  await server.rest('DELETE', '/api/integrations/oauthtest/connection', admin);
});
afterAll(async () => {
  await server?.close();
  await plugin?.close();
  await fake?.close();
});

const signedIn = (user: SyncUser) => cores.signedIn(user);

/** The browser at the vendor: the fake signs the person in at once and redirects back. */
async function vendorRedirect(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

/** The connection as another client of the server reads it (REST, the admin's token). */
async function serverConnection(): Promise<ConnectionView> {
  const res = await server.rest('GET', '/api/integrations/oauthtest/connection', admin);
  expect(res.status).toBe(200);
  return res.json() as ConnectionView;
}

const codeExchanges = () => fake.tokenRequests.authorization_code ?? 0;

describe('OAuth2 sign-in in the desktop core', () => {
  it('connects: listener, authorize URL, browser back with the code, server exchange; then the listener is gone', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.oauth;
    const before = await api.connection('oauthtest');
    expect(before).toMatchObject({ source: 'server', connection: { grant: 'oauth2AuthorizationCode', state: 'not_connected', scopesRequested: ['read', 'offline_access'], scopesGranted: [] } });

    const started = await api.connect('oauthtest');
    expect(started).toMatchObject({ phase: 'waiting', scopesRequested: ['read', 'offline_access'], message: null });
    const authorize = new URL(started.authorizeUrl ?? '');
    expect(authorize.origin).toBe(fake.origin);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const redirect = new URL(authorize.searchParams.get('redirect_uri') ?? '');
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(redirect.pathname).toBe('/callback');
    // The shell may open exactly this URL now, and only now.
    expect(h.core.services.shell.signInUrls()).toEqual([started.authorizeUrl]);

    // Other paths and methods are not the callback: 404, and the wait goes on.
    expect((await fetch(new URL('/other', redirect))).status).toBe(404);
    expect((await fetch(redirect, { method: 'POST' })).status).toBe(404);
    expect(api.signIn('oauthtest')?.phase).toBe('waiting');

    const back = await vendorRedirect(started.authorizeUrl ?? '');
    const page = await fetch(back);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(signInPageCsp);
    const html = await page.text();
    expect(html).toContain('Signed in — you can close this tab and return to Integration Center');
    expect(html).not.toMatch(/<script|<link|src=/);

    await waitFor(() => api.signIn('oauthtest')?.phase === 'connected');
    expect(api.signIn('oauthtest')).toMatchObject({ authorizeUrl: null, message: null });
    expect(h.core.services.shell.signInUrls()).toEqual([]);
    expect(await serverConnection()).toMatchObject({ state: 'connected', scopesGranted: ['read', 'offline_access'] });
    const after = await api.connection('oauthtest');
    expect(after.connection).toMatchObject({ state: 'connected', scopesGranted: ['read', 'offline_access'] });
    expect(after.connection.connectedAt).not.toBeNull();
    expect(after.connection.expiresAt).not.toBeNull();

    // One-shot: the same redirect again finds no listener at all.
    await expect(fetch(back)).rejects.toThrow();

    // Offline, the last answer is still there to show.
    await server.down();
    await expect(api.connect('oauthtest')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(await api.connection('oauthtest')).toMatchObject({ source: 'cache', connection: { state: 'connected' } });
  });

  it('refuses a callback with another state: the browser is told, nothing reaches the server', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.oauth;
    const exchanges = codeExchanges();
    const started = await api.connect('oauthtest');
    const back = await vendorRedirect(started.authorizeUrl ?? '');
    back.searchParams.set('state', 'A'.repeat(43));
    const page = await fetch(back);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('This sign-in was not started by Integration Center');
    await waitFor(() => api.signIn('oauthtest')?.phase === 'failed');
    expect(api.signIn('oauthtest')?.message).toMatch(/did not start \(its state did not match\); nothing was sent to the server: press Connect to try again/);
    expect(codeExchanges()).toBe(exchanges);
    expect((await serverConnection()).state).toBe('not_connected');
    // The listener is closed: the genuine callback cannot come later either.
    back.searchParams.set('state', new URL(started.authorizeUrl ?? '').searchParams.get('state') ?? '');
    await expect(fetch(back)).rejects.toThrow();
  });

  it('a sign-in the person refuses at the vendor fails with the vendor’s words', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.oauth;
    fake.denyNext = true;
    const started = await api.connect('oauthtest');
    const page = await fetch(await vendorRedirect(started.authorizeUrl ?? ''));
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('OAuth Test Ltd did not grant access');
    await waitFor(() => api.signIn('oauthtest')?.phase === 'failed');
    expect(api.signIn('oauthtest')?.message).toBe('OAuth Test Ltd did not grant access (access_denied): press Connect to try again');
    expect((await serverConnection()).state).toBe('not_connected');
  });

  it('cancel closes the listener; Connect again replaces a waiting sign-in', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.oauth;
    const first = await api.connect('oauthtest');
    const firstRedirect = new URL(new URL(first.authorizeUrl ?? '').searchParams.get('redirect_uri') ?? '');
    const second = await api.connect('oauthtest');
    expect(second.authorizeUrl).not.toBe(first.authorizeUrl);
    await expect(fetch(firstRedirect)).rejects.toThrow();
    expect(h.core.services.shell.signInUrls()).toEqual([second.authorizeUrl]);

    const back = await vendorRedirect(second.authorizeUrl ?? '');
    expect(await api.cancel('oauthtest')).toMatchObject({ phase: 'cancelled', authorizeUrl: null });
    expect(h.core.services.shell.signInUrls()).toEqual([]);
    await expect(fetch(back)).rejects.toThrow();
    expect((await serverConnection()).state).toBe('not_connected');
  });

  it('disconnects; technicians read the connection but cannot connect or disconnect', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.oauth;
    const started = await api.connect('oauthtest');
    await fetch(await vendorRedirect(started.authorizeUrl ?? ''));
    await waitFor(() => api.signIn('oauthtest')?.phase === 'connected');

    const t = await signedIn(tech);
    expect((await t.core.services.oauth.connection('oauthtest')).connection.state).toBe('connected');
    await expect(t.core.services.oauth.connect('oauthtest')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.core.services.oauth.disconnect('oauthtest')).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const gone = await api.disconnect('oauthtest');
    expect(gone.connection).toMatchObject({ state: 'not_connected', scopesGranted: [], connectedAt: null });
    expect(api.signIn('oauthtest')).toBeNull();
    expect((await serverConnection()).state).toBe('not_connected');
  });
});
