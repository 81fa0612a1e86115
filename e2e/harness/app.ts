import type { Page } from 'playwright-core';

/**
 * What a user does in the app, shared by the suites: sign in and out, open an integration, read
 * the toasts; and a raw call of the local API from the page.
 */

// The page's own globals, for callbacks Playwright runs in the page (e2e is type-checked as Node code).
declare const sessionStorage: { getItem(key: string): string | null };

export const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
export const toasts = (page: Page) => page.getByRole('region', { name: 'Notifications' });
export const toast = (page: Page, text: string | RegExp) => toasts(page).getByText(text);

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs out; with unsent changes, confirms that they go (the core deletes them with the cache). */
export async function signOut(page: Page, options: { discardUnsent?: boolean } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  if (options.discardUnsent) {
    await page.getByRole('alertdialog', { name: 'Sign out and lose unsent changes?' }).getByRole('button', { name: 'Sign out anyway' }).click();
  }
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

export async function openIntegration(page: Page, name: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByText(/(entry|entries) loaded|No audit entries yet/).waitFor();
}

const mutations = ['session.switchPartner', 'drafts.save', 'integrations.test'];

/** A raw call of the local API from the page, with the page's own launch token: what a bug or an injected script could try. */
export function callLocal(page: Page, procedure: string, input?: unknown): Promise<{ status: number; body: string }> {
  return page.evaluate(
    async ([procedure, input, mutation]) => {
      const token = sessionStorage.getItem('ic.launchToken') ?? '';
      const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      const res = await fetch(mutation ? `/trpc/${procedure}` : `/trpc/${procedure}${query}`, {
        method: mutation ? 'POST' : 'GET',
        headers: { 'x-ic-launch-token': token, 'content-type': 'application/json' },
        body: mutation ? JSON.stringify(input) : undefined,
      });
      return { status: res.status, body: await res.text() };
    },
    [procedure, input, mutations.includes(procedure)] as const,
  );
}
