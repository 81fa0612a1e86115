import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * The Activity tab (issue 15): a "Test connection" writes the interaction log through the real
 * vendor client and fake MSP360; the tab lists its calls, filters them, and a row opens the
 * redacted request and response. The platform operator reads a partner's log read-only, and
 * offline the tab says it needs a connection.
 */
let world: World;
let page: Page;
const shots = e2eSuite('activity', (suite) => {
  ({ world, page } = suite);
});

const mainNav = () => page.getByRole('navigation', { name: 'Main' });
const calls = () => page.getByTestId('interactions');
const toast = (text: string | RegExp) => page.getByRole('region', { name: 'Notifications' }).getByText(text);

async function signIn(email: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(world.user(email).password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openActivity(name: string): Promise<void> {
  await mainNav().getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByRole('navigation', { name: `${name} sections` }).getByRole('link', { name: 'Activity' }).click();
  await page.getByRole('heading', { name: 'Activity' }).waitFor();
}

describe('the Activity tab', () => {
  it('lists the calls of a Test connection, and a row opens its redacted bodies', async () => {
    await signIn('admin@northwind.example');
    await mainNav().getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('link', { name: /^MSP360 Managed Backup/ }).click();
    await page.getByRole('heading', { level: 1, name: 'MSP360 Managed Backup' }).waitFor();
    await page.getByRole('region', { name: 'Status' }).getByRole('button', { name: 'Test connection' }).click();
    await toast('MSP360 Managed Backup: connection works').first().waitFor();
    await world.server.interactionLog.flush();

    await openActivity('MSP360 Managed Backup');
    const login = calls().locator('tr', { hasText: 'POST /api/Provider/Login' }).first();
    await login.waitFor();
    expect(await login.textContent()).toContain('Health check');
    expect(await login.textContent()).toContain('admin@northwind.example');
    await calls().locator('tr', { hasText: 'GET /api/Companies' }).first().waitFor();
    expect(await shots.screen(page, 'activity-list')).toEqual([]);

    await login.getByRole('button').click();
    const detail = page.getByTestId('interaction-detail');
    const request = detail.getByRole('region', { name: 'Request body' }).or(detail.getByLabel('Request body'));
    await request.first().waitFor();
    const requestText = (await request.first().textContent()) ?? '';
    expect(requestText).toContain('"Password": "[redacted]"');
    // The password MSP360 was sent never reaches the screen.
    expect(await page.content()).not.toContain(world.credentials.northwindMspPassword);
    expect(((await detail.getByLabel('Response body').textContent()) ?? '')).toContain('"access_token": "[redacted]"');
    expect(await shots.screen(page, 'activity-detail', { fullPage: true })).toEqual([]);
  });

  it('filters by outcome, by what was called and by time', async () => {
    // A failing check (MSP360 answers 500 to companies) adds vendor errors beside the OK calls.
    world.fakes.msp360.setFaults({ serverError: { times: 3, status: 500 }, paths: ['/api/Companies'] });
    try {
      const admin = world.user('admin@northwind.example');
      expect((await world.rest('POST', '/api/integrations/msp360/test', admin, {})).status).toBe(200);
    } finally {
      world.fakes.msp360.resetFaults();
    }
    await world.server.interactionLog.flush();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await calls().getByText('Vendor error').first().waitFor();

    await page.getByLabel('Outcome').selectOption({ label: 'Vendor error' });
    await expect.poll(async () => (await calls().locator('tbody tr').allTextContents()).every((t) => t.includes('Vendor error') && t.includes('/api/Companies'))).toBe(true);
    expect(await calls().locator('tbody tr').count()).toBe(1);
    expect(await shots.screen(page, 'activity-filtered')).toEqual([]);

    await page.getByLabel('Outcome').selectOption({ label: 'All outcomes' });
    await page.getByLabel('What').selectOption({ label: 'Discovery' });
    await page.getByText('No calls match these filters.').waitFor();
    await page.getByLabel('What').selectOption({ label: 'Everything' });
    // Rows written an hour and a half ago drop out of "Last hour".
    await world.deps.db.pool.query(
      `INSERT INTO interaction_log (partner_id, integration_key, action_id, kind, method, path, host, status, duration_ms, outcome, at)
       VALUES ($1, 'msp360', 'health', 'health', 'GET', '/api/OldCall', 'api.example', 200, 5, 'ok', now() - interval '90 minutes')`,
      [world.partnerId('Northwind MSP')],
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await calls().getByText('GET /api/OldCall').waitFor();
    await page.getByLabel('Time').selectOption({ label: 'Last hour' });
    await expect.poll(() => calls().getByText('GET /api/OldCall').count()).toBe(0);
    expect(await calls().locator('tbody tr').count()).toBeGreaterThan(0);
  });

  it('says it needs a connection when the server is away', async () => {
    await world.stop();
    try {
      await page.locator('.connection-pill').getByText('Offline', { exact: true }).waitFor({ timeout: 20_000 });
      await page.getByLabel('Time').selectOption({ label: 'Last 7 days' });
      await page.getByText('The activity log is kept on the server and needs a connection.').waitFor();
      expect(await shots.screen(page, 'activity-offline')).toEqual([]);
    } finally {
      await world.restart();
    }
  });

  it('lets the platform operator read a partner’s log, read-only', async () => {
    await page.locator('.connection-pill').getByText('Online', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('admin@acg.example');
    await page.getByLabel('Viewing partner').selectOption({ label: 'Northwind MSP' });
    await openActivity('MSP360 Managed Backup');
    await calls().locator('tr', { hasText: 'POST /api/Provider/Login' }).first().waitFor();
    await page.getByRole('note').getByText(/viewing another partner’s integrations/).waitFor();
    expect(await page.getByRole('button', { name: 'Test connection' }).count()).toBe(0);
    expect(await shots.screen(page, 'activity-dev-view')).toEqual([]);
  });
});
