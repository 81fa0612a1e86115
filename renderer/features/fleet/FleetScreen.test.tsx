import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { demoLogin, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

let world: World;
let desktop: Desktop | null = null;
beforeAll(async () => {
  world = await World.start();
  // Contoso's MSP360 password goes stale at the vendor's side: its check fails (Error).
  const contoso = world.user('admin@contoso.example');
  await world.rest('POST', '/api/integrations/msp360/reconfigure', contoso, { settings: { api_login: 'contoso-api', api_password: 'stale-password' } });
  await world.rest('POST', '/api/integrations/msp360/test', contoso, {});
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
});
afterAll(() => world.close());

const asDev = async (options: Parameters<typeof openDesktop>[1] = {}) => {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@acg.example'), ...options });
  return desktop;
};

test('the dev partner sees every partner × integration and can open one read-only', async () => {
  const { screen, user } = renderApp((await asDev()).source, '#/fleet');
  const table = await screen.findByRole('table', { name: 'Integration status per partner' });
  const contoso = within(table).getByRole('rowheader', { name: /Contoso Managed IT/ }).closest('tr') as HTMLElement;
  // Contoso's four in Error: its MSP360 here, Tactical RMM at the dashboard's address, NinjaOne
  // not signed in yet and Teams with an out-of-date bot secret.
  const errors = within(contoso).getAllByText('Error');
  expect(errors).toHaveLength(4);
  for (const badge of errors) expect(badge.className).toContain('badge-danger');
  // Contoso's Syncro lacks a permission and its Huntress key may not read incident reports:
  // Active, and beside it Degraded, not plain Active.
  const degraded = within(contoso).getAllByText('Degraded');
  expect(degraded).toHaveLength(2);
  for (const badge of degraded) expect(badge.className).toContain('badge-warn');
  // Each checked cell carries the same 24 h uptime the detail shows (the server's one rule).
  expect(within(contoso).getAllByText(/^\d+(\.\d+)?% · 24 h$/)).toHaveLength(7);
  expect(screen.getByText('4 failing integrations, 2 degraded, across 3 partners')).toBeTruthy();
  await user.click(screen.getByRole('button', { name: 'View Contoso Managed IT’s integrations' }));
  expect(await screen.findByText('Another partner’s integrations, read-only.')).toBeTruthy();
  expect(window.location.hash).toBe('#/');
  expect((screen.getByLabelText('Viewing partner') as HTMLSelectElement).value).toBe(String(world.partnerId('Contoso Managed IT')));
});

test('other roles have no fleet link', async () => {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@northwind.example') });
  const { screen } = renderApp(desktop.source);
  await screen.findByText(/Showing 8 of 8/);
  expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Fleet' })).toBeNull();
  expect(screen.queryByLabelText('Viewing partner')).toBeNull();
});

test('says when the fleet was too large to read whole', async () => {
  // The core reads the fleet in pages and stops at a cap: here one page of two partners.
  const { screen } = renderApp((await asDev({ fleetPaging: { pageSize: 2, maxPages: 1 } })).source, '#/fleet');
  await screen.findByRole('table', { name: 'Integration status per partner' });
  expect(await screen.findByText('The fleet is larger than one read: showing the first 2 partners by id.')).toBeTruthy();
});

test('the partner being viewed survives a reload of the window; back to the own partner forgets it', async () => {
  const { source } = await asDev();
  const contosoId = String(world.partnerId('Contoso Managed IT'));
  const first = renderApp(source, '#/fleet');
  await first.screen.findByRole('table', { name: 'Integration status per partner' });
  await first.user.click(first.screen.getByRole('button', { name: 'View Contoso Managed IT’s integrations' }));
  await first.screen.findByText('Another partner’s integrations, read-only.');
  first.unmount();

  // A reload: a new renderer over the same core.
  const reloaded = renderApp(source);
  expect(await reloaded.screen.findByText('Another partner’s integrations, read-only.')).toBeTruthy();
  await waitFor(() => expect((reloaded.screen.getByLabelText('Viewing partner') as HTMLSelectElement).value).toBe(contosoId));
  await reloaded.user.click(reloaded.screen.getByRole('button', { name: 'Back to ACG' }));
  reloaded.unmount();

  const again = renderApp(source);
  await again.screen.findByText(/Showing \d+ of \d+ integrations/);
  expect(again.screen.queryByText('Another partner’s integrations, read-only.')).toBeNull();
  await waitFor(() => expect((again.screen.getByLabelText('Viewing partner') as HTMLSelectElement).options.length).toBeGreaterThan(1));
  expect((again.screen.getByLabelText('Viewing partner') as HTMLSelectElement).value).toBe(String(world.partnerId('ACG')));
});
