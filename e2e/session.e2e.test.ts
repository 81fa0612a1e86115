import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTokenService } from '../server/auth/tokens.js';
import { formatBanner } from '../scripts/banner.js';
import { callLocal, mainNav, openIntegration, signIn as signInAs, signOut, toast as toastIn, toasts } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * One desktop, several people in turn: nothing one user leaves in the window (toasts, the screen
 * they were on, cached rows, drafts, the partner they were viewing) reaches the next, across
 * partners too; toasts sit where they cover no control; and the login `npm start` names as the
 * platform operator is the one that sees the fleet.
 */
let world: World;
let page: Page;
const shots = e2eSuite('session', (suite) => {
  ({ world, page } = suite);
});

// Each test starts at the sign-in screen, whatever the one before left behind.
beforeEach(async () => {
  const out = page.getByRole('button', { name: 'Sign out' });
  if (!(await out.isVisible())) return;
  await out.click();
  const anyway = page.getByRole('button', { name: 'Sign out anyway' });
  await Promise.race([anyway.waitFor().then(() => anyway.click()), page.getByRole('heading', { name: 'Sign in' }).waitFor()]);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
});

const toast = (text: string | RegExp) => toastIn(page, text);
const signIn = (email: string) => signInAs(page, email, world.user(email).password);
const hash = () => new URL(page.url()).hash;
const errorToast = () => toasts(page).getByText('MSP360 Managed Backup: connection failed');

async function expectClean(findings: Promise<unknown[]>): Promise<void> {
  expect(await findings).toEqual([]);
}

/** Review mode on, then an MSP360 draft with another API login: a change kept on this computer. */
async function draftMsp360Login(login: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Settings' }).click();
  const review = page.getByRole('switch', { name: 'Review changes before applying' });
  if (!(await review.isChecked())) {
    await review.check();
    await toast('Review mode on').waitFor();
  }
  await openIntegration(page, 'MSP360 Managed Backup');
  await page.getByLabel(/^API login/).fill(login);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await toast('Saved as a draft').waitFor();
}

/** Controls (outside the toasts) whose box overlaps a toast on screen right now. */
function controlsUnderToasts(): Promise<string[]> {
  return page.evaluate(`(() => {
    const boxes = [...document.querySelectorAll('.toast')].map((t) => t.getBoundingClientRect());
    const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')];
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    return controls
      .filter((c) => !c.closest('.toasts') && c.checkVisibility())
      .filter((c) => boxes.some((b) => overlaps(c.getBoundingClientRect(), b)))
      .map((c) => c.tagName.toLowerCase() + ' "' + (c.getAttribute('aria-label') || c.textContent || '').trim().slice(0, 40) + '"');
  })()`);
}

describe('signing out leaves nothing for the next user', () => {
  it('the Northwind admin’s conflict, toast and screen do not follow them out, nor reach the technician after them', async () => {
    await signIn('admin@northwind.example');
    // Signed in first, then the catalog of the first sync: each its own wait (a loaded CI
    // machine once took longer than one wait for both, the first sign-in of the file).
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('Showing 8 of 8 integrations').waitFor();
    await draftMsp360Login(world.credentials.northwindMspOps);
    // Meanwhile a colleague changes the same field on the server: applying is a conflict.
    const admin = world.user('admin@northwind.example');
    const colleague = await world.addUser(admin.partnerId, 'partner_admin');
    const current = await world.rest<{ state: { version: number } }>('GET', '/api/integrations/msp360', admin);
    const edit = await world.rest('POST', '/api/integrations/msp360/reconfigure', colleague, {
      settings: { api_login: 'northwind-unknown-login', api_password: '', enabled: true },
      baseVersion: current.json.state.version,
    });
    expect(edit.status).toBe(200);
    // The change feed brings the colleague's version: the draft is a conflict before anyone applies.
    await mainNav(page).getByText('1 with conflicts', { exact: false }).waitFor();
    // An error toast stays until dismissed: the colleague's login, tested, doesn't connect.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await errorToast().waitFor();
    await mainNav(page).getByRole('link', { name: /^Pending changes/ }).click();
    await page.getByText('Changed on both sides').first().waitFor();
    expect(hash()).toBe('#/changes');
    expect(await errorToast().count()).toBe(1);

    await signOut(page, { discardUnsent: true });
    expect(await toasts(page).locator('.toast').count()).toBe(0);
    expect(hash()).toBe('#/');
    await expectClean(shots.screen(page, 'signed-out'));

    await signIn('tech@northwind.example');
    await page.getByText('Technician · Northwind MSP').waitFor();
    // The technician starts at the catalog: Pending changes is not a screen their role offers.
    await page.getByText('Showing 8 of 8 integrations').waitFor();
    expect(hash()).toBe('#/');
    expect(await page.getByRole('heading', { name: 'Pending changes' }).count()).toBe(0);
    expect(await toasts(page).locator('.toast').count()).toBe(0);
    expect(await mainNav(page).getByText('with conflicts', { exact: false }).count()).toBe(0);
    expect(await page.content()).not.toContain(world.credentials.northwindMspOps);
    await expectClean(shots.screen(page, 'technician-after-admin'));
    await signOut(page);
  });

  it('across partners: a session that ended keeps its drafts for its own user, and no one else sees them or its rows', async () => {
    await signIn('admin@northwind.example');
    // Signed in first, then the catalog of the first sync: each its own wait (a loaded CI
    // machine once took longer than one wait for both, the first sign-in of the file).
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('Showing 8 of 8 integrations').waitFor();
    await draftMsp360Login(world.credentials.northwindMspOps);
    // The session ends under the user (the server's signing secret is rotated); drafts and cache stay.
    world.deps.tokens = createTokenService({ ...world.deps.config.jwt, secret: 'session-e2e-rotated-signing-secret-0123456789' });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('note').getByText(/Your session ended\./).waitFor();
    expect(await toasts(page).locator('.toast').count()).toBe(0);

    await signIn('admin@contoso.example');
    await page.getByText('Partner admin · Contoso Managed IT').waitFor();
    await page.getByText('Showing 8 of 8 integrations').waitFor();
    await mainNav(page).getByRole('link', { name: /^Pending changes/ }).click();
    await page.getByText('No pending changes').waitFor();
    await openIntegration(page, 'MSP360 Managed Backup');
    await expectClean(shots.screen(page, 'contoso-after-northwind'));
    // Northwind's own values (the catalog's help texts use "northwind" as an example, so not the word).
    const northwind = [world.credentials.northwindMspLogin, world.credentials.northwindMspOps, world.credentials.northwindMspBackup, 'admin@northwind.example', 'Northwind MSP'];
    const content = await page.content();
    for (const value of northwind) expect(content).not.toContain(value);
    // What the core would hand this window: Contoso's rows only, none of Northwind's drafts.
    const reads = await Promise.all([
      callLocal(page, 'drafts.list'),
      callLocal(page, 'catalog.list'),
      callLocal(page, 'catalog.get', { key: 'msp360' }),
      callLocal(page, 'catalog.get', { key: 'syncro' }),
      callLocal(page, 'audit.list', { key: 'msp360' }),
    ]);
    for (const read of reads) {
      expect(read.status).toBe(200);
      for (const value of northwind) expect(read.body).not.toContain(value);
    }
    expect(reads[3]?.body).toMatch(/contoso/i);
    await signOut(page);

    // Back to the Northwind admin: their draft was kept for them.
    await signIn('admin@northwind.example');
    await mainNav(page).getByRole('link', { name: /^Pending changes/ }).click();
    const draft = page.getByRole('article', { name: 'MSP360 Managed Backup' });
    await draft.getByText(world.credentials.northwindMspOps).first().waitFor();
    await signOut(page, { discardUnsent: true });
  });

  it('the platform operator’s chosen partner is forgotten at sign-out', async () => {
    const acg = String(world.partnerId('ACG'));
    await signIn('admin@acg.example');
    await page.getByLabel('Viewing partner').selectOption({ label: 'Contoso Managed IT' });
    await page.getByText('Read-only support view of another partner.').waitFor();
    await signOut(page);

    await signIn('admin@acg.example');
    await page.getByText(/Connect the tools ACG uses/).waitFor();
    expect(await page.getByLabel('Viewing partner').inputValue()).toBe(acg);
    expect(await page.getByText('Read-only support view of another partner.').count()).toBe(0);
    await signOut(page);
  });
});

describe('toasts', () => {
  it('cover no control: two stacked toasts leave “Delete configuration” and everything else in reach', async () => {
    await signIn('admin@northwind.example');
    await openIntegration(page, 'Syncro PSA');
    await page.getByLabel(/^Subdomain/).fill('northwind');
    await page.getByLabel(/^API token/).fill(world.credentials.northwindSyncroToken);
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await toast('Syncro PSA: connection works').waitFor();
    await openIntegration(page, 'MSP360 Managed Backup');
    const remove = page.getByRole('button', { name: 'Delete configuration…' });
    await remove.waitFor();
    // Start from no toasts: the fading ones gone, errors dismissed.
    await expect.poll(() => toasts(page).locator('.toast:not(.toast-error)').count(), { timeout: 10_000 }).toBe(0);
    while ((await toasts(page).locator('.toast').count()) > 0) await page.keyboard.press('Escape');
    await page.getByRole('region', { name: 'Status' }).getByRole('button', { name: 'Test connection' }).click();
    await toast(/MSP360 Managed Backup: connection (works|failed)/).waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await toast('Up to date').waitFor();
    expect(await toasts(page).locator('.toast').count()).toBe(2);
    // A window just tall enough for the whole right column, as in the report: the delete button
    // sits low, where toasts used to stack (measured now, before the confirmations expire).
    await page.evaluate('window.scrollTo(0, 0)');
    const bottom = Number(await page.evaluate(`(() => { const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Delete configuration…'); return b.getBoundingClientRect().bottom; })()`));
    await page.setViewportSize({ width: 1280, height: Math.max(400, Math.round(bottom) + 24) });
    try {
      expect(await controlsUnderToasts()).toEqual([]);
      await expectClean(shots.screen(page, 'two-toasts', { fullPage: false }));
      // Reached by the pointer where it is, without scrolling it out from under anything.
      await remove.click({ trial: true, timeout: 2_000 });
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('stack three at most, say the same thing once, and let confirmations expire', async () => {
    await signIn('admin@northwind.example');
    // Each click waits for the previous sync to end (the button is busy meanwhile).
    const syncNow = page.getByRole('button', { name: 'Sync now' });
    for (let i = 0; i < 5; i++) await syncNow.click();
    await expect.poll(() => syncNow.isEnabled()).toBe(true);
    expect(await toasts(page).locator('.toast').count()).toBeLessThanOrEqual(3);
    expect(await toast('Up to date').count()).toBe(1);
    await expect.poll(() => toasts(page).locator('.toast:not(.toast-error)').count(), { timeout: 10_000 }).toBe(0);
    await signOut(page);
  });
});

describe('npm start banner', () => {
  it('names the platform operator’s login, and that login is the one that sees the fleet', async () => {
    const banner = formatBanner({
      serverUrl: world.url,
      desktopUrl: null,
      opening: 'not-asked',
      database: 'embedded PostgreSQL',
      logins: world.seed.users,
      partners: world.seed.partners,
      integrations: [],
      hint: '',
    });
    const operator = /Platform operator: (.+) — sign in as (\S+)/.exec(banner);
    expect(operator?.[1]).toBe('ACG');
    const email = operator?.[2] ?? '';
    await signIn(email);
    await mainNav(page).getByRole('link', { name: 'Fleet' }).click();
    await page.getByRole('table', { name: 'Integration status per partner' }).getByRole('row', { name: /^Contoso Managed IT/ }).waitFor();
    await expectClean(shots.screen(page, 'banner-operator-fleet'));
    // And no other demo login is marked so, nor sees the fleet.
    for (const u of world.seed.users.filter((x) => x.partnerId !== world.partnerId('ACG'))) {
      expect(banner.split('\n').find((l) => l.includes(u.email))).not.toContain('platform operator');
    }
    await signOut(page);
  });
});
