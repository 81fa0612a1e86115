import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mainNav, signIn } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * The catalog's polish (issue 22): vendor logos, what each integration needs before anyone
 * configures it, capability filters beside the categories, clamped texts readable in full by
 * pointer and by keyboard, and the theme chosen in Settings surviving a reload.
 */
let world: World;
let page: Page;
const shots = e2eSuite('catalog', (suite) => {
  ({ world, page } = suite);
});

async function expectClean(findings: Promise<unknown[]>): Promise<void> {
  expect(await findings).toEqual([]);
}

// The e2e tsconfig has no DOM lib: the few members the in-page callbacks read.
interface InPageImage {
  complete: boolean;
  naturalWidth: number;
  getAttribute(name: string): string | null;
}
declare const document: { documentElement: { dataset: Record<string, string | undefined> }; body: unknown; activeElement: { closest(s: string): unknown } | null };
declare function getComputedStyle(element: unknown): { backgroundColor: string };

const card = (name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name }) });
const chip = (group: 'Filter by category' | 'Can do', name: string) => page.getByRole('group', { name: group }).getByRole('button', { name: new RegExp(`^${name} \\d+$`) });
const shown = (text: string) => page.getByText(text, { exact: true }).waitFor();
const bodyColour = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const lightBg = 'rgb(244, 246, 249)';
const darkBg = 'rgb(14, 17, 22)';

/** Presses a control with the keyboard: focus it, then Space (what a keyboard user does on a toggle button). */
async function pressWithKeyboard(button: ReturnType<typeof chip>): Promise<void> {
  await button.focus();
  await page.keyboard.press('Space');
}

describe('the catalog before anything is configured', () => {
  it('shows each vendor’s logo (checked by the server, drawn with <img>) and what it needs', async () => {
    // Northwind's MSP360 password goes stale at the vendor: its card shows the error, clamped.
    const admin = world.user('admin@northwind.example');
    const current = await world.rest<{ state: { version: number } }>('GET', '/api/integrations/msp360', admin);
    const broken = await world.rest('POST', '/api/integrations/msp360/reconfigure', admin, {
      settings: { api_login: world.credentials.northwindMspLogin, api_password: 'an-expired-password', enabled: true },
      baseVersion: current.json.state.version,
    });
    expect(broken.status).toBe(200);
    expect((await world.rest('POST', '/api/integrations/msp360/test', admin, {})).status).toBe(200);

    await signIn(page, 'admin@northwind.example', admin.password);
    await shown('Showing 8 of 8 integrations');
    for (const name of ['Syncro PSA', 'MSP360 Managed Backup', 'Huntress', 'Tactical RMM', 'Level RMM']) {
      const logo = card(name).locator('[data-mark="logo"] img');
      await logo.waitFor();
      const image = await logo.evaluate((img: InPageImage) => ({ loaded: img.complete && img.naturalWidth > 0, src: img.getAttribute('src') ?? '' }));
      expect(image.loaded, name).toBe(true);
      expect(image.src, name).toMatch(/^data:image\/svg\+xml;base64,/);
      // Vendor markup never enters the page as markup: the card holds no inline <svg>.
      expect(await card(name).locator('svg').count(), name).toBe(0);
    }
    await card('Syncro PSA').getByText('Needs:').waitFor();
    expect(await card('Syncro PSA').locator('.integration-card-needs').textContent()).toBe(
      'Needs: An API token (in Syncro: Admin › API › API Tokens) · Token permission “Customers - List/Search” · Token permission “Tickets - List/Search” · For actions: “Tickets - View Details”, “Tickets - Edit”, “Ticket Timers - Overview”',
    );
    expect(await card('MSP360 Managed Backup').locator('.integration-card-needs').textContent()).toContain('API credentials');
    await page.mouse.move(0, 0);
    await expectClean(shots.screen(page, 'catalog-logos-needs'));
  });

  it('filters by capability and category together, with counts, from the keyboard', async () => {
    const canDo = page.getByRole('group', { name: 'Can do' });
    expect(await canDo.getByRole('button').allTextContents()).toEqual(['Any8', 'Health only0', 'Organizations7', 'Actions8', 'OAuth3']);
    expect(await chip('Can do', 'Any').getAttribute('aria-pressed')).toBe('true');

    await pressWithKeyboard(chip('Can do', 'Health only'));
    expect(await chip('Can do', 'Health only').getAttribute('aria-pressed')).toBe('true');
    await shown('Showing 0 of 8 integrations');
    await page.getByRole('heading', { name: 'No integrations match' }).waitFor();
    // Counted among what "Health only" leaves: no category has one.
    expect(await page.getByRole('group', { name: 'Filter by category' }).getByRole('button').allTextContents()).toEqual(['All0', 'PSA0', 'Backup0', 'RMM0', 'Security0', 'Communication0']);

    await pressWithKeyboard(chip('Can do', 'Organizations'));
    await shown('Showing 7 of 8 integrations');
    await pressWithKeyboard(chip('Filter by category', 'RMM'));
    await shown('Showing 3 of 8 integrations');
    expect(await page.getByRole('list', { name: 'Integrations' }).getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Level RMM', 'NinjaOne', 'Tactical RMM']);
    // Counted within RMM now.
    expect(await canDo.getByRole('button').allTextContents()).toEqual(['Any3', 'Health only0', 'Organizations3', 'Actions3', 'OAuth1']);
    await page.mouse.move(0, 0);
    await expectClean(shots.screen(page, 'catalog-filtered'));

    await pressWithKeyboard(chip('Can do', 'Actions'));
    await shown('Showing 3 of 8 integrations');
    await pressWithKeyboard(chip('Can do', 'OAuth'));
    await shown('Showing 1 of 8 integrations');
    expect(await page.getByRole('list', { name: 'Integrations' }).getByRole('heading', { level: 2 }).allTextContents()).toEqual(['NinjaOne']);
    await pressWithKeyboard(chip('Can do', 'Health only'));
    await shown('Showing 0 of 8 integrations');
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await shown('Showing 8 of 8 integrations');
    expect(await chip('Can do', 'Any').getAttribute('aria-pressed')).toBe('true');
    expect(await chip('Filter by category', 'All').getAttribute('aria-pressed')).toBe('true');
  });

  it('shows the clamped texts in full on keyboard focus and on hover; Escape hides them', async () => {
    const full = (key: string) => page.getByTestId(`card-${key}-fulltext`);
    const clipped = (name: string) =>
      card(name).evaluate((li: { querySelectorAll(s: string): ArrayLike<{ scrollHeight: number; clientHeight: number }> }) =>
        Array.from(li.querySelectorAll('.integration-card-description, .integration-card-needs, .integration-card-meta')).some((el) => el.scrollHeight > el.clientHeight + 1),
      );
    // The MSP360 card's error and requirements do not fit its clamps; a card whose texts all fit has no pop-up.
    expect(await clipped('MSP360 Managed Backup')).toBe(true);
    await page.mouse.move(0, 0);
    expect(await full('msp360').isVisible()).toBe(false);

    // Tab from the search box to the MSP360 card, as a keyboard user would.
    await page.getByLabel('Search integrations').focus();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => Boolean(document.activeElement?.closest('a[href="#/integrations/msp360"]')))) break;
    }
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('a[href="#/integrations/msp360"]')))).toBe(true);
    await full('msp360').waitFor({ state: 'visible' });
    const text = (await full('msp360').textContent()) ?? '';
    expect(text).toContain('Backup companies, users and plan status from MSP360 Managed Backup (MSPBackups), with the API credentials of your MBS console.');
    expect(text).toContain('Read access to Companies and Users');
    expect(text).toContain('MSP360 rejected the API login or password');
    await expectClean(shots.screen(page, 'catalog-fulltext-focus', { fullPage: false }));

    await page.keyboard.press('Escape');
    await full('msp360').waitFor({ state: 'hidden' });
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await full('msp360').waitFor({ state: 'visible' });
    await page.getByLabel('Search integrations').focus();
    await full('msp360').waitFor({ state: 'hidden' });

    await card('MSP360 Managed Backup').hover();
    await full('msp360').waitFor({ state: 'visible' });
    await page.mouse.move(0, 0);
    await full('msp360').waitFor({ state: 'hidden' });
  });

  it('lists what Syncro needs on its detail page, above the form that configures it', async () => {
    await page.getByRole('link', { name: /^Syncro PSA/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Syncro PSA' }).waitFor();
    const needs = page.getByRole('list', { name: 'Needs at Syncro' });
    expect(await needs.getByRole('listitem').allTextContents()).toEqual([
      'An API token (in Syncro: Admin › API › API Tokens)',
      'Token permission “Customers - List/Search”',
      'Token permission “Tickets - List/Search”',
      'For actions: “Tickets - View Details”, “Tickets - Edit”, “Ticket Timers - Overview”',
    ]);
    const logo = page.locator('.detail-title [data-mark="logo"] img');
    expect(await logo.evaluate((img: InPageImage) => img.complete && img.naturalWidth > 0)).toBe(true);
    // "Before anyone configures it": the list comes before the configuration form.
    const needsTop = (await needs.boundingBox())?.y ?? Infinity;
    const formTop = (await page.getByRole('heading', { name: 'Configuration' }).boundingBox())?.y ?? -Infinity;
    expect(needsTop).toBeLessThan(formTop);
    await page.getByText(/entries? loaded|No audit entries yet/).waitFor();
    await expectClean(shots.screen(page, 'detail-needs'));
  });
});

describe('theme', () => {
  it('switches between system, light and dark at once, by keyboard, and keeps the choice across a reload', async () => {
    await mainNav(page).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const system = page.getByRole('radio', { name: /^System/ });
    await system.waitFor();
    expect(await system.isChecked()).toBe(true);
    expect(await bodyColour()).toBe(lightBg);

    // Arrow keys move a radio group's choice: System → Light → Dark.
    await system.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: /^Dark/ }).isChecked()).toBe(true);
    // The system still says light (emulated): the page is dark because the user said so.
    await expect.poll(bodyColour, { timeout: 15_000 }).toBe(darkBg);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), { timeout: 15_000 }).toBe('dark');
    await expectClean(shots.screen(page, 'settings-theme-dark'));

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.getByRole('radio', { name: /^Dark/ }).isChecked()).toBe(true);
    await expect.poll(bodyColour, { timeout: 15_000 }).toBe(darkBg);

    // Light wins over a dark system; System follows it again.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('radio', { name: /^Light/ }).check();
    await expect.poll(bodyColour, { timeout: 15_000 }).toBe(lightBg);
    await page.getByRole('radio', { name: /^System/ }).check();
    await expect.poll(bodyColour, { timeout: 15_000 }).toBe(darkBg);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? 'none'), { timeout: 15_000 }).toBe('none');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(bodyColour, { timeout: 15_000 }).toBe(lightBg);
    await expectClean(shots.screen(page, 'settings-theme-system'));

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.getByRole('radio', { name: /^System/ }).isChecked()).toBe(true);
  });
});
