import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AuditPage } from '../shared/integrations/api.js';
import type { IntegrationDetail } from '../shared/integrations/catalog.js';
import type { HealthHistory } from '../shared/integrations/health.js';
import { e2eSuite } from './harness/suite.js';
import { walkWithTab, type FocusStop, type KeyboardWalk } from './harness/keyboard.js';
import type { World, WorldUser } from './harness/world.js';

/**
 * A Northwind MSP admin's day, in order, in real Chromium against browser mode, the real server,
 * PostgreSQL and the fake vendors: sign in, set up Syncro, break and fix MSP360, lose the
 * server, keep working offline, come back, apply, and settle a conflict with a colleague.
 */
let world: World;
let page: Page;
let admin: WorldUser;
const shots = e2eSuite('admin', (suite) => {
  ({ world, page } = suite);
  admin = world.user('admin@northwind.example');
});

const statusPanel = () => page.getByRole('region', { name: 'Status' });
const auditList = () => page.getByRole('region', { name: 'Audit history, newest first' });
const toast = (text: string | RegExp) => page.getByRole('region', { name: 'Notifications' }).getByText(text);
const connection = (state: 'Online' | 'Offline') => page.locator('.connection-pill').getByText(state, { exact: true });

async function openIntegration(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByText(/entries? loaded|No audit entries yet/).waitFor();
}

async function serverDetail(key: string): Promise<IntegrationDetail> {
  const res = await world.rest<IntegrationDetail>('GET', `/api/integrations/${key}`, admin);
  expect(res.status).toBe(200);
  return res.json;
}

async function expectClean(findings: Promise<unknown[]>): Promise<void> {
  expect(await findings).toEqual([]);
}

const statusBadge = (panel: Locator, status: string) => panel.locator('.card-header').getByText(status, { exact: true });

/**
 * Waits out the toasts that fade (5 s), so none vanishes in the middle of a keyboard walk. Error
 * toasts stay, as they do for the user: the walk checks that they cover no focused control.
 */
async function settleToasts(): Promise<void> {
  await expect.poll(() => page.locator('.toast:not(.toast-error)').count(), { timeout: 10_000 }).toBe(0);
}

/** Tab reached every control in document order and Shift+Tab came back; every stop showed a whole, uncovered focus ring. */
function expectKeyboardReachable(walk: KeyboardWalk): void {
  expect(walk.expected.length).toBeGreaterThan(5);
  expect(walk.reached.map((s) => s.control)).toEqual(walk.expected);
  expect(walk.back).toHaveLength(walk.expected.length - 1);
  const unseen = (s: FocusStop) => !s.focusVisible || !s.ring || !s.unobscured || !s.unclipped;
  expect(walk.reached.filter(unseen)).toEqual([]);
  expect(walk.back.filter(unseen)).toEqual([]);
}

describe('a partner admin in browser mode', () => {
  it('signs in: a wrong password is named as such, then the session shows who and for which partner', async () => {
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectClean(shots.screen(page, 'login'));
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Email or password is incorrect.').waitFor();
    await expectClean(shots.screen(page, 'login-wrong-password'));

    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Showing 8 of 8 integrations').waitFor();
    await page.getByText('Partner admin · Northwind MSP').waitFor();
    await connection('Online').waitFor();
    await expectClean(shots.screen(page, 'catalog'));
  });

  it('configures Syncro from its detail page, and the status turns Active', async () => {
    await openIntegration('Syncro PSA');
    await statusBadge(statusPanel(), 'Not Configured').waitFor();
    await expectClean(shots.screen(page, 'detail-not-configured'));

    await page.getByLabel(/^Subdomain/).fill('northwind');
    await page.getByLabel(/^API token/).fill(world.credentials.northwindSyncroToken);
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await toast('Syncro PSA saved').waitFor();
    await toast('Syncro PSA: connection works').waitFor();
    await statusBadge(statusPanel(), 'Active').waitFor();
    await auditList().getByText('Configured', { exact: true }).waitFor();

    const stored = await serverDetail('syncro');
    expect(stored.state.status).toBe('Active');
    expect(stored.settings).toMatchObject({ subdomain: 'northwind', api_token: { isSet: true, last4: world.credentials.northwindSyncroToken.slice(-4) } });
    await expectClean(shots.screen(page, 'detail-configured'));
  });

  it('MSP360: a wrong password turns it Error with the vendor’s message; the right one turns it Active again', async () => {
    await openIntegration('MSP360 Managed Backup');
    const mspBackups = page.getByRole('link', { name: /Open MSPBackups/ });
    expect(await mspBackups.getAttribute('target')).toBe('_blank');
    expect((await mspBackups.getAttribute('rel'))?.split(' ').sort()).toEqual(['noopener', 'noreferrer']);

    await page.getByRole('button', { name: 'Replace API password' }).click();
    await page.getByLabel(/^API password/).fill('an-expired-password');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await toast('MSP360 Managed Backup: connection failed').waitFor();
    await statusBadge(statusPanel(), 'Error').waitFor();
    await statusPanel().getByText('MSP360 rejected the API login or password').waitFor();
    expect((await serverDetail('msp360')).state).toMatchObject({ status: 'Error', errorMessage: 'MSP360 rejected the API login or password' });
    await auditList().getByText('API password: changed').first().waitFor();
    await expectClean(shots.screen(page, 'detail-error'));

    await page.getByRole('button', { name: 'Replace API password' }).click();
    await page.getByLabel(/^API password/).fill(world.credentials.northwindMspPassword);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await toast('MSP360 Managed Backup: connection works').waitFor();
    await statusBadge(statusPanel(), 'Active').waitFor();
    expect((await serverDetail('msp360')).state).toMatchObject({ status: 'Active', errorMessage: null });
  });

  it('audits health truly: the checks after each save are automatic, and each transition starts where MSP360 really was', async () => {
    // Newest first: the fix, the break, and the demo's first check after configuring.
    const healthRows = auditList().locator('.audit-row').filter({ hasText: 'Health changed' });
    await expect.poll(() => healthRows.locator('.audit-summary').allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/^Error → Active( · |$)/),
      expect.stringMatching(/^Active → Error · MSP360 rejected the API login or password/),
      expect.stringMatching(/^Configured → Active( · |$)/),
    ]);
    expect(await healthRows.locator('.audit-title .muted').allTextContents()).toEqual([
      expect.stringMatching(/^automatic check · /),
      expect.stringMatching(/^automatic check · /),
      expect.stringMatching(/^automatic check · /),
    ]);
    // A test by hand that changes nothing is the admin's, and reads as what it found, not "Active → Active".
    await statusPanel().getByRole('button', { name: 'Test connection' }).click();
    await toast('MSP360 Managed Backup: connection works').first().waitFor();
    const tested = auditList().locator('.audit-row').filter({ hasText: 'Connection tested' }).first();
    await tested.getByText(`by ${admin.email}`, { exact: false }).waitFor();
    expect(await tested.locator('.audit-summary').textContent()).toMatch(/^Healthy/);
    expect(await auditList().getByText(/Active → Active/).count()).toBe(0);
    expect(await healthRows.count()).toBe(3);
    await expectClean(shots.screen(page, 'detail-audit-health'));
  });

  it('shows one uptime: the number, its bar and the API agree, counted since the first check while the day is not full', async () => {
    // MSP360's checks: failing an hour ago, fixed 3 minutes ago: a few percent of the time it was checked.
    await world.deps.db.pool.query("DELETE FROM integration_health_history WHERE partner_id = $1 AND integration_key = 'msp360'", [admin.partnerId]);
    await world.deps.db.pool.query(
      `INSERT INTO integration_health_history (partner_id, integration_key, checked_at, health, status, source)
       VALUES ($1, 'msp360', now() - interval '60 minutes', 'error', 'Error', 'scheduled'),
              ($1, 'msp360', now() - interval '3 minutes', 'ok', 'Active', 'scheduled'),
              ($1, 'msp360', now() - interval '1 minute', 'ok', 'Active', 'scheduled')`,
      [admin.partnerId],
    );
    // A test refreshes the detail's history (and adds a fourth check, ok, now).
    await statusPanel().getByRole('button', { name: 'Test connection' }).click();
    const head = statusPanel().locator('.status-history-head');
    await expect.poll(() => head.textContent(), { timeout: 15_000 }).toMatch(/since first check \(1 hour ago\) · 4 checks/);
    const shown = Number((await statusPanel().getByTestId('uptime-percent').textContent())?.replace('%', ''));
    const api = await world.rest<HealthHistory>('GET', '/api/integrations/msp360/health-history', admin);
    expect(api.json.uptime).toMatchObject({ range: '24h', full: false });
    expect(Math.abs(shown - (api.json.uptime.percent ?? -100))).toBeLessThan(1);
    expect(shown).toBeGreaterThan(3);
    expect(shown).toBeLessThan(10);
    // The bar is the same data: its green share is the number (three of four checks were ok,
    // but a bar per check would be three-quarters green).
    const width = async (health: string) => {
      let sum = 0;
      for (const rect of await statusPanel().locator(`svg.sparkline rect[data-health="${health}"]`).all()) sum += Number(await rect.getAttribute('width'));
      return sum;
    };
    const [ok, failing] = [await width('ok'), await width('error')];
    expect(Math.abs((ok / (ok + failing)) * 100 - shown)).toBeLessThan(1);

    await statusPanel().getByRole('button', { name: '30 d' }).click();
    expect(await statusPanel().getByRole('button', { name: '30 d' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => head.textContent(), { timeout: 15_000 }).toMatch(/since first check \(1 hour ago\) · 4 checks/);
    await expectClean(shots.screen(page, 'detail-uptime'));
    await statusPanel().getByRole('button', { name: '24 h' }).click();
  });

  it('is keyboard reachable: Tab from the top reaches every control in order, each with a visible focus ring', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    const catalog = await walkWithTab(page, async () => {
      await page.getByText('Showing 8 of 8 integrations').waitFor();
      await settleToasts();
    });
    expectKeyboardReachable(catalog);
    expect(catalog.expected).toEqual(expect.arrayContaining(['a "Skip to content"', 'input "Search integrations"', expect.stringMatching(/^a "Syncro PSA/)]));

    await openIntegration('MSP360 Managed Backup');
    const detail = await walkWithTab(page, async () => {
      await statusPanel().getByRole('button', { name: 'Test connection' }).waitFor();
      // The lifecycle cards read the server after the page shows: walk once their controls are in.
      await page.getByRole('button', { name: 'Change the limit…' }).waitFor();
      await page.getByRole('button', { name: 'Schedule maintenance' }).waitFor();
      await page.getByRole('button', { name: 'Create inbound URL' }).waitFor();
      await settleToasts();
    });
    expectKeyboardReachable(detail);
    expect(detail.expected).toEqual(
      expect.arrayContaining(['input "API login *"', 'button "Replace API password"', 'input "MSPBackups enabled"', 'button "Test connection"', 'button "Delete configuration…"']),
    );
  });

  it('loses the server: after a reload the catalog, details and audit still show from the cache, marked offline', async () => {
    await world.stop();
    await connection('Offline').waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'MSP360 Managed Backup' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await page.getByText('Showing 8 of 8 integrations').waitFor();
    await page.getByRole('note').getByText('You’re offline.').waitFor();
    await connection('Offline').waitFor();
    await page.locator('.connection-pill').getByText(/Last synced/).waitFor();
    await expectClean(shots.screen(page, 'offline-catalog'));

    await openIntegration('MSP360 Managed Backup');
    await statusBadge(statusPanel(), 'Active').waitFor();
    await auditList().getByText('API password: changed').first().waitFor();
    await page.getByText('Needs the server; you’re offline.').waitFor();
    await expectClean(shots.screen(page, 'offline-detail'));
  });

  it('edits offline: with review off each save is queued, and the queue survives a reload', async () => {
    // The words say what will happen: queued, and applied by itself on reconnect.
    await page.getByRole('note').getByText('Changes you save are queued and applied by themselves when you reconnect.', { exact: false }).waitFor();
    await page.getByText('You’re offline: saving queues the change, and it is applied by itself when you reconnect.').waitFor();
    // MSP360: a new API login. Syncro: a rotated API token.
    await page.getByLabel(/^API login/).fill(world.credentials.northwindMspOps);
    await page.getByRole('button', { name: 'Queue change' }).click();
    await toast('Queued').waitFor();
    await page.getByText('A change to this integration is waiting to be sent to the server.').waitFor();

    await openIntegration('Syncro PSA');
    await page.getByRole('button', { name: 'Replace API token' }).click();
    await page.getByLabel(/^API token/).fill(world.credentials.northwindSyncroRotated);
    await page.getByRole('button', { name: 'Queue change' }).click();
    await page.getByText('A change to this integration is waiting to be sent to the server.').waitFor();

    await page.reload();
    await page.getByRole('link', { name: /^Pending changes/ }).click();
    const msp = page.getByRole('article', { name: 'MSP360 Managed Backup' });
    const syncro = page.getByRole('article', { name: 'Syncro PSA' });
    await msp.getByRole('row', { name: `API login ${world.credentials.northwindMspLogin} ${world.credentials.northwindMspOps}` }).waitFor();
    await syncro.getByRole('row', { name: /API token .* changed/ }).waitFor();
    for (const card of [msp, syncro]) {
      await card.getByText('Waiting to send', { exact: true }).waitFor();
      await card.getByText('Waiting to be sent — it is applied by itself when you reconnect.', { exact: false }).waitFor();
    }
    // Already queued: "Queue all" has nothing left to add.
    expect(await page.getByRole('button', { name: 'Queue all (0)' }).isDisabled()).toBe(true);
    await expectClean(shots.screen(page, 'changes-queued-offline'));
  });

  it('comes back online and, without a click, the queue goes out: the clean change lands once; a colleague’s edit meanwhile is a conflict naming them', async () => {
    // While this desktop is offline, a second Northwind admin renames the MSP360 API login and pauses MSPBackups.
    const colleague = await world.addUser(admin.partnerId, 'partner_admin');
    const current = await serverDetail('msp360');
    const edit = await world.rest('POST', '/api/integrations/msp360/reconfigure', colleague, {
      settings: { api_login: world.credentials.northwindMspBackup, api_password: '', enabled: false },
      baseVersion: current.state.version,
    });
    expect(edit.status).toBe(200);
    await world.restart();
    await connection('Online').waitFor();

    await expect.poll(async () => (await serverDetail('syncro')).settings?.api_token, { timeout: 15_000 }).toEqual({ isSet: true, last4: world.credentials.northwindSyncroRotated.slice(-4) });
    const audit = await world.rest<AuditPage>('GET', '/api/integrations/syncro/audit', admin);
    expect(audit.json.items[0]).toMatchObject({ action: 'reconfigured', userId: admin.id, details: { changes: [{ field: 'api_token', secret: true }] } });
    expect(audit.json.items.filter((i) => i.action === 'reconfigured')).toHaveLength(1);
    await page.getByRole('article', { name: 'Syncro PSA' }).waitFor({ state: 'detached' });

    const msp = page.getByRole('article', { name: 'MSP360 Managed Backup' });
    await msp.getByText('Changed on both sides').waitFor();
    await msp.getByText(new RegExp(`^${colleague.email} changed MSP360 Managed Backup on the server`)).waitFor();
    await page.locator('.queue-summary').getByText(/^1 conflict$/).waitFor();
    expect((await serverDetail('msp360')).settings).toMatchObject({ api_login: world.credentials.northwindMspBackup, enabled: false });
    await expectClean(shots.screen(page, 'changes-conflict'));
  });

  it('resolves the conflict field by field: their pause stays, my login wins, and the server has both', async () => {
    const msp = page.getByRole('article', { name: 'MSP360 Managed Backup' });
    const table = msp.getByRole('table');
    await table.getByRole('row', { name: new RegExp(`^API login Changed on both sides ${world.credentials.northwindMspLogin}`) }).waitFor();
    await table.getByRole('radio', { name: /use your draft’s API login/ }).check();
    expect(await table.getByRole('radio', { name: /keep the server’s MSPBackups enabled/ }).isChecked()).toBe(true);
    await msp.getByRole('button', { name: 'Use these values' }).click();
    await toast('MSP360 Managed Backup: conflict resolved').waitFor();
    await page.getByText('No pending changes').waitFor();

    await expect.poll(async () => (await serverDetail('msp360')).settings).toMatchObject({ api_login: world.credentials.northwindMspOps, enabled: false });
    await openIntegration('MSP360 Managed Backup');
    await auditList().getByText(`API login: ${world.credentials.northwindMspBackup} → ${world.credentials.northwindMspOps}`).waitFor();
    await expectClean(shots.screen(page, 'detail-after-resolve'));
  });

  it('deletes a configuration only after confirming; the audit keeps its history', async () => {
    await openIntegration('Syncro PSA');
    await page.getByRole('button', { name: 'Delete configuration…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete the Syncro PSA configuration?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await serverDetail('syncro')).state.status).not.toBe('Not Configured');
    await page.getByRole('button', { name: 'Delete configuration…' }).click();
    await dialog.getByRole('button', { name: 'Delete configuration' }).click();
    await toast('Syncro PSA configuration deleted').waitFor();
    await statusBadge(statusPanel(), 'Not Configured').waitFor();
    await auditList().getByText('Configuration deleted').waitFor();
    expect((await serverDetail('syncro')).state.status).toBe('Not Configured');
  });
});
