import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Chromium for the suites: `CHROMIUM_PATH` when set (e.g. Debian's /usr/bin/chromium), else the
 * one inside the `@sparticuz/chromium` package, which is all a fresh machine has after `npm ci`.
 */
export async function chromiumExecutable(): Promise<{ executablePath: string; args: string[] }> {
  const override = process.env.CHROMIUM_PATH;
  if (override) return { executablePath: override, args: ['--no-sandbox', '--disable-dev-shm-usage'] };
  // Sparticuz's Lambda flags include --single-process, in which closing a context ends the browser.
  return { executablePath: await sparticuz.executablePath(), args: sparticuz.args.filter((a) => a !== '--single-process') };
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath, args } = await chromiumExecutable();
  return chromium.launch({ executablePath, args, headless: true });
}

/** A fresh tab (its own sessionStorage, so it needs the launch URL) at the app's URL. */
export async function openApp(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce', colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // The app's own errors go to the test output (refused local calls, e.g. a wrong password's 401,
  // are answers the UI handles, logged by Chromium as failed loads: not worth repeating).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.error('[page]', m.text());
  });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(url);
  return { context, page };
}
