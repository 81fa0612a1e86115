import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openIntegration, signIn as signInAs, signOut, toast as toastIn } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';
import type { AlertPage } from '../shared/integrations/health.js';
import { raiseCredentialAlerts } from '../server/services/alerts/credentialAlerts.js';

/**
 * Issue 18 §1's "done when", in real Chromium against the demo's fakes: Northwind's admin breaks
 * MSP360 with a wrong password (Error), rolls back to the last passing version from the Version
 * history card and sees it Active again, with the old password restored at the vendor's side of
 * the check and the history saying which version it restored; offline, a rollback is a pending
 * change sent once on reconnect.
 */
let world: World;
let page: Page;
const shots = e2eSuite('versions', (suite) => {
  ({ world, page } = suite);
});

const toast = (text: string | RegExp) => toastIn(page, text);
const statusPanel = () => page.getByRole('region', { name: 'Status' });
const history = () => page.getByRole('region', { name: 'Version history' });

beforeAll(async () => {
  const admin = world.user('admin@northwind.example');
  await signInAs(page, admin.email, admin.password);
}, 60_000);

describe('configuration version history', () => {
  it('breaks MSP360, rolls back to the last passing version and sees it Active again', async () => {
    await openIntegration(page, 'MSP360 Managed Backup');
    await statusPanel().getByText('Active', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Replace API password' }).click();
    await page.getByLabel(/^API password/).fill('an-expired-password');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await toast('MSP360 Managed Backup: connection failed').waitFor();
    await statusPanel().getByText('MSP360 rejected the API login or password').waitFor();

    const back = history().getByRole('button', { name: /^Roll back to the last passing version \(\d+\)$/ });
    await back.waitFor();
    const passing = Number(/\((\d+)\)/.exec((await back.textContent()) ?? '')?.[1]);
    await history().getByText('API password: changed').first().waitFor();
    expect(await shots.screen(page, 'history-in-error')).toEqual([]);

    await back.click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(`Roll back to version ${passing}?`).waitFor();
    expect(await shots.screen(page, 'rollback-confirm')).toEqual([]);
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await toast(new RegExp(`^Restored version ${passing} as version \\d+$`)).waitFor({ timeout: 30_000 });
    await statusPanel().getByText('Active', { exact: true }).first().waitFor({ timeout: 30_000 });
    await history().getByText(`Restored version ${passing}`).first().waitFor();

    const detail = await world.rest<{ state: { status: string; version: number } }>('GET', '/api/integrations/msp360', world.user('admin@northwind.example'));
    expect(detail.json.state.status).toBe('Active');
    const versions = await world.rest<{ items: { version: number; current: boolean; restoredFrom: number | null; passedCheck: boolean }[] }>('GET', '/api/integrations/msp360/versions', world.user('admin@northwind.example'));
    expect(versions.json.items[0]).toMatchObject({ current: true, restoredFrom: passing, passedCheck: true });
    expect(await shots.screen(page, 'rolled-back')).toEqual([]);
  }, 120_000);

  it('offline, a rollback is kept as a pending change and applied once when the server answers again', async () => {
    const admin = world.user('admin@northwind.example');
    type Versions = { items: { version: number; current: boolean; restoredFrom: number | null }[] };
    const before = await world.rest<Versions>('GET', '/api/integrations/msp360/versions', admin);
    const target = before.json.items[1]?.version ?? 0; // the broken version the first test left behind
    const newest = before.json.items[0]?.version ?? 0;
    await world.stop();
    try {
      await page.locator('.connection-pill').getByText('Offline', { exact: true }).waitFor({ timeout: 20_000 });
      await history().getByText(/^Offline: the list as read/).waitFor();
      const row = history().getByRole('listitem').filter({ has: page.getByText(`Version ${target}`, { exact: true }) });
      await row.getByRole('button', { name: 'Roll back to this version…' }).click();
      const dialog = page.getByRole('alertdialog');
      await dialog.getByText(/^You are offline\. The rollback is kept in Pending changes/).waitFor();
      expect(await shots.screen(page, 'rollback-offline-confirm')).toEqual([]);
      await dialog.getByRole('button', { name: 'Roll back' }).click();
      await toast(`Rollback to version ${target} queued`).waitFor();
    } finally {
      await world.restart();
    }
    // Sent by itself on reconnect, once: one new version that says which one it restored.
    await expect.poll(async () => (await world.rest<Versions>('GET', '/api/integrations/msp360/versions', admin)).json.items[0]?.version, { timeout: 60_000, interval: 500 }).toBe(newest + 1);
    const after = await world.rest<Versions>('GET', '/api/integrations/msp360/versions', admin);
    expect(after.json.items[0]).toMatchObject({ current: true, restoredFrom: target });
    await history().getByText(`Restored version ${target}`).first().waitFor({ timeout: 30_000 });
    expect((await world.rest<Versions>('GET', '/api/integrations/msp360/versions', admin)).json.items[0]?.version).toBe(newest + 1);
  }, 180_000);

  it("shows Contoso's 80-day-old Huntress key as \"Rotate soon\", and the hourly scan raises its alert once", async () => {
    const admin = world.user('admin@contoso.example');
    await signOut(page);
    await signInAs(page, admin.email, admin.password);
    await openIntegration(page, 'Huntress');
    const card = page.getByRole('region', { name: 'Credential age' });
    await card.getByText('Rotate soon', { exact: true }).waitFor();
    await card.getByText(/Set 80 days ago \(.+\); rotate by /).waitFor();
    expect(await shots.screen(page, 'credential-rotate-soon')).toEqual([]);

    // The scan the job engine runs every hour, run here at once (twice: it alerts once).
    expect(await raiseCredentialAlerts(world.deps)).toBe(1);
    expect(await raiseCredentialAlerts(world.deps)).toBe(0);
    const alerts = await world.rest<AlertPage>('GET', '/api/alerts?key=huntress', admin);
    const rotate = alerts.json.items.filter((a) => a.kind.startsWith('rotate_'));
    expect(rotate.map((a) => a.kind)).toEqual(['rotate_soon']);
    expect(rotate[0]?.message).toMatch(/^Huntress's API secret key was set 80 days ago: rotate it before \d{4}-\d\d-\d\d \(its limit is 90 days\)$/);
  }, 60_000);
});
