import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { IntegrationSummary } from '../../shared/integrations/catalog.js';
import { demoLogin, openDesktop, World, type Desktop } from '../test/desktopWorld.js';
import { renderApp } from '../test/renderApp.js';
import { App } from './App.js';
import type { ReadScope } from './data/DataSource.js';
import { AppError } from '../../shared/errors.js';

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

async function northwindAdmin() {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@northwind.example') });
  return desktop;
}

test('a failed read says what happened and offers to try again', async () => {
  const { source } = await northwindAdmin();
  // A canned failure at the DataSource boundary (a corrupt or locked cache), then the real read.
  let failures = 1;
  const read = source.listIntegrations.bind(source);
  source.listIntegrations = async (scope?: ReadScope): Promise<IntegrationSummary[]> => {
    if (failures-- > 0) throw new AppError('INTERNAL', 'The local cache could not be read.');
    return read(scope);
  };
  window.location.hash = '#/';
  render(<App source={source} />);
  expect((await screen.findByRole('alert')).textContent).toContain('The local cache could not be read.');
  await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(await screen.findByText('Showing 8 of 8 integrations')).toBeTruthy();
});

test('a session the server ends returns to sign-in, naming who was signed in', async () => {
  const { source } = await northwindAdmin();
  window.location.hash = '#/';
  render(<App source={source} />);
  await screen.findByText('Showing 8 of 8 integrations');
  const admin = world.user('admin@northwind.example');
  // The account is disabled on the server: the core's next sync is refused and the session ends.
  await world.deps.db.pool.query('UPDATE users SET disabled = true WHERE id = $1', [admin.id]);
  try {
    await source.syncNow().catch(() => undefined);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect((screen.getByLabelText(/Email/) as HTMLInputElement).value).toBe(admin.email);
  } finally {
    await world.deps.db.pool.query('UPDATE users SET disabled = false WHERE id = $1', [admin.id]);
  }
});

test('an unknown route says so and links home', async () => {
  window.location.hash = '#/somewhere';
  render(<App source={(await northwindAdmin()).source} />);
  expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
  expect(screen.getByRole('link', { name: 'Go to Integrations' }).getAttribute('href')).toBe('#/');
});

test('signing out forgets the user in this window: toasts, screen, viewed partner and cached reads', async () => {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@acg.example') });
  const { screen: s, user } = renderApp(desktop.source, '#/fleet');
  await s.findByRole('table', { name: 'Integration status per partner' });
  await s.findByRole('option', { name: 'Contoso Managed IT' });
  await user.selectOptions(s.getByLabelText('Viewing partner'), 'Contoso Managed IT');
  await s.findByText('Read-only support view of another partner.');
  await user.click(s.getByRole('button', { name: 'Sync now' }));
  await within(s.getByRole('region', { name: 'Notifications' })).findByText('Up to date');

  await user.click(s.getByRole('button', { name: 'Sign out' }));
  await s.findByRole('heading', { name: 'Sign in' });
  expect(within(s.getByRole('region', { name: 'Notifications' })).queryByText('Up to date')).toBeNull();
  expect(window.location.hash).toBe('#/');
  expect(Object.keys(sessionStorage).filter((k) => k.startsWith('ic.viewingPartner.'))).toEqual([]);

  // The next user, of another partner, starts at their own catalog with nothing of the last one.
  const tech = demoLogin(world, 'tech@northwind.example');
  await user.type(s.getByLabelText(/Email/), tech.email);
  await user.type(s.getByLabelText(/Password/), tech.password);
  await user.click(s.getByRole('button', { name: 'Sign in' }));
  await s.findByText('Showing 8 of 8 integrations');
  expect(s.getByText('Technician · Northwind MSP')).toBeTruthy();
  expect(s.queryByText(/Contoso|ACG/)).toBeNull();
  expect(s.queryByLabelText('Viewing partner')).toBeNull();
});
