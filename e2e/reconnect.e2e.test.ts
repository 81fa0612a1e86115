import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AuditPage } from '../shared/integrations/api.js';
import type { IntegrationDetail } from '../shared/integrations/catalog.js';
import { e2eSuite } from './harness/suite.js';
import type { World, WorldUser } from './harness/world.js';
import type { Desktop } from './harness/desktop.js';

/**
 * Issue 22 §1 and §2 in real Chromium against browser mode, the real server and PostgreSQL:
 * what an offline save does is what the screens say (review off: queued and sent by itself on
 * reconnect, exactly once, however the connection flaps; review on: a draft that waits for
 * review), and a colleague's change to a field a draft changes is a conflict — counted, naming
 * who and when — as soon as the change feed brings it, before anyone presses Apply.
 */
let world: World;
let page: Page;
let desktop: Desktop;
let admin: WorldUser;
const shots = e2eSuite('reconnect', (suite) => {
  ({ world, page, desktop } = suite);
  admin = world.user('admin@northwind.example');
});

const toast = (text: string | RegExp) => page.getByRole('region', { name: 'Notifications' }).getByText(text);
const connection = (state: 'Online' | 'Offline') => page.locator('.connection-pill').getByText(state, { exact: true });
const offlineNote = () => page.locator('.offline-notice');
const queueSummary = () => page.locator('.queue-summary');
const mspCard = () => page.getByRole('article', { name: 'MSP360 Managed Backup' });

async function serverDetail(key: string): Promise<IntegrationDetail> {
  const res = await world.rest<IntegrationDetail>('GET', `/api/integrations/${key}`, admin);
  expect(res.status).toBe(200);
  return res.json;
}

/** How many times the server's audit says the MSP360 API login became `login`. */
async function loginChanges(login: string): Promise<number> {
  const audit = await world.rest<AuditPage>('GET', '/api/integrations/msp360/audit?limit=100', admin);
  return audit.json.items.filter((i) => i.details.changes?.some((c) => c.field === 'api_login' && c.after === login)).length;
}

async function openMsp360(): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('link', { name: /^MSP360 Managed Backup/ }).click();
  await page.getByRole('heading', { level: 1, name: 'MSP360 Managed Backup' }).waitFor();
}

async function openPendingChanges(): Promise<void> {
  await page.getByRole('link', { name: /^Pending changes/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Pending changes' }).waitFor();
}

async function setReviewMode(on: boolean): Promise<void> {
  await openPendingChanges();
  const review = page.getByRole('switch', { name: 'Review changes before applying' });
  if ((await review.isChecked()) !== on) await review.click();
  await expect.poll(() => review.isChecked()).toBe(on);
}

async function goOffline(): Promise<void> {
  await world.stop();
  // This wait failed in CI (the change stream, still backing off after a flap, did not say the
  // server was gone again): say what the pill and the engine said.
  await connection('Offline')
    .waitFor()
    .catch(async (error: Error) => {
      const engine = JSON.stringify(desktop.core.session.requireCache().engine.status());
      throw new Error(`${error.message}\nThe connection pill said: ${await page.locator('.connection-pill').innerText()}\nThe engine said: ${engine}`);
    });
}

async function saveLogin(login: string, button: 'Queue change' | 'Save draft'): Promise<void> {
  await openMsp360();
  await page.getByLabel(/^API login/).fill(login);
  await page.getByRole('button', { name: button }).click();
}

describe('reconnecting', () => {
  it('signs in', async () => {
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The first pull after sign-in fills the whole cache; with the full suite on two cores it has
    // taken over 15 s (the only step of this suite that failed there).
    await page.getByText('Showing 8 of 8 integrations').waitFor({ timeout: 45_000 });
    await connection('Online').waitFor();
  });

  it('review off: an offline save is queued, and a flapping reconnect sends it by itself, exactly once', async () => {
    const login = world.credentials.northwindMspOps;
    await setReviewMode(false);
    await goOffline();
    await offlineNote().getByText('Changes you save are queued and applied by themselves when you reconnect.', { exact: false }).waitFor();
    await saveLogin(login, 'Queue change');
    await toast('Queued').waitFor();
    await openPendingChanges();
    await mspCard().getByText('Waiting to send', { exact: true }).waitFor();
    await expect.poll(async () => (await serverDetail('msp360')).settings?.api_login).not.toBe(login);

    // The connection comes back, drops, and comes back again; nobody clicks anything.
    await world.restart();
    await world.stop();
    await world.restart();
    await connection('Online').waitFor();
    await expect.poll(async () => (await serverDetail('msp360')).settings?.api_login, { timeout: 15_000 }).toBe(login);
    await mspCard().waitFor({ state: 'detached' });
    await queueSummary().getByText(/^0 pending$/).waitFor();
    // And once more: still one change on the server.
    await goOffline();
    await world.restart();
    await connection('Online').waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    expect(await loginChanges(login)).toBe(1);
  });

  it('review on: an offline save is a draft the screens say waits for review, and reconnecting sends nothing until Apply', async () => {
    const login = world.credentials.northwindMspBackup;
    await setReviewMode(true);
    await goOffline();
    await offlineNote().getByText('Changes you save are kept as drafts to review and apply in Pending changes.', { exact: false }).waitFor();
    await openMsp360();
    await page.getByText('Review mode is on: saving creates a draft to review and apply from Pending changes.').waitFor();
    await saveLogin(login, 'Save draft');
    await toast('Saved as a draft').waitFor();
    await openPendingChanges();
    // Offline the card's action and the header's speak one vocabulary.
    await mspCard().getByRole('button', { name: 'Queue the MSP360 Managed Backup draft' }).waitFor();
    await page.getByRole('button', { name: 'Queue all (1)' }).waitFor();
    expect(await shots.screen(page, 'review-on-offline')).toEqual([]);

    await world.restart();
    await connection('Online').waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('button', { name: 'Apply all (1)' }).waitFor();
    await queueSummary().getByText(/^1 pending$/).waitFor();
    expect(await loginChanges(login)).toBe(0);

    await mspCard().getByRole('button', { name: 'Apply the MSP360 Managed Backup draft' }).click();
    await toast('Change applied').waitFor();
    await expect.poll(async () => (await serverDetail('msp360')).settings?.api_login).toBe(login);
    expect(await loginChanges(login)).toBe(1);
  });

  it('a colleague’s change to the field a draft changes is a conflict as soon as it is synced: counted, naming who and when', async () => {
    const colleague = await world.addUser(admin.partnerId, 'partner_admin');
    // The previous test's applied change must have reached the form first, so the draft starts
    // from it (typing before it arrived is kept on top of it, with a notice: not this test's path).
    await openMsp360();
    await expect.poll(() => page.getByLabel(/^API login/).inputValue(), { timeout: 15_000 }).toBe(world.credentials.northwindMspBackup);
    await saveLogin(world.credentials.northwindMspOps, 'Save draft');
    await toast('Saved as a draft').waitFor();
    await openPendingChanges();
    await queueSummary().getByText(/^0 conflicts$/).waitFor();

    const current = await serverDetail('msp360');
    const edit = await world.rest('POST', '/api/integrations/msp360/reconfigure', colleague, {
      settings: { api_login: world.credentials.northwindMspLogin, api_password: '', enabled: true },
      baseVersion: current.state.version,
    });
    expect(edit.status).toBe(200);

    // No click: the change feed brings the newer version and the counter follows.
    await queueSummary().getByText(/^1 conflict$/).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByText('1 with conflicts', { exact: false }).waitFor();
    await mspCard().getByText('Conflict', { exact: true }).waitFor();
    await mspCard().getByText(new RegExp(`^${colleague.email} changed MSP360 Managed Backup on the server just now, after this draft was started\\.`)).waitFor();
    await mspCard().getByText('Changed on both sides').waitFor();
    expect(await shots.screen(page, 'conflict-from-feed')).toEqual([]);
  });
});
