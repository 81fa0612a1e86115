import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { demoLogin, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * The maintenance banner and card over the real core and server, in the demo world (Northwind's
 * MSP360). The world's database carries over between tests: each one ends what it schedules.
 */
let world: World;
let desktop: Desktop | null = null;
beforeAll(async () => {
  world = await World.start();
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  // Whatever a test left scheduled is ended or cancelled, so the next one starts clear.
  const admin = world.user('admin@northwind.example');
  const open = await world.rest<{ items: { id: number }[] }>('GET', '/api/maintenance-windows', admin);
  for (const w of open.json.items) await world.rest('POST', `/api/maintenance-windows/${w.id}/end`, admin);
  await world.restart();
});
afterAll(() => world.close());

async function open(email: string) {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, email) });
  const ctx = renderApp(desktop.source, '#/integrations/msp360');
  const card = await ctx.screen.findByRole('region', { name: 'Maintenance' }, { timeout: 10_000 });
  return { ...ctx, card };
}

describe('Maintenance', () => {
  test('an admin schedules a window from the form: the banner says until when and why; "End now" takes it away', async () => {
    const { screen, user, card } = await open('admin@northwind.example');
    await within(card).findByText('No maintenance scheduled.');
    await user.type(within(card).getByLabelText(/^Reason/), 'MSP360 agent upgrade');
    await user.selectOptions(within(card).getByLabelText('Duration'), '1 hour');
    await user.click(within(card).getByRole('button', { name: 'Schedule maintenance' }));

    const banner = await screen.findByText(/^In maintenance until .+: alerts are held — MSP360 agent upgrade$/);
    expect(banner.closest('.maintenance-banner')).toBeTruthy();
    const list = await within(card).findByRole('list', { name: 'Maintenance windows' });
    expect(within(list).getByText('In progress')).toBeTruthy();
    const onServer = await world.rest<{ items: { integrationKey: string | null; reason: string; startsAt: string; endsAt: string }[] }>('GET', '/api/maintenance-windows?key=msp360', world.user('tech@northwind.example'));
    expect(onServer.json.items).toHaveLength(1);
    const [w] = onServer.json.items;
    expect(w).toMatchObject({ integrationKey: 'msp360', reason: 'MSP360 agent upgrade' });
    expect(Date.parse(w?.endsAt ?? '') - Date.parse(w?.startsAt ?? '')).toBe(60 * 60_000);

    await user.click(within(list).getByRole('button', { name: 'End now' }));
    expect(await screen.findByText('Maintenance ended')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/^In maintenance until/)).toBeNull());
    expect((await world.rest<{ items: unknown[] }>('GET', '/api/maintenance-windows?key=msp360', world.user('admin@northwind.example'))).json.items).toEqual([]);
  });

  test('an overlapping window is refused with the server’s message under Starts, and nothing is scheduled', async () => {
    const admin = world.user('admin@northwind.example');
    const wide = await world.rest<{ id: number }>('POST', '/api/maintenance-windows', admin, { endsAt: new Date(Date.now() + 3 * 60 * 60_000).toISOString(), reason: 'Office move' });
    expect(wide.status).toBe(201);
    const { screen, user, card } = await open('admin@northwind.example');
    // The partner-wide window holds MSP360's alerts too.
    expect(await screen.findByText(/: alerts are held — Office move$/)).toBeTruthy();
    await user.type(within(card).getByLabelText(/^Reason/), 'Second one');
    await user.click(within(card).getByRole('button', { name: 'Schedule maintenance' }));
    const starts = within(card).getByLabelText('Starts');
    await waitFor(() => expect(starts.getAttribute('aria-invalid')).toBe('true'));
    expect(card.textContent).toContain(`Overlaps maintenance window ${wide.json.id} for all integrations`);
    expect((await world.rest<{ items: unknown[] }>('GET', '/api/maintenance-windows', admin)).json.items).toHaveLength(1);
  });

  test('a technician sees the banner and the windows but cannot schedule or end one', async () => {
    await world.rest('POST', '/api/maintenance-windows', world.user('admin@northwind.example'), { integrationKey: 'msp360', endsAt: new Date(Date.now() + 60 * 60_000).toISOString(), reason: 'Vendor maintenance' });
    const { screen, card } = await open('tech@northwind.example');
    expect(await screen.findByText(/: alerts are held — Vendor maintenance$/)).toBeTruthy();
    expect(await within(card).findByText('Only partner admins can schedule maintenance.')).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'End now' })).toBeNull();
    expect(within(card).queryByRole('form', { name: 'Schedule maintenance' })).toBeNull();
  });
});
