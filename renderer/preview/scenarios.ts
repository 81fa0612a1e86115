import type { Page } from 'playwright-core';

/** One preview screen to capture: where to go, when it is ready, and what to do before the shot. */
export interface Scenario {
  name: string;
  query: string;
  hash?: string;
  ready(page: Page): Promise<unknown>;
  act?(page: Page): Promise<unknown>;
  fullPage?: boolean;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
const auditLoaded = (page: Page) => page.getByText(/entries loaded/).waitFor();

export const scenarios: Scenario[] = [
  { name: 'first-run', query: 'as=none&firstrun=1', ready: (p) => heading(p, 'Connect to your server') },
  { name: 'login', query: 'as=none', ready: (p) => heading(p, 'Sign in') },
  { name: 'login-session-ended', query: 'as=none&ended=1', ready: (p) => p.getByText('Your session ended.').waitFor() },
  {
    name: 'login-wrong-password',
    query: 'as=none',
    ready: (p) => heading(p, 'Sign in'),
    act: async (p) => {
      await p.getByLabel('Email').fill('admin@acme.test');
      await p.getByLabel('Password').fill('not the password');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByText('Email or password is incorrect.').waitFor();
    },
  },
  { name: 'catalog', query: 'as=admin', ready: (p) => p.getByText(/Showing \d+ of \d+ integrations/).waitFor() },
  {
    name: 'catalog-filtered-empty',
    query: 'as=admin',
    ready: (p) => p.getByText(/Showing \d+ of \d+ integrations/).waitFor(),
    act: async (p) => {
      await p.getByRole('button', { name: /^Backup/ }).click();
      await p.getByLabel('Search integrations').fill('zzz');
      await p.getByText('No integrations match').waitFor();
    },
  },
  {
    // Keyboard only: Tab from the top of the page to the first card; the focus ring must show.
    name: 'catalog-keyboard-focus',
    query: 'as=admin',
    ready: (p) => p.getByText(/Showing \d+ of \d+ integrations/).waitFor(),
    act: async (p) => {
      for (let i = 0; i < 40; i++) {
        await p.keyboard.press('Tab');
        if ((await p.evaluate('document.activeElement && document.activeElement.getAttribute("href")')) === '#/integrations/syncro') return;
      }
      throw new Error('the Syncro card is not reachable with Tab');
    },
    fullPage: false,
  },
  { name: 'detail-syncro', query: 'as=admin', hash: '#/integrations/syncro', ready: auditLoaded },
  { name: 'detail-msp360-error', query: 'as=admin', hash: '#/integrations/msp360', ready: auditLoaded },
  { name: 'detail-not-configured', query: 'as=admin', hash: '#/integrations/ninjaone', ready: (p) => p.getByText('No audit entries yet').waitFor() },
  {
    name: 'detail-delete-dialog',
    query: 'as=admin',
    hash: '#/integrations/syncro',
    ready: auditLoaded,
    act: async (p) => {
      await p.getByRole('button', { name: 'Delete configuration…' }).click();
      await p.getByRole('alertdialog').waitFor();
    },
    fullPage: false,
  },
  { name: 'changes', query: 'as=admin', hash: '#/changes', ready: (p) => p.getByText('Changed on both sides').waitFor() },
  { name: 'changes-empty', query: 'as=admin&drafts=0', hash: '#/changes', ready: (p) => p.getByText('No pending changes').waitFor() },
  { name: 'offline-catalog', query: 'as=admin&offline=1', ready: (p) => p.getByText(/Showing \d+ of \d+ integrations/).waitFor() },
  { name: 'offline-detail', query: 'as=admin&offline=1', hash: '#/integrations/syncro', ready: auditLoaded },
  { name: 'technician-detail', query: 'as=tech', hash: '#/integrations/msp360', ready: auditLoaded },
  { name: 'settings', query: 'as=admin', hash: '#/settings', ready: (p) => heading(p, 'Settings') },
  { name: 'dev-fleet', query: 'as=dev', hash: '#/fleet', ready: (p) => heading(p, 'Fleet') },
  {
    name: 'dev-viewing-partner',
    query: 'as=dev',
    hash: '#/fleet',
    ready: (p) => heading(p, 'Fleet'),
    act: async (p) => {
      await p.getByRole('button', { name: 'View Northwind MSP’s integrations' }).click();
      await p.getByText(/Showing \d+ of \d+ integrations/).waitFor();
    },
  },
];
