import { within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { renderApp } from '../../test/renderApp.js';

const cards = (screen: ReturnType<typeof renderApp>['screen']) => within(screen.getByRole('list', { name: 'Integrations' })).getAllByRole('listitem');

describe('IntegrationCenter', () => {
  test('shows a card per catalog entry with name, provider, category and status', async () => {
    const { screen } = renderApp();
    await screen.findByText('Showing 7 of 7 integrations');
    const syncro = screen.getByRole('link', { name: /Syncro PSA/ });
    expect(syncro.getAttribute('href')).toBe('#/integrations/syncro');
    expect(within(syncro).getByText('Syncro · PSA')).toBeTruthy();
    expect(within(syncro).getByText('Active').className).toContain('badge-ok');
    const msp360 = screen.getByRole('link', { name: /MSP360 Managed Backup/ });
    expect(within(msp360).getByText('Error').className).toContain('badge-danger');
    expect(within(msp360).getByText(/MSP360 refused the API login/)).toBeTruthy();
  });

  test('filters by category and searches by text', async () => {
    const { screen, user } = renderApp();
    await screen.findByText('Showing 7 of 7 integrations');
    await user.click(screen.getByRole('button', { name: /^RMM/ }));
    expect(screen.getByRole('button', { name: /^RMM/ }).getAttribute('aria-pressed')).toBe('true');
    expect(cards(screen).map((c) => within(c).getByRole('heading').textContent)).toEqual(['NinjaOne', 'Tactical RMM']);
    await user.type(screen.getByLabelText('Search integrations'), 'self-hosted');
    expect(cards(screen).map((c) => within(c).getByRole('heading').textContent)).toEqual(['Tactical RMM']);
    expect(screen.getByText('Showing 1 of 7 integrations')).toBeTruthy();
  });

  test('an empty result says so and offers to clear the filters', async () => {
    const { screen, user } = renderApp();
    await screen.findByText('Showing 7 of 7 integrations');
    await user.type(screen.getByLabelText('Search integrations'), 'no such thing');
    expect(screen.getByRole('heading', { name: 'No integrations match' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(cards(screen)).toHaveLength(7);
  });

  test('works offline from the cache', async () => {
    const { screen } = renderApp({ online: false });
    await screen.findByText('Showing 7 of 7 integrations');
    expect(screen.getByText('You’re offline.').closest('[role="note"]')?.textContent).toContain('saved as drafts');
    expect(screen.getByText('Offline')).toBeTruthy();
    expect(screen.getByText(/Last synced/).textContent).toMatch(/Last synced .+ago/);
  });
});
