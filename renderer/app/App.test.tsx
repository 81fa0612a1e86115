import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { IntegrationSummary } from '../../shared/integrations/catalog.js';
import { demoLogin, openDesktop, World, type Desktop } from '../test/desktopWorld.js';
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
  expect(await screen.findByText('Showing 2 of 2 integrations')).toBeTruthy();
});

test('a session the server ends returns to sign-in, naming who was signed in', async () => {
  const { source } = await northwindAdmin();
  window.location.hash = '#/';
  render(<App source={source} />);
  await screen.findByText('Showing 2 of 2 integrations');
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
