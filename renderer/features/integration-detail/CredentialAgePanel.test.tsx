import { within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { demoLogin, goOffline, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * The Credential age card over the real core and server, in the demo world: Northwind's MSP360
 * stores one secret (the API password). Its set time is moved back as months would.
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

const setPasswordDaysAgo = (days: number) =>
  world.deps.db.pool.query(
    `UPDATE integration_configurations SET secrets_set_at = jsonb_build_object('api_password', $2::text)
      WHERE partner_id = $1 AND integration_key = 'msp360'`,
    [world.partnerId('Northwind MSP'), new Date(Date.now() - days * 86_400_000).toISOString()],
  );

async function open(email = 'tech@northwind.example') {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, email) });
  const ctx = renderApp(desktop.source, '#/integrations/msp360');
  const card = await ctx.screen.findByRole('region', { name: 'Credential age' });
  return { ...ctx, card };
}

describe('Credential age', () => {
  test('shows how old the API password is, "Rotate soon" within 14 days of the 90-day limit, to a technician too', async () => {
    await setPasswordDaysAgo(80);
    const { card } = await open();
    const row = await within(card).findByText('API password');
    const value = row.parentElement?.querySelector('dd');
    expect(value?.textContent).toMatch(/^Rotate soon Set 80 days ago \(.+\); rotate by .+$/);
    expect(card.textContent).toContain('Your partner-wide limit: 90 days. An alert is sent 14 days before the limit, and again when it passes.');
  });

  test('past the limit it says so; offline it says the ages need a connection', async () => {
    await setPasswordDaysAgo(120);
    const { card, unmount } = await open();
    expect((await within(card).findByText(/Past its limit/)).textContent).toBe('Past its limit');
    expect(card.textContent).toMatch(/Set 120 days ago \(.+\); its limit passed on /);
    await goOffline(world, desktop!);
    unmount();
    const again = renderApp(desktop!.source, '#/integrations/msp360');
    const offlineCard = await again.screen.findByRole('region', { name: 'Credential age' });
    expect(await within(offlineCard).findByText('Credential ages are kept on the server and need a connection.')).toBeTruthy();
  });

  test('a partner admin changes the partner-wide limit in place; a bad value is refused with the reason and nothing changes', async () => {
    await setPasswordDaysAgo(80);
    const { card, user } = await open('admin@northwind.example');
    await user.click(await within(card).findByRole('button', { name: 'Change the limit…' }));
    const input = within(card).getByLabelText('Partner-wide limit (days)');
    await user.clear(input);
    await user.type(input, '0');
    await user.click(within(card).getByRole('button', { name: 'Save limit' }));
    expect(await within(card).findByText('At least 1 day')).toBeTruthy();
    expect((await world.rest<{ maxAgeDays: number }>('GET', '/api/alerts/credential-policy', world.user('admin@northwind.example'))).json.maxAgeDays).toBe(90);

    await user.clear(input);
    await user.type(input, '180');
    await user.click(within(card).getByRole('button', { name: 'Save limit' }));
    expect(await within(card).findByText('Your partner-wide limit: 180 days.', { exact: false })).toBeTruthy();
    expect(within(card).queryByText('Rotate soon')).toBeNull();
    expect((await world.rest<{ maxAgeDays: number }>('GET', '/api/alerts/credential-policy', world.user('admin@northwind.example'))).json.maxAgeDays).toBe(180);
    await world.rest('PUT', '/api/alerts/credential-policy', world.user('admin@northwind.example'), { maxAgeDays: 90 });
  });

  test('a technician sees the limit but no way to change it', async () => {
    const { card } = await open();
    await within(card).findByText(/Your partner-wide limit/);
    expect(within(card).queryByRole('button', { name: 'Change the limit…' })).toBeNull();
  });
});
