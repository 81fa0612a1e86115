import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { callLocal } from './app.js';
import { launchChromium, openApp } from './browser.js';
import { ScreenCapture } from './capture.js';
import { startDesktop, type Desktop } from './desktop.js';
import { World } from './world.js';

export interface E2eSuite {
  world: World;
  desktop: Desktop;
  browser: Browser;
  page: Page;
}

/**
 * The life of one e2e file: the demo world, browser mode against it and one Chromium page,
 * started before the first test and closed after the last; a failing test leaves a screenshot,
 * and the screen captures are written at the end. `ready` hands the parts to the file.
 */
export function e2eSuite(name: string, ready: (suite: E2eSuite) => void, options: { env?: Record<string, string> } = {}): ScreenCapture {
  const shots = new ScreenCapture(name);
  // Filled part by part, so whatever did start is closed even if a later part fails.
  const suite: Partial<E2eSuite> = {};
  beforeAll(async () => {
    const world = (suite.world = await World.start(options.env ? { env: options.env } : {}));
    const desktop = (suite.desktop = await startDesktop({ serverUrl: world.url }));
    const browser = (suite.browser = await launchChromium());
    const { page } = await openApp(browser, desktop.url);
    suite.page = page;
    ready({ world, desktop, browser, page });
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !suite.page) return;
    await shots.failure(suite.page, task.name);
    // CI keeps only its log, not the screenshot: what the window showed goes into the error itself.
    const error = task.result.errors?.[0];
    if (error) error.message += `\n${await describeScreen(suite.page)}`;
  });
  afterAll(async () => {
    await shots.write();
    await suite.browser?.close();
    await suite.desktop?.close();
    await suite.world?.close();
  });
  return shots;
}

/** The route, the visible text and the core's sync status of a failed test's window, shortened. */
async function describeScreen(page: Page): Promise<string> {
  const text = await page
    .locator('body')
    .innerText({ timeout: 2_000 })
    .catch((e: unknown) => `(unreadable: ${String(e)})`);
  const sync = await callLocal(page, 'sync.status').catch((e: unknown) => ({ status: 0, body: String(e) }));
  const squeeze = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s).replace(/\s*\n\s*/g, ' | ');
  return [`On screen at ${new URL(page.url()).hash || '/'}: ${squeeze(text, 1_500)}`, `Sync status (${sync.status}): ${squeeze(sync.body, 600)}`].join('\n');
}
