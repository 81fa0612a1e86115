import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { consentRedirect, startM365World, type M365World } from '../../../electron/core/test/m365World.js';
import { openDesktop, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * A client's Microsoft 365 tenants over the real core and server, with the Microsoft 365 fake.
 * The test is the browser: it takes the consent URL the app opened in a new tab, lets the fake's
 * administrator approve, and brings the return to the core's loopback listener.
 */
let w: M365World;
let desktop: Desktop | null = null;
/** What the app asked the browser to open (browser mode: window.open of a new tab). */
let tabs: string[] = [];
const realOpen = window.open;

beforeAll(async () => {
  w = await startM365World();
}, 90_000);
beforeEach(() => {
  tabs = [];
  window.open = (url?: string | URL) => {
    tabs.push(String(url));
    return null;
  };
});
afterEach(async () => {
  window.open = realOpen;
  await desktop?.close();
  desktop = null;
});
afterAll(async () => {
  await w?.close();
});

async function open(user: { email: string; password: string }, clientId: number) {
  desktop = await openDesktop(w.server.url, { signIn: user });
  const ctx = renderApp(desktop.source, `#/clients/${clientId}`);
  const section = await ctx.screen.findByRole('region', { name: 'Microsoft 365 tenants' }, { timeout: 10_000 });
  return { ...ctx, section };
}

const card = (section: HTMLElement, name: string) => within(section).findByRole('article', { name }, { timeout: 10_000 });

describe("A client's Microsoft 365 tenants", () => {
  test('a technician reads both tenants with licenses and Secure Score, and sees why Grant consent is not theirs', async () => {
    const { section } = await open(w.tech, w.clients.dataforth);
    for (const name of ['Dataforth', 'Dataforth EU']) {
      const tenant = await card(section, name);
      await within(tenant).findByText('Consent given', {}, { timeout: 10_000 });
      expect(within(within(tenant).getByRole('table', { name: 'Licenses' })).getByText('O365_BUSINESS_PREMIUM')).toBeTruthy();
      expect(within(tenant).getByText(/^\d+ of 100 \(\d+%\)/)).toBeTruthy();
    }
    expect(within(section).getByText('2 tenants mapped to this client.')).toBeTruthy();
    await desktop?.close();

    const harbor = await card((await open(w.tech, w.clients.harbor)).section, 'Harbor Dental');
    await within(harbor).findByText('Consent missing', {}, { timeout: 10_000 });
    expect((within(harbor).getByRole('button', { name: 'Grant consent in Harbor Dental' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(harbor).getByText('A partner admin can grant consent.')).toBeTruthy();
    expect(within(harbor).getByText('Licenses not read: no token in this tenant yet')).toBeTruthy();
  });

  test('an admin grants consent: the page opens in a new tab, the return is re-checked, and the tenant reads as consented', async () => {
    const { section, user } = await open(w.admin, w.clients.harbor);
    const harbor = await card(section, 'Harbor Dental');
    await within(harbor).findByText('Consent missing', {}, { timeout: 10_000 });
    await user.click(within(harbor).getByRole('button', { name: 'Grant consent in Harbor Dental' }));
    expect(await within(harbor).findByText('Waiting for an administrator of Harbor Dental to consent in the browser…', {}, { timeout: 10_000 })).toBeTruthy();
    await waitFor(() => expect(tabs).toHaveLength(1));
    const opened = tabs[0] ?? '';
    expect(new URL(opened).pathname).toBe(`/${w.tenants.harbor}/adminconsent`);
    // A blocked popup leaves the page one click away.
    expect(within(harbor).getByRole('link', { name: /Open the consent page/ }).getAttribute('href')).toBe(opened);

    expect((await fetch(await consentRedirect(opened))).status).toBe(200);
    await within(harbor).findByText('Consent given', {}, { timeout: 10_000 });
    expect(await within(harbor).findByRole('table', { name: 'Licenses' }, { timeout: 10_000 })).toBeTruthy();
    expect(within(harbor).queryByRole('button', { name: /Grant consent/ })).toBeNull();
  });
});
