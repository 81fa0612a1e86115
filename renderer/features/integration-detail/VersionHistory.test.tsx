import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { demoLogin, goOffline, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * The Version history card over the real core and server, in the demo world: Northwind's MSP360
 * works (login northwind-api); each test makes the versions it needs through the REST API, as
 * another admin would (the world's database carries over between tests: only the server restarts).
 */
let world: World;
let desktop: Desktop | null = null;
beforeAll(async () => {
  world = await World.start();
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  await world.restart();
});
afterAll(() => world.close());

const northwind = () => world.user('admin@northwind.example');

async function reconfigure(settings: Record<string, string>) {
  const res = await world.rest<{ state: { version: number } }>('POST', '/api/integrations/msp360/reconfigure', northwind(), { settings });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.state.version;
}

async function open(email: string) {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, email) });
  const ctx = renderApp(desktop.source, '#/integrations/msp360');
  const card = await ctx.screen.findByRole('region', { name: 'Version history' });
  await within(card).findByRole('list', { name: 'Versions, newest first' });
  return { ...ctx, card };
}

const rowOf = (card: HTMLElement, version: number) => within(card).getAllByRole('listitem').find((li) => li.querySelector('strong')?.textContent === `Version ${version}`);

describe('Version history', () => {
  test('lists the versions newest first with who, the diff and the marks; rolling back restores the old settings as a new version', async () => {
    const before = await reconfigure({ api_login: 'northwind-api', api_password: world.credentials.northwindMspPassword });
    const now = await reconfigure({ api_login: world.credentials.northwindMspOps, api_password: '' });
    const { screen, user, card } = await open('admin@northwind.example');

    const current = rowOf(card, now);
    expect(current?.textContent).toContain(`by ${northwind().email}`);
    expect(within(current as HTMLElement).getByText('Current')).toBeTruthy();
    expect(current?.textContent).toContain(`API login: northwind-api → ${world.credentials.northwindMspOps}`);
    expect(within(current as HTMLElement).queryByRole('button', { name: /Roll back/ })).toBeNull();

    await user.click(within(rowOf(card, before) as HTMLElement).getByRole('button', { name: 'Roll back to this version…' }));
    const dialog = screen.getByRole('alertdialog', { name: `Roll back to version ${before}?` });
    expect(within(dialog).getByRole('list', { name: 'Changes back' }).textContent).toContain(`API login: ${world.credentials.northwindMspOps} → northwind-api`);
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));

    expect(await screen.findByText(`Restored version ${before} as version ${now + 1}`, undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    // The form shows the restored login, and the list the new version that restored it.
    await waitFor(() => expect((screen.getByLabelText(/API login/) as HTMLInputElement).value).toBe('northwind-api'));
    await waitFor(() => expect(rowOf(card, now + 1)?.textContent).toContain(`Restored version ${before}`));
    expect(within(rowOf(card, now + 1) as HTMLElement).getByText('Current')).toBeTruthy();
    const onServer = await world.rest<{ settings: { api_login: string }; state: { version: number } }>('GET', '/api/integrations/msp360', northwind());
    expect([onServer.json.settings.api_login, onServer.json.state.version]).toEqual(['northwind-api', now + 1]);
  });

  test('a technician sees the history, but rolling back is disabled and says why', async () => {
    await reconfigure({ api_login: world.credentials.northwindMspOps, api_password: '' });
    const { card } = await open('tech@northwind.example');
    expect(within(card).getByText('Only partner admins can roll back.')).toBeTruthy();
    const buttons = within(card).getAllByRole('button', { name: 'Roll back to this version…' });
    expect(buttons.length).toBeGreaterThan(0);
    for (const b of buttons) expect((b as HTMLButtonElement).disabled).toBe(true);
  });

  test('in Error, one button goes back to the last version that passed a check', async () => {
    // The working configuration is checked (it passes), then broken and checked again (it fails).
    const good = await reconfigure({ api_login: 'northwind-api', api_password: world.credentials.northwindMspPassword });
    await world.rest('POST', '/api/integrations/msp360/test', northwind(), {});
    const broken = await reconfigure({ api_login: 'northwind-api', api_password: 'wrong-password' });
    await world.rest('POST', '/api/integrations/msp360/test', northwind(), {});
    const { screen, user, card } = await open('admin@northwind.example');

    expect(within(rowOf(card, good) as HTMLElement).getByText('Passed a check')).toBeTruthy();
    expect(within(rowOf(card, broken) as HTMLElement).queryByText('Passed a check')).toBeNull();
    // The Status panel offers it too, under the vendor's message.
    expect(within(screen.getByRole('region', { name: 'Status' })).getByRole('button', { name: `Roll back to the last passing version (${good})` })).toBeTruthy();

    await user.click(within(card).getByRole('button', { name: `Roll back to the last passing version (${good})` }));
    const dialog = screen.getByRole('alertdialog', { name: `Roll back to version ${good}?` });
    expect(within(dialog).getByRole('list', { name: 'Changes back' }).textContent).toContain('API password: changed');
    expect(dialog.textContent).not.toContain(world.credentials.northwindMspPassword);
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect(await screen.findByText(`Restored version ${good} as version ${broken + 1}`, undefined, { timeout: 10_000 })).toBeTruthy();
    await waitFor(() => expect(rowOf(card, broken + 1)?.textContent).toContain(`Restored version ${good}`));
  });

  test('a change made meanwhile is a conflict: the dialog says so and the list is read again', async () => {
    const before = await reconfigure({ api_login: 'northwind-api', api_password: world.credentials.northwindMspPassword });
    const now = await reconfigure({ api_login: world.credentials.northwindMspOps, api_password: '' });
    const { screen, user, card } = await open('admin@northwind.example');
    await user.click(within(rowOf(card, before) as HTMLElement).getByRole('button', { name: 'Roll back to this version…' }));
    // Another admin saves while the dialog is open.
    const meanwhile = await reconfigure({ api_login: 'northwind-third', api_password: '' });
    expect(meanwhile).toBe(now + 1);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Roll back' }));
    expect(await within(screen.getByRole('alertdialog')).findByText(/Someone changed this integration meanwhile/)).toBeTruthy();
    await waitFor(() => expect(rowOf(card, meanwhile)).toBeTruthy());
  });

  test('offline, the list is the copy last read, and a rollback is queued and applied when the server answers again', async () => {
    const before = await reconfigure({ api_login: 'northwind-api', api_password: world.credentials.northwindMspPassword });
    const now = await reconfigure({ api_login: world.credentials.northwindMspOps, api_password: '' });
    const { screen, user, card } = await open('admin@northwind.example');
    await waitFor(() => expect(rowOf(card, now)).toBeTruthy());
    if (!desktop) throw new Error('no desktop');
    await goOffline(world, desktop);

    await user.click(within(rowOf(card, before) as HTMLElement).getByRole('button', { name: 'Roll back to this version…' }));
    const dialog = screen.getByRole('alertdialog', { name: `Roll back to version ${before}?` });
    expect(dialog.textContent).toContain('You are offline. The rollback is kept in Pending changes');
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect(await screen.findByText(`Rollback to version ${before} queued`)).toBeTruthy();
    // Read again offline: the copy, with its age, still lists every version.
    expect(await within(card).findByText(/Offline: the list as read/)).toBeTruthy();
    expect(rowOf(card, now)).toBeTruthy();

    await world.restart();
    await waitFor(
      async () => {
        await desktop?.source.syncNow().catch(() => undefined);
        const onServer = await world.rest<{ settings: { api_login: string }; state: { version: number } }>('GET', '/api/integrations/msp360', northwind());
        expect([onServer.json.settings.api_login, onServer.json.state.version]).toEqual(['northwind-api', now + 1]);
      },
      { timeout: 15_000, interval: 500 },
    );
  });
});
