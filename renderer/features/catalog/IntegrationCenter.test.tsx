import { within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { demoLogin, goOffline, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

// The demo world: Northwind's Syncro is not set up, its MSP360 works; the catalog ships two entries.
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

const cards = (screen: ReturnType<typeof renderApp>['screen']) => within(screen.getByRole('list', { name: 'Integrations' })).getAllByRole('listitem');

async function openAsNorthwind() {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@northwind.example') });
  return desktop;
}

describe('IntegrationCenter', () => {
  test('shows a card per catalog entry with name, provider, category and status', async () => {
    const { screen } = renderApp((await openAsNorthwind()).source);
    await screen.findByText('Showing 8 of 8 integrations');
    const syncro = screen.getByRole('link', { name: /Syncro PSA/ });
    expect(syncro.getAttribute('href')).toBe('#/integrations/syncro');
    expect(within(syncro).getByText('Syncro · PSA')).toBeTruthy();
    expect(within(syncro).getByText('Not set up yet')).toBeTruthy();
    const msp360 = screen.getByRole('link', { name: /MSP360 Managed Backup/ });
    expect(within(msp360).getByText('Active').className).toContain('badge-ok');
  });

  test('filters by category and searches by text', async () => {
    const { screen, user } = renderApp((await openAsNorthwind()).source);
    await screen.findByText('Showing 8 of 8 integrations');
    await user.click(screen.getByRole('button', { name: /^Backup/ }));
    expect(screen.getByRole('button', { name: /^Backup/ }).getAttribute('aria-pressed')).toBe('true');
    expect(cards(screen).map((c) => within(c).getByRole('heading').textContent)).toEqual(['MSP360 Managed Backup']);
    await user.click(screen.getByRole('button', { name: /^All/ }));
    await user.type(screen.getByLabelText('Search integrations'), 'tickets');
    expect(cards(screen).map((c) => within(c).getByRole('heading').textContent)).toEqual(['Syncro PSA']);
    expect(screen.getByText('Showing 1 of 8 integrations')).toBeTruthy();
  });

  test('an empty result says so and offers to clear the filters', async () => {
    const { screen, user } = renderApp((await openAsNorthwind()).source);
    await screen.findByText('Showing 8 of 8 integrations');
    await user.type(screen.getByLabelText('Search integrations'), 'no such thing');
    expect(screen.getByRole('heading', { name: 'No integrations match' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(cards(screen)).toHaveLength(8);
  });

  test('works offline from the cache', async () => {
    const northwind = await openAsNorthwind();
    await goOffline(world, northwind);
    const { screen } = renderApp(northwind.source);
    await screen.findByText('Showing 8 of 8 integrations');
    expect((await screen.findByText('You’re offline.')).closest('[role="note"]')?.textContent).toContain('Changes you save are queued and applied by themselves when you reconnect.');
    expect(screen.getByText('Offline')).toBeTruthy();
    expect(screen.getByText(/Last synced/).textContent).toMatch(/Last synced .+ago|Last synced just now/);
  });
});
