import { waitFor, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { renderApp } from '../../test/renderApp.js';

test('the dev partner sees every partner × integration and can open one read-only', async () => {
  const { screen, user } = renderApp({ signedInAs: 'ops@acg.test', hash: '#/fleet' });
  const table = await screen.findByRole('table', { name: 'Integration status per partner' });
  const contoso = within(table).getByRole('rowheader', { name: /Contoso Managed/ }).closest('tr') as HTMLElement;
  expect(within(contoso).getByText('Error').className).toContain('badge-danger');
  expect(screen.getByText('2 failing integrations across 4 partners')).toBeTruthy();
  await user.click(screen.getByRole('button', { name: 'View Contoso Managed’s integrations' }));
  expect(await screen.findByText('Another partner’s integrations, read-only.')).toBeTruthy();
  expect(window.location.hash).toBe('#/');
  expect((screen.getByLabelText('Viewing partner') as HTMLSelectElement).value).toBe('4');
});

test('other roles have no fleet link', async () => {
  const { screen } = renderApp();
  await screen.findByText(/Showing 7 of 7/);
  expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Fleet' })).toBeNull();
  expect(screen.queryByLabelText('Viewing partner')).toBeNull();
});

test('says when the fleet was too large to read whole', async () => {
  const { screen, source } = renderApp({ signedInAs: 'ops@acg.test', hash: '#/fleet' });
  const read = source.getFleetMatrix.bind(source);
  source.getFleetMatrix = async () => ({ ...(await read()), complete: false });
  await screen.findByRole('table', { name: 'Integration status per partner' });
  expect(await screen.findByText('The fleet is larger than one read: showing the first 4 partners by id.')).toBeTruthy();
});

test('the partner being viewed survives a reload of the window; back to the own partner forgets it', async () => {
  const first = renderApp({ signedInAs: 'ops@acg.test', hash: '#/fleet' });
  await first.screen.findByRole('table', { name: 'Integration status per partner' });
  await first.user.click(first.screen.getByRole('button', { name: 'View Contoso Managed’s integrations' }));
  await first.screen.findByText('Another partner’s integrations, read-only.');
  first.unmount();

  const reloaded = renderApp({ signedInAs: 'ops@acg.test' });
  expect(await reloaded.screen.findByText('Another partner’s integrations, read-only.')).toBeTruthy();
  await waitFor(() => expect((reloaded.screen.getByLabelText('Viewing partner') as HTMLSelectElement).value).toBe('4'));
  await reloaded.user.click(reloaded.screen.getByRole('button', { name: 'Back to ACG' }));
  reloaded.unmount();

  const again = renderApp({ signedInAs: 'ops@acg.test' });
  await again.screen.findByText(/Showing \d+ of \d+ integrations/);
  expect(again.screen.queryByText('Another partner’s integrations, read-only.')).toBeNull();
  await waitFor(() => expect((again.screen.getByLabelText('Viewing partner') as HTMLSelectElement).options.length).toBeGreaterThan(1));
  expect((again.screen.getByLabelText('Viewing partner') as HTMLSelectElement).value).toBe('1');
});
