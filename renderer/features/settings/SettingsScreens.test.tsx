import { describe, expect, test } from 'vitest';
import { renderApp } from '../../test/renderApp.js';

describe('first run, session end, settings', () => {
  test('the first run asks for the server address, checks it with the shared rule, then offers sign-in', async () => {
    const { screen, user } = renderApp({ signedInAs: null, firstRun: true });
    await screen.findByRole('heading', { name: 'Connect to your server' });
    await user.type(screen.getByLabelText(/Server address/), 'http://integrations.example.com');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText(/Use an https address/)).toBeTruthy();
    await user.clear(screen.getByLabelText(/Server address/));
    await user.type(screen.getByLabelText(/Server address/), 'https://integrations.acme.test');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByText('https://integrations.acme.test')).toBeTruthy();
  });

  test('after a session ends, sign-in says so, keeps the email, and promises the drafts are kept', async () => {
    const { screen } = renderApp({ signedInAs: null, sessionEndedFor: 'admin@acme.test' });
    expect((await screen.findByRole('note')).textContent).toMatch(/Your session ended\..*your drafts and the data cached on this computer are kept/);
    expect((screen.getByLabelText(/Email/) as HTMLInputElement).value).toBe('admin@acme.test');
  });

  test('signing out with unsent changes asks first; cancelling keeps the session', async () => {
    const { screen, user } = renderApp({ hash: '#/settings' });
    await screen.findByRole('heading', { name: 'Settings' });
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Sign out and lose unsent changes?' });
    expect(dialog.textContent).toContain('3 changes have not reached the server yet');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('heading', { name: 'Settings' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await user.click(await screen.findByRole('button', { name: 'Sign out anyway' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
  });

  test('review mode follows the switch at once and says so', async () => {
    const { screen, user } = renderApp({ hash: '#/settings', withDrafts: false });
    const toggle = (await screen.findByRole('switch', { name: 'Review changes before applying' })) as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    await user.click(toggle);
    expect(toggle.checked).toBe(true);
    expect(await screen.findByText('Review mode on')).toBeTruthy();
  });
});
